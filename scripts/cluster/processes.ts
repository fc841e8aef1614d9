// Child-process plumbing shared by the balancer and the replicas of the local cluster (docs/cluster.md).
import type { ChildProcess } from 'node:child_process'

/** The last `max` characters a process printed, for error messages. */
export class Tail {
  private text = ''
  constructor(private readonly max = 64_000) {}
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.max)
  }
  toString(): string {
    return this.text
  }
}

const children = new Set<ChildProcess>()
let exitHookInstalled = false

/** Registers a child to be SIGKILLed if this process exits without stopping it. */
export function track(child: ChildProcess): void {
  children.add(child)
  child.once('exit', () => children.delete(child))
  if (exitHookInstalled) return
  exitHookInstalled = true
  // Last resort when the owner dies without stop(): no replica or HAProxy outlives it.
  process.on('exit', () => {
    for (const running of children) running.kill('SIGKILL')
  })
}

export const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null

/** Resolves when the child has exited; SIGKILLs it after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (!isRunning(child)) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Keeps a child's stdout and stderr in `output`; with `inherit`, also copies them to stderr under `prefix`. */
export function collectOutput(child: ChildProcess, output: Tail, inherit: boolean, prefix: string): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8')
    stream?.on('data', (chunk: string) => {
      output.push(chunk)
      if (inherit) process.stderr.write(prefixLines(prefix, chunk))
    })
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function prefixLines(prefix: string, chunk: string): string {
  return chunk.replace(/^(?=.)/gm, prefix)
}
