#!/usr/bin/env bash
# Builds tools/ferretdb/bin/ferretdb (embedded FerretDB, a MongoDB-protocol
# server backed by SQLite) for local development and tests, when no MongoDB is
# available. Idempotent: does nothing when the binary is newer than its sources.
#
# Usage: scripts/ensure-ferretdb.sh        (prints the binary's path on stdout)
# Env:   FERRETDB_REBUILD=1 forces a rebuild.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/tools/ferretdb"
bin="$src/bin/ferretdb"

needs_build=0
if [[ "${FERRETDB_REBUILD:-}" == "1" || ! -x "$bin" ]]; then
  needs_build=1
else
  for f in "$src"/*.go "$src/go.mod" "$src/go.sum"; do
    if [[ -e "$f" && "$f" -nt "$bin" ]]; then
      needs_build=1
      break
    fi
  done
fi

if [[ "$needs_build" == "0" ]]; then
  echo "$bin"
  exit 0
fi

# Go is often installed without being on PATH in non-login shells.
if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" "$HOME/.local/go/bin"; do
    if [[ -x "$d/go" ]]; then
      PATH="$d:$PATH"
      break
    fi
  done
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<'MSG'
error: cannot build the local database server: `go` is not on PATH.
  Either install Go >= 1.24 (https://go.dev/dl/) so that tools/ferretdb can be built,
  or install MongoDB (`mongod` on PATH),
  or set DATABASE_URI to a running MongoDB, e.g. DATABASE_URI=mongodb://127.0.0.1:27017/tutortrack
MSG
  exit 1
fi

echo "Building FerretDB (local MongoDB-compatible server) into tools/ferretdb/bin/ — first build takes about a minute..." >&2
start=$(date +%s)
tmp="$bin.tmp.$$"
mkdir -p "$src/bin"
trap 'rm -f "$tmp"' EXIT
(cd "$src" && go build -trimpath -o "$tmp" .)
mv -f "$tmp" "$bin"
echo "Built $bin in $(( $(date +%s) - start ))s" >&2
echo "$bin"
