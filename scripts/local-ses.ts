import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Starts aws-ses-v2-local (a local SES v1/v2 API server) on 127.0.0.1. The app's real SES client is pointed
 * at it through SES_ENDPOINT; what was "sent" can be read back from GET <endpoint>/store, and its mail viewer
 * is at the endpoint's root.
 *
 * The package keeps its mail in memory only. With `storeFile` (what `npm run dev` passes: .data/ses-store.json)
 * the server loads that file when it starts and writes its mail and templates back after every request that
 * may have changed them and when it stops, so the viewer still shows earlier mail after a restart. Its "Clear"
 * button empties the file too. Tests leave it out and start empty.
 *
 * The server runs as a child process in a process group of its own, so a terminal's Ctrl-C reaches only the
 * parent, which stops it after the app (a draining app may still send). It exits by itself when the parent
 * goes away (its stdin closes), even if the parent was killed.
 */
export type LocalSes = { endpoint: string; port: number; stop: () => Promise<void>; process: ChildProcess; storeFile?: string }

const require = createRequire(import.meta.url)
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const thisFile = fileURLToPath(import.meta.url)
const SERVE_FLAG = '--serve'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`aws-ses-v2-local exited early with code ${child.exitCode} (its output is above)`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`aws-ses-v2-local did not listen on port ${port} within ${timeoutMs} ms`)
}

export async function startLocalSes(options: { port?: number; log?: (message: string) => void; storeFile?: string } = {}): Promise<LocalSes> {
  const port = options.port || (await freePort())
  const storeFile = options.storeFile ? path.resolve(options.storeFile) : undefined
  const child = spawn(
    process.execPath,
    ['--import', 'tsx/esm', thisFile, SERVE_FLAG, '--port', String(port), ...(storeFile ? ['--store', storeFile] : [])],
    // stdin is the parent's lifeline (it closes when the parent dies); the server's own errors go to our stderr.
    { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['pipe', 'ignore', 'inherit'], detached: true },
  )
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  try {
    await waitForPort(port, child, 30_000)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  // Nothing here keeps the parent alive: a parent that exits without stop() closes the lifeline instead.
  child.unref()
  ;(child.stdin as net.Socket | null)?.unref?.()
  const endpoint = `http://127.0.0.1:${port}`
  options.log?.(`local SES server at ${endpoint} (mail viewer: ${endpoint}/${storeFile ? `; mail kept in ${path.relative(repoRoot, storeFile)}` : ''})`)
  return {
    endpoint,
    port,
    storeFile,
    process: child,
    stop: async () => {
      process.removeListener('exit', killOnExit)
      if (child.exitCode !== null || child.signalCode !== null) return
      // Waiting for the exit keeps the parent alive until then.
      child.ref()
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref()
      })
    },
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The child: aws-ses-v2-local as a library, plus the store file.

type SesStore = {
  emails: unknown[]
  templates: Map<string, unknown>
}
type SesStoreModule = { getStoreReadonly: () => SesStore; setTemplate: (name: string, template: unknown) => void }
type SavedStore = { version: 1; emails: unknown[]; templates: Record<string, unknown> }

const SAVE_DELAY_MS = 200

/** Loads what an earlier run saved; a missing or unreadable file starts empty (the reason is printed). */
function loadStore(file: string, store: SesStoreModule): number {
  if (!fs.existsSync(file)) return 0
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedStore
    const live = store.getStoreReadonly()
    live.emails.push(...(Array.isArray(saved.emails) ? saved.emails : []))
    for (const [name, template] of Object.entries(saved.templates ?? {})) store.setTemplate(name, template)
    return live.emails.length
  } catch (error) {
    console.error(`[local-ses] ${file} could not be read (${(error as Error).message}); starting with no mail`)
    return 0
  }
}

/** Written to a temporary file and renamed, so a crash mid-write leaves the previous copy whole. */
function saveStore(file: string, store: SesStoreModule): void {
  const live = store.getStoreReadonly()
  const saved: SavedStore = { version: 1, emails: live.emails, templates: Object.fromEntries(live.templates) }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temporary, JSON.stringify(saved))
  fs.renameSync(temporary, file)
}

async function serve(argv: string[]): Promise<void> {
  const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined)
  const port = Number(value('--port'))
  const storeFile = value('--store')
  const packageDir = path.dirname(require.resolve('aws-ses-v2-local/package.json'))
  const startServer = (require(path.join(packageDir, 'dist', 'index.js')) as { default: (config: { host: string; port: number }) => Promise<Server> }).default
  // The same module instance the server uses (CommonJS caches it by path).
  const store = require(path.join(packageDir, 'dist', 'store.js')) as SesStoreModule

  if (storeFile) loadStore(storeFile, store)
  const server = await startServer({ host: '127.0.0.1', port })

  let pending: NodeJS.Timeout | undefined
  const saveNow = () => {
    if (!storeFile) return
    clearTimeout(pending)
    pending = undefined
    try {
      saveStore(storeFile, store)
    } catch (error) {
      console.error(`[local-ses] could not save mail to ${storeFile}: ${(error as Error).message}`)
    }
  }
  if (storeFile) {
    // Sends, template changes and "clear" all arrive as requests: save shortly after any that is not a read.
    server.on('request', (req, res) => {
      if (req.method === 'GET' || req.method === 'HEAD') return
      res.once('finish', () => {
        pending ??= setTimeout(saveNow, SAVE_DELAY_MS)
      })
    })
  }

  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    saveNow()
    server.close()
    server.closeAllConnections()
    process.exit(0)
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, stop)
  // The parent holds our stdin: when it goes away, so do we.
  process.stdin.on('end', stop)
  process.stdin.on('error', stop)
  process.stdin.resume()
}

const entry = process.argv[1] ? path.resolve(process.argv[1]) : ''
if (entry === thisFile && process.argv.includes(SERVE_FLAG)) {
  serve(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`[local-ses] ${error instanceof Error ? error.stack : String(error)}`)
    process.exit(1)
  })
} else if (entry === thisFile) {
  // `tsx scripts/local-ses.ts`: a standalone server until Ctrl-C (SES_STORE_FILE keeps its mail in a file).
  const port = Number(process.env.SES_PORT || 8005)
  startLocalSes({ port, log: console.log, storeFile: process.env.SES_STORE_FILE || undefined }).then((ses) => {
    console.log(`SES_ENDPOINT=${ses.endpoint}`)
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => ses.stop().then(() => process.exit(0)))
    setInterval(() => {}, 1 << 30)
  })
}
