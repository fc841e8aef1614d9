#!/usr/bin/env bash
# Builds the application image (default localhost/tutortrack:test) from the repository's Dockerfile with
# podman + runc, on top of the local base image from build-base-image.sh (built first when missing).
#
# The build reaches the npm registry through the host network; npm's CA bundle (`npm config get cafile`,
# if any) is bind-mounted read-only at the same path and passed as NODE_EXTRA_CA_CERTS.
# Env: BASE_IMAGE, APP_IMAGE, SKIP_BASE=1 (do not build the base image),
#      PREBUILT=1: do not install and build inside the image (the Dockerfile's `build` stage); take this checkout's own
#      `npm ci && npm run build` output instead (the Dockerfile's `prebuilt` stage). The test suite builds the production
#      bundle once and checks the image made of it; a release image builds from source (the default).
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

context="$REPO_ROOT"
app_build=build
if [ "${PREBUILT:-0}" = 1 ]; then
  context="$("$CONTAINER_SCRIPTS_DIR/stage-prebuilt.sh")"
  trap 'rm -rf "$context"' EXIT
  app_build=prebuilt
fi

start=$(now)
log "building $APP_IMAGE from $BASE_IMAGE ($app_build)"
podman_ build \
  --isolation=chroot \
  --network=host \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  --build-arg "APP_BUILD=$app_build" \
  "${ca_args[@]}" \
  -f "$REPO_ROOT/Dockerfile" \
  -t "$APP_IMAGE" \
  "$context"
log "built $APP_IMAGE in $(( $(now) - start ))s ($(podman image inspect --format '{{.Size}}' "$APP_IMAGE") bytes)"
