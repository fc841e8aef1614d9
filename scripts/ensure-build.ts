import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { buildServer, DISPATCHER_BUNDLE, SERVER_BUNDLE } from './build-server'

/**
 * Builds the production bundle (`next build`, then the server: scripts/build-server.ts) unless `.next` already
 * holds a build of exactly these sources. Tests, the local cluster and the benchmark run the production server, and a stale build would
 * test old code, so the stamp is a hash of every input file's content.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const STAMP = path.join(repoRoot, '.next', 'tutortrack-build.sha256')
const INPUTS = ['src', 'collections', 'hooks', 'email-templates', 'public', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json', 'scripts/build-server.ts', 'scripts/dispatch-emails.ts']

function listInputFiles(): string[] {
  const files: string[] = []
  const visit = (entry: string) => {
    const full = path.join(repoRoot, entry)
    if (!fs.existsSync(full)) return
    const stat = fs.statSync(full)
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(full).sort()) visit(path.join(entry, child))
    } else {
      files.push(entry)
    }
  }
  INPUTS.forEach(visit)
  return files
}

export function sourceHash(): string {
  const hash = createHash('sha256')
  for (const file of listInputFiles()) {
    hash.update(file)
    hash.update(fs.readFileSync(path.join(repoRoot, file)))
  }
  return hash.digest('hex')
}

export function ensureProductionBuild(log: (message: string) => void = (message) => process.stderr.write(`${message}\n`)): void {
  const wanted = sourceHash()
  const current = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : ''
  if (current === wanted && fs.existsSync(path.join(repoRoot, '.next', 'BUILD_ID'))) {
    // The same sources, built by `next build` alone: only the server is missing (a second, about a CPU-second).
    if (!fs.existsSync(SERVER_BUNDLE) || !fs.existsSync(DISPATCHER_BUNDLE)) buildServer()
    return
  }
  log('[build] sources changed since the last production build: running `next build` (about a minute)…')
  const started = Date.now()
  // Another process (a parallel test file, the cluster) may be building the same tree: wait for it and
  // re-check rather than fail.
  for (let attempt = 1; ; attempt++) {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    })
    const stderr = result.stderr?.toString() ?? ''
    process.stderr.write(stderr)
    if (result.status === 0) break
    if (!stderr.includes('Another next build process is already running') || attempt >= 30) {
      throw new Error(`next build failed with exit code ${result.status}`)
    }
    spawnSync('sleep', ['10'])
    const now = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').trim() : ''
    if (now === wanted) return
  }
  buildServer()
  fs.writeFileSync(STAMP, `${wanted}\n`)
  log(`[build] done in ${Math.round((Date.now() - started) / 1000)} s`)
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isEntryPoint) ensureProductionBuild()
