import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'

/**
 * Starts aws-ses-v2-local (a local SES v1/v2 API server) on 127.0.0.1. The app's real SES client is pointed
 * at it through SES_ENDPOINT; what was "sent" can be read back from GET <endpoint>/store, and its mail viewer
 * is at the endpoint's root.
 */
export type LocalSes = { endpoint: string; port: number; stop: () => Promise<void>; process: ChildProcess }

const require = createRequire(import.meta.url)

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
    if (child.exitCode !== null) throw new Error(`aws-ses-v2-local exited early with code ${child.exitCode}`)
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

export async function startLocalSes(options: { port?: number; log?: (message: string) => void } = {}): Promise<LocalSes> {
  const port = options.port || (await freePort())
  const cli = path.join(path.dirname(require.resolve('aws-ses-v2-local/package.json')), 'dist', 'cli.js')
  const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  await waitForPort(port, child, 15_000)
  const endpoint = `http://127.0.0.1:${port}`
  options.log?.(`local SES server at ${endpoint} (mail viewer: ${endpoint}/)`)
  return {
    endpoint,
    port,
    process: child,
    stop: async () => {
      process.removeListener('exit', killOnExit)
      if (child.exitCode !== null) return
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref()
      })
    },
  }
}

const isEntryPoint = process.argv[1] && path.resolve(process.argv[1]).endsWith(path.join('scripts', 'local-ses.ts'))
if (isEntryPoint) {
  const port = Number(process.env.SES_PORT || 8005)
  startLocalSes({ port, log: console.log }).then((ses) => {
    console.log(`SES_ENDPOINT=${ses.endpoint}`)
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => ses.stop().then(() => process.exit(0)))
  })
}
