#!/usr/bin/env bash
# Builds the application image (default localhost/tutortrack:test) from the repository's Dockerfile with
# podman + runc, on top of the local base image from build-base-image.sh (built first when missing).
#
# The build reaches the npm registry through the host network; npm's CA bundle (`npm config get cafile`,
# if any) is bind-mounted read-only at the same path and passed as NODE_EXTRA_CA_CERTS.
# Env: BASE_IMAGE, APP_IMAGE, SKIP_BASE=1 (do not build the base image).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
ensure_tools
[ "${SKIP_BASE:-0}" = 1 ] || "$CONTAINER_SCRIPTS_DIR/build-base-image.sh"

ca_args=()
cafile="$(npm config get cafile 2>/dev/null || true)"
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ "$cafile" != undefined ] && [ -f "$cafile" ]; then
  ca_args=(--build-arg "NODE_EXTRA_CA_CERTS=$cafile" -v "$cafile:$cafile:ro")
  log "using npm cafile $cafile"
fi

start=$(now)
log "building $APP_IMAGE from $BASE_IMAGE"
podman_ build \
  --isolation=chroot \
  --network=host \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  "${ca_args[@]}" \
  -t "$APP_IMAGE" \
  "$REPO_ROOT"
log "built $APP_IMAGE in $(( $(now) - start ))s ($(podman image inspect --format '{{.Size}}' "$APP_IMAGE") bytes)"
