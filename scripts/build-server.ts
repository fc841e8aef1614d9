import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { buildSync } from 'esbuild'

/**
 * Compiles the production server (src/server.ts and what it imports from src/, collections/, hooks/ and
 * email-templates/) into one ES module, dist/server.mjs; packages stay imports of node_modules. Part of
 * `npm run build` (scripts/ensure-build.ts for tests, the cluster and the benchmarks; the Dockerfile).
 *
 * Why not `node --import tsx/esm src/server.ts` as before: tsx's loader hooks sit on every import, node_modules
 * included, and a start loads Payload, Next and their graph. Measured on 7 Dec (2-core machine, quiet, same
 * database): ready in 5.2 s and 6.0 CPU-seconds under tsx, 2.8 s and 3.1 compiled; after the first API read and home
 * page 6.9 and 3.9 CPU-seconds, RSS 360 and 290 MB. That is every replica start and rolling restart in production,
 * and ~40 server starts a test run. `npm run dev` still runs the sources under tsx. dist/ sits beside src/, so paths
 * the server derives from its own location are unchanged.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const SERVER_BUNDLE = path.join(repoRoot, 'dist', 'server.mjs')
/**
 * The stand-alone email dispatcher (scripts/dispatch-emails.ts), compiled the same way: the tests start it nine times,
 * each start ~3 CPU-seconds cheaper than under tsx. `tsx scripts/dispatch-emails.ts` runs the sources as before.
 */
export const DISPATCHER_BUNDLE = path.join(repoRoot, 'dist', 'dispatch-emails.mjs')

export function buildServer(): void {
  const { outputFiles } = buildSync({
    absWorkingDir: repoRoot,
    entryPoints: { server: 'src/server.ts', 'dispatch-emails': 'scripts/dispatch-emails.ts' },
    outdir: path.dirname(SERVER_BUNDLE),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    // Read only with --enable-source-maps (src/lib/nodeSourceMaps.ts): stack traces then name the TypeScript lines.
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  })
  // Each file written whole under another name, then renamed: a server starting meanwhile reads the old or the new.
  fs.mkdirSync(path.dirname(SERVER_BUNDLE), { recursive: true })
  for (const file of outputFiles) {
    const partial = `${file.path}.${process.pid}.partial`
    fs.writeFileSync(partial, file.contents)
    fs.renameSync(partial, file.path)
  }
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isEntryPoint) buildServer()
