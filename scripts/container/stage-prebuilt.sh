#!/usr/bin/env bash
# Stages what the Dockerfile's `build` stage would leave in /app, from this checkout's own build (`npm ci` and
# `npm run build` already done): the sources the runtime copies, .next without its cache, dist/, and node_modules
# pruned to production. Prints the staging directory (the caller removes it).
#
# node_modules is hard-linked, not copied (seconds, no disk), then pruned there: unlinking a staged file leaves the
# checkout's own untouched. npm's hidden lockfile is the one file npm rewrites in place, so it is unlinked first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$REPO_ROOT"
[ -f .next/BUILD_ID ] && [ -f dist/server.mjs ] || die "no production build here: run \`npm run build\` first"
[ -d node_modules ] || die "no node_modules here: run \`npm ci\` first"

stage="$(mktemp -d /var/tmp/tutortrack-prebuilt.XXXXXX)"
cp -a package.json package-lock.json tsconfig.json next.config.ts dist src collections hooks "$stage/"
mkdir -p "$stage/public" "$stage/email-templates"
[ -d public ] && cp -a public/. "$stage/public/"
[ -d email-templates ] && cp -a email-templates/. "$stage/email-templates/"
mkdir "$stage/.next"
for entry in .next/* .next/.[!.]*; do
  [ -e "$entry" ] || continue
  # As the build stage: all of .next but its cache (and `next dev` output, which a checkout may also hold).
  case "$(basename "$entry")" in cache | dev) continue ;; esac
  cp -a "$entry" "$stage/.next/"
done
cp -al node_modules "$stage/node_modules"
rm -f "$stage/node_modules/.package-lock.json"
(cd "$stage" && npm prune --omit=dev --no-audit --no-fund >&2)
echo "$stage"
