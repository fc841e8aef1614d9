# syntax=docker/dockerfile:1
# TutorTrack: Payload CMS + Next.js served by src/server.ts (Express), compiled to dist/server.mjs.
#
#   docker build -t tutortrack:$(git rev-parse --short HEAD) .
#   # behind a TLS-intercepting proxy: --build-arg NODE_EXTRA_CA_CERTS=/path/in/build/ca.crt (mount or COPY it)
#
# BASE_IMAGE is overridable so an air-gapped build can use a local stand-in
# (scripts/container/build-base-image.sh builds localhost/node:24-bookworm-slim).
ARG BASE_IMAGE=node:24-bookworm-slim
# APP_BUILD names the stage whose /app the runtime stage copies: `build` (the default: install and build here) or
# `prebuilt` (a context staged by scripts/container/build-image.sh from an `npm ci && npm run build` already done:
# the test suite reuses its own production build instead of building it twice; docs/plans/issue-18-test-lanes.md).
ARG APP_BUILD=build

############################ build: full install, next build, prune to production ############################
FROM ${BASE_IMAGE} AS build
# Extra CA bundle for npm/node during the build only (not persisted into the runtime image).
ARG NODE_EXTRA_CA_CERTS
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
# Directories the runtime stage copies; they may not exist in the repository (e.g. no public/ assets yet).
RUN mkdir -p public email-templates \
 && npx next build \
 && npx tsx scripts/build-server.ts \
 && rm -rf .next/cache \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

############################ prebuilt: the same outputs, built outside (scripts/container/build-image.sh) ############
FROM scratch AS prebuilt
COPY . /app/

FROM ${APP_BUILD} AS app

############################ runtime: production node_modules + build output, non-root ############################
FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOME=/tmp
WORKDIR /app

RUN groupadd --gid 10001 tutortrack \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin tutortrack

# Application files stay owned by root (read-only to the app); only .next/cache is writable.
# In Kubernetes the root filesystem is read-only and .next/cache and /tmp are emptyDir volumes (mode 0777).
# runc gives a tmpfs mounted over a directory that directory's mode (but root ownership), so .next/cache is
# 1777 like /tmp: `docker|podman run --read-only --tmpfs /app/.next/cache` then stays writable for uid 10001.
COPY --from=app /app/package.json /app/package-lock.json /app/tsconfig.json /app/next.config.ts ./
COPY --from=app /app/node_modules ./node_modules
COPY --from=app /app/.next ./.next
COPY --from=app /app/dist ./dist
COPY --from=app /app/public ./public
COPY --from=app /app/src ./src
COPY --from=app /app/collections ./collections
COPY --from=app /app/hooks ./hooks
COPY --from=app /app/email-templates ./email-templates
RUN mkdir -p .next/cache && chown 10001:10001 .next/cache && chmod 1777 .next/cache

USER 10001:10001
EXPOSE 3000
# node is PID 1 and receives SIGTERM directly (src/server.ts drains, then exits 0). No HEALTHCHECK:
# the orchestrator probes /healthz (liveness) and /readyz (readiness).
CMD ["node", "dist/server.mjs"]
