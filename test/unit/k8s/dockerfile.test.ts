/**
 * Static checks of the Dockerfile and .dockerignore against what the cluster manifests assume
 * (the image is built and run for real by scripts/container/*.sh).
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from '@jest/globals'
import YAML from 'yaml'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const read = (file: string): string => fs.readFileSync(path.join(repoRoot, file), 'utf8')

type Instruction = { op: string; args: string; stage: number }

/** Dockerfile instructions (comments dropped, continuation lines joined), each with its stage index. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
  let stage = -1
  const result: Instruction[] = []
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line)
    if (!m) continue
    const op = m[1]!.toUpperCase()
    if (op === 'FROM') stage++
    result.push({ op, args: m[2]!.trim(), stage })
  }
  return result
}

describe('Dockerfile', () => {
  const steps = instructions(read('Dockerfile'))
  const lastStage = Math.max(...steps.map((s) => s.stage))
  const runtime = steps.filter((s) => s.stage === lastStage)
  const build = steps.filter((s) => s.stage === 0)

  it('is multi-stage on an overridable node:24-bookworm-slim base', () => {
    expect(steps[0]).toEqual({ op: 'ARG', args: 'BASE_IMAGE=node:24-bookworm-slim', stage: -1 })
    const froms = steps.filter((s) => s.op === 'FROM').map((s) => s.args)
    // build and runtime on the base; `prebuilt` holds files only; `app` is whichever of the two APP_BUILD names.
    expect(froms).toEqual(['${BASE_IMAGE} AS build', 'scratch AS prebuilt', '${APP_BUILD} AS app', '${BASE_IMAGE} AS runtime'])
  })

  it('builds from source unless told to take a prebuilt bundle', () => {
    expect(steps.filter((s) => s.stage === -1 && s.op === 'ARG').map((s) => s.args)).toContain('APP_BUILD=build')
    expect(runtime.filter((s) => s.op === 'COPY' && /--from=/.test(s.args)).every((s) => s.args.startsWith('--from=app '))).toBe(true)
  })

  it('the prebuilt context (scripts/container/stage-prebuilt.sh) stages everything the runtime copies', () => {
    const stageScript = read('scripts/container/stage-prebuilt.sh')
    const copied = runtime
      .filter((s) => s.op === 'COPY' && s.args.startsWith('--from=app '))
      .flatMap((s) => s.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1))
      .map((p) => p.replace(/^\/app\//, ''))
    expect(copied.length).toBeGreaterThan(5)
    for (const entry of copied) {
      const escaped = entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      expect({ entry, staged: new RegExp(`(^|[\\s"/])${escaped}([\\s"/]|$)`, 'm').test(stageScript) }).toEqual({ entry, staged: true })
    }
  })

  it('build stage: npm ci, next build, production prune, CA bundle build arg', () => {
    const args = build.filter((s) => s.op === 'ARG').map((s) => s.args)
    expect(args).toContain('NODE_EXTRA_CA_CERTS')
    const argIndex = build.findIndex((s) => s.op === 'ARG' && s.args === 'NODE_EXTRA_CA_CERTS')
    const ciIndex = build.findIndex((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.args))
    expect(ciIndex).toBeGreaterThan(argIndex)
    const runs = build.filter((s) => s.op === 'RUN').map((s) => s.args).join(' && ')
    expect(runs).toMatch(/next build/)
    expect(runs).toMatch(/scripts\/build-server\.ts/)
    expect(runs).toMatch(/npm prune --omit=dev|npm ci --omit=dev/)
  })

  it('runtime stage: production env, non-root 10001, node as PID 1, no HEALTHCHECK', () => {
    expect(runtime.some((s) => s.op === 'ENV' && /\bNODE_ENV=production\b/.test(s.args))).toBe(true)
    const users = runtime.filter((s) => s.op === 'USER')
    expect(users.at(-1)?.args).toMatch(/^10001(:10001)?$/)
    const cmd = runtime.filter((s) => s.op === 'CMD').at(-1)
    expect(JSON.parse(cmd!.args)).toEqual(['node', 'dist/server.mjs'])
    expect(runtime.some((s) => s.op === 'ENTRYPOINT')).toBe(false)
    expect(steps.some((s) => s.op === 'HEALTHCHECK')).toBe(false)
  })

  it('runtime stage copies only what the server needs', () => {
    const copied = runtime
      .filter((s) => s.op === 'COPY')
      .flatMap((s) => s.args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1))
      .map((p) => p.replace(/^\/app\//, ''))
    for (const needed of ['node_modules', '.next', 'dist', 'src', 'collections', 'hooks', 'email-templates', 'package.json', 'tsconfig.json', 'next.config.ts']) {
      expect({ needed, copied: copied.includes(needed) }).toEqual({ needed, copied: true })
    }
    for (const never of ['test', 'scripts', 'tools', 'k8s', '.git', '.']) {
      expect({ never, copied: copied.includes(never) }).toEqual({ never, copied: false })
    }
  })

  it('uid matches the Deployment securityContext', () => {
    const deployment = YAML.parse(read('k8s/base/deployment.yaml'))
    expect(deployment.spec.template.spec.securityContext.runAsUser).toBe(10001)
  })
})

describe('.dockerignore', () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))

  it('keeps local build output, dependencies, data and secrets out of the build context', () => {
    for (const entry of ['node_modules', '.next', '.git', '.data', '.env', 'tools']) {
      expect({ entry, ignored: ignored.includes(entry) }).toEqual({ entry, ignored: true })
    }
  })
})
