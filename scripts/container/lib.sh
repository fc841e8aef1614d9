# Shared helpers for scripts/container/*.sh (sourced, not executed).
# shellcheck shell=bash

CONTAINER_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CONTAINER_SCRIPTS_DIR/../.." && pwd)"

BASE_IMAGE="${BASE_IMAGE:-localhost/node:24-bookworm-slim}"
APP_IMAGE="${APP_IMAGE:-localhost/tutortrack:test}"

export CONTAINERS_CONF="${CONTAINERS_CONF:-$CONTAINER_SCRIPTS_DIR/containers.conf}"

log() { printf '[container] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "run as root (podman with runc and debootstrap need it here)"
}

# Installs podman, runc and debootstrap from Debian when any is missing.
ensure_tools() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} with apt-get"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc debootstrap
  fi
}

podman_() { podman --runtime runc "$@"; }

# Seconds since the epoch, for coarse timings.
now() { date +%s; }
