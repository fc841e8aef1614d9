// Replica processes of the local cluster: spawn, drain, kill, restart, and keep them in the balancer (docs/cluster.md).
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { SERVER_BUNDLE } from '../build-server'
import { findFreePort } from '../local-db'
import { HOST, type Balancer } from './haproxy'
import { collectOutput, isRunning, sleep, Tail, track, waitForExit } from './processes'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface ReplicaInfo {
  name: string
  port: number
  pid: number
  /** The replica itself, bypassing the balancer. */
  url: string
}

type ReplicaProcess = {
  name: string
  port: number
  env: Record<string, string>
  child: ChildProcess
  output: Tail
  exited: Promise<void>
}

/**
 * A replica exits when its parent goes away, even by SIGKILL: its stdin is a pipe from us, and this preloaded
 * snippet turns the pipe's end into a SIGTERM (the app's own graceful shutdown). Nothing is added to the app.
 */
const PARENT_WATCHDOG = `data:text/javascript,${encodeURIComponent(
  "process.stdin.on('end',()=>process.kill(process.pid,'SIGTERM'));process.stdin.on('error',()=>{});process.stdin.resume();process.stdin.unref();",
)}`

export interface ReplicaSetOptions {
  balancer: Balancer
  /** Environment of every replica (on top of process.env); a replica's own `env` and PORT go on top. */
  baseEnv: Record<string, string>
  /** Copy replica output to stderr. */
  inherit: boolean
  /** Time a replica may take from spawn to ready. */
  startTimeoutMs: number
  log: (message: string) => void
}

export interface ReplicaSet {
  list(): ReplicaInfo[]
  /** Starts `count` replicas in parallel, adds them to the balancer in name order and waits until all are UP. */
  startInitial(count: number): Promise<void>
  add(options?: { env?: Record<string, string>; name?: string }): Promise<ReplicaInfo>
  drainAndRemove(name: string): Promise<void>
  kill(name: string, signal?: NodeJS.Signals): Promise<void>
  restart(name: string): Promise<ReplicaInfo>
  output(name: string): string
  stopAll(): Promise<void>
}

export function replicaSet(options: ReplicaSetOptions): ReplicaSet {
  const { balancer, log } = options
  const replicas = new Map<string, ReplicaProcess>()
  let nextIndex = 1
  const start = (name: string, port: number, env: Record<string, string>) => spawnReplica(name, port, env, options)

  const replicaNamed = (name: string) => {
    const replica = replicas.get(name)
    if (!replica) throw new Error(`no replica named ${name} (have: ${[...replicas.keys()].join(', ') || 'none'})`)
    return replica
  }

  return {
    list: () => [...replicas.values()].map(infoOf),
    output: (name) => replicas.get(name)?.output.toString() ?? '',

    async startInitial(count) {
      const names = Array.from({ length: count }, () => `r${nextIndex++}`)
      const started = await Promise.all(names.map(async (name) => start(name, await findFreePort(), {})))
      for (const replica of started) {
        replicas.set(replica.name, replica)
        await balancer.addServer(replica.name, replica.port)
      }
      for (const replica of started) await balancer.waitForStatus(replica.name, 'UP')
    },

    async add(addOptions = {}) {
      const name = addOptions.name ?? `r${nextIndex++}`
      if (replicas.has(name)) throw new Error(`a replica named ${name} exists already`)
      const port = await findFreePort()
      const replica = await start(name, port, addOptions.env ?? {})
      replicas.set(name, replica)
      await balancer.addServer(name, port)
      await balancer.waitForStatus(name, 'UP')
      log(`replica ${name} (pid ${replica.child.pid}) on port ${port} is UP`)
      return infoOf(replica)
    },

    async drainAndRemove(name) {
      const replica = replicaNamed(name)
      await balancer.drain(name)
      await stopProcess(replica)
      await balancer.deleteServer(name)
      replicas.delete(name)
      log(`replica ${name} drained, stopped and removed`)
    },

    async kill(name, signal = 'SIGKILL') {
      await stopProcess(replicaNamed(name), signal)
      log(`replica ${name} killed with ${signal}`)
    },

    async restart(name) {
      const replica = replicaNamed(name)
      if (isRunning(replica.child)) {
        await balancer.drain(name)
        await stopProcess(replica)
      } else {
        await balancer.setState(name, 'maint')
      }
      const fresh = await start(name, replica.port, replica.env)
      replicas.set(name, fresh)
      await balancer.setState(name, 'ready')
      await balancer.waitForStatus(name, 'UP')
      log(`replica ${name} restarted (pid ${fresh.child.pid}) and UP`)
      return infoOf(fresh)
    },

    async stopAll() {
      await Promise.all(
        [...replicas.values()].map(async (replica) => {
          await balancer.setState(replica.name, 'maint').catch(() => '')
          await stopProcess(replica)
          replica.child.stdin?.destroy()
        }),
      )
      replicas.clear()
    },
  }
}

const infoOf = (replica: ReplicaProcess): ReplicaInfo => ({
  name: replica.name,
  port: replica.port,
  pid: replica.child.pid ?? -1,
  url: `http://${HOST}:${replica.port}`,
})

async function stopProcess(replica: ReplicaProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (isRunning(replica.child)) replica.child.kill(signal)
  await waitForExit(replica.child, 40_000)
}

/** Starts the production server on `port` and resolves once its own /readyz answers 200. */
async function spawnReplica(name: string, port: number, env: Record<string, string>, options: ReplicaSetOptions): Promise<ReplicaProcess> {
  const output = new Tail()
  const child = spawn(process.execPath, ['--import', PARENT_WATCHDOG, SERVER_BUNDLE], {
    cwd: repoRoot,
    env: { ...process.env, ...options.baseEnv, ...env, PORT: String(port) },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  track(child)
  child.stdin?.on('error', () => {})
  collectOutput(child, output, options.inherit, `[${name}] `)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      child.stdin?.destroy()
      resolve()
    }),
  )
  await waitUntilReady(name, port, child, output, options.startTimeoutMs)
  return { name, port, env, child, output, exited }
}

/** Ready = the replica's own /readyz says 200 (database reachable), before the balancer is told about it. */
async function waitUntilReady(name: string, port: number, child: ChildProcess, output: Tail, startTimeoutMs: number): Promise<void> {
  const until = Date.now() + startTimeoutMs
  for (;;) {
    if (!isRunning(child))
      throw new Error(`replica ${name} exited during start (${child.exitCode ?? child.signalCode}):\n${output.toString().slice(-3_000)}`)
    const ready = await fetch(`http://${HOST}:${port}/readyz`, { signal: AbortSignal.timeout(3_000) }).then(
      (response) => response.status === 200,
      () => false,
    )
    if (ready) return
    if (Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error(`replica ${name} was not ready within ${startTimeoutMs} ms:\n${output.toString().slice(-3_000)}`)
    }
    await sleep(200)
  }
}
