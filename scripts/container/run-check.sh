#!/usr/bin/env bash
# Runs the application image the way Kubernetes will (read-only root filesystem, tmpfs for /tmp and
# /app/.next/cache, non-root) and checks:
#   1. GET /readyz answers 200 (database reachable); /healthz, / and /api/tutors answer 200
#   2. the process does not run as uid 0
#   3. the root filesystem is read-only                   4. SIGTERM (podman stop -t 30) -> exit code 0
#   5. the log has the "shutdown.done" line
#
#   scripts/container/run-check.sh [DATABASE_URI]
#
# Without a DATABASE_URI (argument or env) it starts a throwaway local database with
# `tsx scripts/local-db.ts --fresh --port $DB_PORT` (needs the repo's node_modules) and stops it afterwards.
# Env: APP_IMAGE (default localhost/tutortrack:test), APP_PORT (default 3999), DB_PORT (default 27999),
#      READY_TIMEOUT_S (default 120), BUILD=1 (run build-image.sh first).
# The container uses the host network, so the app and database listen on 127.0.0.1 only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APP_PORT="${APP_PORT:-3999}"
DB_PORT="${DB_PORT:-27999}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"
DATABASE_URI="${1:-${DATABASE_URI:-}}"
NAME="tutortrack-check-$$"
WORK="$(mktemp -d /tmp/tutortrack-check.XXXXXX)"
db_pid=""
failures=0

require_root
ensure_tools
[ "${BUILD:-0}" = 1 ] && "$CONTAINER_SCRIPTS_DIR/build-image.sh"
podman image exists "$APP_IMAGE" || die "$APP_IMAGE does not exist: run scripts/container/build-image.sh (or BUILD=1)"

cleanup() {
  local rc=$?
  podman_ rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
  if [ -n "$db_pid" ] && kill -0 "$db_pid" 2>/dev/null; then
    kill -TERM "$db_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$db_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$db_pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

pass() { log "PASS: $*"; }
fail() { log "FAIL: $*"; failures=$((failures + 1)); }

if [ -z "$DATABASE_URI" ]; then
  log "starting a local database on 127.0.0.1:$DB_PORT"
  # Own process group (setsid), so cleanup can stop tsx and the database server it spawned.
  (cd "$REPO_ROOT" && exec setsid node_modules/.bin/tsx scripts/local-db.ts --fresh --port "$DB_PORT") \
    >"$WORK/db.out" 2>"$WORK/db.err" &
  db_pid=$!
  for _ in $(seq 1 600); do
    DATABASE_URI="$(sed -n 's/^DATABASE_URI=//p' "$WORK/db.out" | head -n1)"
    [ -n "$DATABASE_URI" ] && break
    kill -0 "$db_pid" 2>/dev/null || { cat "$WORK/db.err" >&2; die "local database exited"; }
    sleep 0.1
  done
  [ -n "$DATABASE_URI" ] || { cat "$WORK/db.err" >&2; die "local database did not print DATABASE_URI"; }
  log "database: $DATABASE_URI"
fi

start=$(now)
log "starting $APP_IMAGE as $NAME on port $APP_PORT"
podman_ run -d --name "$NAME" \
  --network=host \
  --read-only --tmpfs /tmp --tmpfs /app/.next/cache \
  --cap-drop=ALL --security-opt=no-new-privileges \
  -e "PORT=$APP_PORT" \
  -e "DATABASE_URI=$DATABASE_URI" \
  -e "PAYLOAD_SECRET=container-check-secret-$(date +%s%N)" \
  -e "SERVER_URL=http://127.0.0.1:$APP_PORT" \
  -e "SHUTDOWN_TIMEOUT_MS=10000" \
  -e "LOG_LEVEL=info" \
  -e "AWS_REGION=us-east-1" \
  -e "SES_ENDPOINT=http://127.0.0.1:9" \
  -e "AWS_ACCESS_KEY_ID=container-check" \
  -e "AWS_SECRET_ACCESS_KEY=container-check" \
  -e "EMAIL_FROM_ADDRESS=no-reply@example.test" \
  -e "EMAIL_FROM_NAME=TutorTrack check" \
  "$APP_IMAGE" >/dev/null

ready=0
for _ in $(seq 1 $((READY_TIMEOUT_S * 2))); do
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$APP_PORT/readyz" || true)"
  [ "$code" = 200 ] && { ready=1; break; }
  [ "$(podman inspect --format '{{.State.Running}}' "$NAME" 2>/dev/null)" = true ] || break
  sleep 0.5
done
ready_s=$(( $(now) - start ))
if [ "$ready" = 1 ]; then pass "/readyz 200 after ${ready_s}s"; else fail "/readyz not 200 within ${READY_TIMEOUT_S}s (last: ${code:-none})"; fi

code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$APP_PORT/healthz" || true)"
[ "$code" = 200 ] && pass "/healthz 200" || fail "/healthz answered ${code:-nothing}"

for path in / /api/tutors; do
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "http://127.0.0.1:$APP_PORT$path" || true)"
  [ "$code" = 200 ] && pass "GET $path 200" || fail "GET $path answered ${code:-nothing}"
done

uid="$(podman_ exec "$NAME" id -u 2>/dev/null || echo '?')"
if [ "$uid" != 0 ] && [ "$uid" != '?' ]; then pass "runs as uid $uid"; else fail "runs as uid '$uid'"; fi

if podman_ exec "$NAME" sh -c 'echo x > /app/.write-probe' 2>/dev/null; then
  fail "root filesystem is writable"
else
  pass "root filesystem is read-only"
fi
podman_ exec "$NAME" sh -c 'echo x > /tmp/.write-probe && echo x > /app/.next/cache/.write-probe' 2>/dev/null \
  && pass "/tmp and /app/.next/cache are writable" || fail "/tmp or /app/.next/cache is not writable"

stop_start=$(now)
podman_ stop -t 30 "$NAME" >/dev/null
stop_s=$(( $(now) - stop_start ))
exit_code="$(podman inspect --format '{{.State.ExitCode}}' "$NAME")"
[ "$exit_code" = 0 ] && pass "SIGTERM -> exit 0 in ${stop_s}s" || fail "SIGTERM -> exit code $exit_code after ${stop_s}s"

podman logs "$NAME" >"$WORK/app.log" 2>&1 || true
grep -q '"shutdown.done"' "$WORK/app.log" && pass 'log has "shutdown.done"' || fail 'no "shutdown.done" log line'

if grep -qE '"level":(40|50|60)' "$WORK/app.log"; then
  log "warn/error lines in the container log:"
  grep -E '"level":(40|50|60)' "$WORK/app.log" | head -n 20 >&2
fi

if [ "$failures" -gt 0 ]; then
  log "---- container log (last 40 lines) ----"
  tail -n 40 "$WORK/app.log" >&2
  log "$failures check(s) failed"
  exit 1
fi
log "all container checks passed (ready ${ready_s}s, stop ${stop_s}s)"
