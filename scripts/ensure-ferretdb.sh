#!/usr/bin/env bash
# Builds the local MongoDB-protocol server (tools/ferretdb: embedded FerretDB) for development and tests,
# when no MongoDB is available. Idempotent: does nothing when the binary is newer than its sources.
#
# Usage: scripts/ensure-ferretdb.sh [postgresql|sqlite]   (prints the binary's path on stdout)
#   postgresql  bin/ferretdb-postgresql: PostgreSQL storage only. Leaves out FerretDB's SQLite backend
#               (modernc.org/sqlite, a C library translated to Go), about half the download and build.
#   sqlite      bin/ferretdb: both storages (the default; also used for PostgreSQL when it already exists).
# Env:   FERRETDB_REBUILD=1 forces a rebuild.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/tools/ferretdb"
storage="${1:-sqlite}"
tags=""
bin="$src/bin/ferretdb"
case "$storage" in
  sqlite) ;;
  postgresql)
    # The full binary serves PostgreSQL too: reuse it when it is there and current.
    if [[ "${FERRETDB_REBUILD:-}" != "1" && -x "$bin" ]] && [[ -z "$(find "$src" -maxdepth 1 \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' \) -newer "$bin")" ]]; then
      echo "$bin"
      exit 0
    fi
    bin="$src/bin/ferretdb-postgresql"
    tags="ferretdb_no_sqlite"
    ;;
  *) echo "usage: $0 [postgresql|sqlite]" >&2; exit 2 ;;
esac

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

# Measured on a 2-core machine with empty Go caches: the full build downloads ~630 MB of modules and takes
# 130-170 s; the PostgreSQL-only build ~275 MB. Later builds reuse Go's module and build caches.
if [[ "$storage" == "postgresql" ]]; then
  echo "Building FerretDB for PostgreSQL storage (the local MongoDB-compatible server) into tools/ferretdb/bin/: first time only, about 1-2 minutes and ~275 MB of Go modules..." >&2
else
  echo "Building FerretDB (the local MongoDB-compatible server) into tools/ferretdb/bin/: first time only, about 2-3 minutes and ~630 MB of Go modules..." >&2
fi
start=$(date +%s)
tmp="$bin.tmp.$$"
mkdir -p "$src/bin"
# Progress while Go is quiet (compiling prints nothing): one line every 20 s.
( while sleep 20; do echo "  ...still building FerretDB ($(( $(date +%s) - start )) s)" >&2; done ) &
ticker=$!
trap 'kill "$ticker" 2>/dev/null || true; rm -f "$tmp"' EXIT
(cd "$src" && go build -trimpath ${tags:+-tags "$tags"} -o "$tmp" .)
mv -f "$tmp" "$bin"
echo "Built $bin in $(( $(date +%s) - start )) s" >&2
echo "$bin"
