// Child servers of the local database: start, stop, kill on exit, wait for the port, keep an output tail
// (docs/local-database.md).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { LocalDatabase, StartLocalDatabaseOptions } from '../local-db'

export const HOST = '127.0.0.1'
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000
const TAIL_BYTES = 4_000

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** How to run one kind of server; `startServer` does the rest. */
export interface ServerSpec {
  kind: 'mongod' | 'ferretdb'
  storage?: 'postgresql' | 'sqlite'
  opts: StartLocalDatabaseOptions
  log: (msg: string) => void
  dbName: string
  defaultDataDir: string
  command: () => string | Promise<string>
  args: (port: number, dataDir: string, fresh: boolean) => string[]
  stdin: 'ignore' | 'pipe'
}

/** Starts the server on a free (or the given) port and resolves once it accepts connections. */
export async function startServer(spec: ServerSpec): Promise<LocalDatabase> {
  const { kind, opts, log } = spec
  const command = await spec.command()

  const { tempDir, dataDir } = dataDirOf(spec)

  const port = opts.port && opts.port > 0 ? opts.port : await findFreePort()
  const args = spec.args(port, dataDir, tempDir !== undefined)
  log(`starting ${kind} on ${HOST}:${port} (data: ${dataDir})`)

  const { child, output, spawnError } = spawnServer(command, args, spec.stdin)
  const instance: Instance = { child, tempDir, stopping: false }
  running.add(instance)
  installParentExitHooks()

  let ready = false
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', (code, signal) => {
    if (ready && !instance.stopping) {
      log(
        `${kind} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}).` +
          formatTail(output),
      )
    }
  })

  let stopped: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopped ??= stopInstance(instance)
    return stopped
  }

  try {
    await waitForPort(port, child, spawnError, output, kind)
    ready = true
  } catch (err) {
    await stop()
    throw err
  }

  const uri = `mongodb://${HOST}:${port}/${spec.dbName}`
  const pgDatabase = args.includes('-postgresql-url') ? args[args.indexOf('-postgresql-url') + 1].split('/').pop() : undefined
  log(`${kind}${spec.storage ? ` (${spec.storage}${pgDatabase ? ` database ${pgDatabase}` : ''})` : ''} ready at ${uri}`)
  return { uri, kind, storage: spec.storage, postgresDatabase: pgDatabase, dataDir: tempDir ? undefined : dataDir, stop, exited }
}

/** A new temporary directory for a `fresh` instance, else the lasting one (created if missing). */
function dataDirOf(spec: ServerSpec): { tempDir?: string; dataDir: string } {
  if (spec.opts.fresh) {
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), `tutortrack-${spec.kind}-`))
    return { tempDir, dataDir: tempDir }
  }
  const dataDir = path.resolve(spec.opts.dataDir ?? spec.defaultDataDir)
  fs.mkdirSync(dataDir, { recursive: true })
  return { dataDir }
}

/** Spawns the server, keeping the tail of its output and any spawn error. */
function spawnServer(command: string, args: string[], stdin: ServerSpec['stdin']) {
  const child = spawn(command, args, {
    cwd: repoRoot,
    stdio: [stdin, 'pipe', 'pipe'],
    // A server that dies with us through its stdin (FerretDB) gets a process group of its own: a terminal's
    // Ctrl-C then reaches only us, and we stop it after the app that uses it, instead of under the app's feet.
    detached: stdin === 'pipe',
    windowsHide: true,
  })
  const output = new Tail(TAIL_BYTES)
  let spawnError: Error | undefined
  child.on('error', (err) => {
    spawnError = err
  })
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk))

  // Do not keep the parent alive just for the database: when the parent exits, the
  // 'exit' hook (and, for FerretDB, the closed stdin pipe) takes the server down.
  child.unref()
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    ;(stream as net.Socket | null)?.unref?.()
  }
  return { child, output, spawnError: () => spawnError }
}

interface Instance {
  child: ChildProcess
  tempDir?: string
  stopping: boolean
}

const running = new Set<Instance>()

async function stopInstance(instance: Instance): Promise<void> {
  const { child, tempDir } = instance
  instance.stopping = true
  if (isRunning(child)) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => {
      if (isRunning(child)) child.kill('SIGKILL')
    }, STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }
  child.stdin?.destroy()
  running.delete(instance)
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true })
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null
}

/** Synchronous best-effort cleanup for when the parent process goes away. */
function killAllSync(): void {
  for (const { child, tempDir } of running) {
    if (isRunning(child)) {
      try {
        child.kill('SIGTERM')
      } catch {
        // ignore
      }
    }
    if (tempDir) {
      try {
        fs.rmSync(tempDir, { recursive: true, force: true })
      } catch {
        // ignore
      }
    }
  }
  running.clear()
}

let hooksInstalled = false

function installParentExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true

  process.on('exit', killAllSync)

  // Node does not emit 'exit' when it is terminated by a signal it has no listener for.
  // Kill our children first, then, if nobody else handles the signal, die by it as Node would.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      const othersListening = process.listenerCount(signal) > 1
      if (othersListening) return // the app handles it (and 'exit' will fire when it exits)
      killAllSync()
      process.removeListener(signal, onSignal)
      process.kill(process.pid, signal)
    }
    process.on(signal, onSignal)
  }
}

export function findOnPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : ['']
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

/** A free TCP port on 127.0.0.1, found by listening on port 0 and closing. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, HOST, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))))
    })
  })
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  spawnError: () => Error | undefined,
  output: Tail,
  kind: string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    const err = spawnError()
    if (err) throw new Error(`failed to start ${kind}: ${err.message}`)
    if (!isRunning(child)) {
      // let the last output arrive
      await sleep(50)
      const how =
        child.signalCode !== null ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`
      throw new Error(
        `${kind} exited (${how}) before accepting connections on ${HOST}:${port}.` +
          formatTail(output),
      )
    }
    if (await canConnect(port)) {
      // the port might be held by another process while ours is failing to bind
      await sleep(50)
      if (isRunning(child)) return
      continue
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${kind} did not accept connections on ${HOST}:${port} within ${START_TIMEOUT_MS / 1000}s.` +
          formatTail(output),
      )
    }
    await sleep(100)
  }
}

function formatTail(output: Tail): string {
  const text = output.text().trim()
  return text ? `\nLast output:\n${text}` : ' It printed nothing.'
}

class Tail {
  private chunks: Buffer[] = []
  private size = 0
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.max && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length
    }
  }
  text(): string {
    const buf = Buffer.concat(this.chunks)
    return buf.subarray(Math.max(0, buf.length - this.max)).toString('utf8')
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

