// `npm run cluster`: the local cluster's CLI (startCluster is in scripts/cluster/startCluster.ts); see docs/cluster.md.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'

import type { BalanceAlgorithm } from './cluster/haproxy'
import { startCluster, type Cluster } from './cluster/startCluster'

// The library API, for importers of this path (new code imports ./cluster/startCluster).
export { startCluster } from './cluster/startCluster'
export type { BalanceAlgorithm, Cluster, ClusterOptions, HealthCheckOptions, ReplicaInfo, ServerStat } from './cluster/startCluster'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

type CliOptions = { replicas: number; balance: BalanceAlgorithm; retries: boolean; port: number; seed: boolean; appRateLimits: boolean }

function parseCliArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    replicas: 3,
    balance: 'roundrobin',
    retries: true,
    port: Number(process.env.CLUSTER_PORT) || 8080,
    seed: true,
    appRateLimits: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const next = argv[++i]
      if (next === undefined) throw new Error(`missing value for ${arg}`)
      return next
    }
    switch (arg) {
      case '--replicas':
        options.replicas = Number.parseInt(value(), 10)
        if (!(options.replicas >= 1)) throw new Error('--replicas must be a positive integer')
        break
      case '--balance': {
        const balance = value()
        if (balance !== 'roundrobin' && balance !== 'leastconn') throw new Error('--balance must be roundrobin or leastconn')
        options.balance = balance
        break
      }
      case '--no-retries':
        options.retries = false
        break
      case '--port':
        options.port = Number.parseInt(value(), 10)
        break
      case '--no-seed':
        options.seed = false
        break
      case '--app-rate-limits':
        options.appRateLimits = true
        break
      case '-h':
      case '--help':
        process.stdout.write(
          'Usage: npm run cluster -- [--replicas N] [--balance roundrobin|leastconn] [--no-retries] [--port N] [--no-seed] [--app-rate-limits]\n' +
            'Starts N production replicas behind HAProxy (load balancer on 127.0.0.1:8080 by default; --port 0 picks a free one).\n' +
            'Rate limits are raised for load testing unless --app-rate-limits is given.\n' +
            'While it runs, type: status | add | remove <name> | kill <name> | restart <name> | rolling | help.  Ctrl-C stops everything.\n',
        )
        process.exit(0)
        break
      default:
        throw new Error(`unknown argument: ${arg} (try --help)`)
    }
  }
  return options
}

async function printStatus(cluster: Cluster): Promise<void> {
  const stats = new Map((await cluster.serverStats()).map((stat) => [stat.name, stat]))
  console.log(`load balancer  ${cluster.url}`)
  for (const replica of cluster.replicas) {
    const stat = stats.get(replica.name)
    console.log(
      `  ${replica.name.padEnd(4)} port ${replica.port}  pid ${String(replica.pid).padEnd(7)} ${(stat?.status ?? '?').padEnd(9)} requests ${stat?.stot ?? 0}  in flight ${stat?.scur ?? 0}`,
    )
  }
}

async function main(): Promise<void> {
  const cli = parseCliArgs(process.argv.slice(2))
  const cluster = await startCluster({
    replicas: cli.replicas,
    balance: cli.balance,
    retries: cli.retries,
    port: cli.port,
    highRateLimits: !cli.appRateLimits,
    log: (message) => console.log(`[cluster] ${message}`),
  })

  if (cli.seed) {
    const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx')
    const seeded = spawnSync(tsx, ['scripts/seed.ts', '--if-empty'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URI: cluster.databaseUri, SERVER_URL: cluster.url },
      stdio: 'inherit',
    })
    if (seeded.status !== 0) console.log('[cluster] seeding failed; the cluster runs anyway')
  }

  console.log('')
  await printStatus(cluster)
  console.log(
    `\nOpen ${cluster.url}/ (admin: ${cluster.url}/admin). Commands: status | add | remove <name> | kill <name> | restart <name> | rolling. Ctrl-C stops.`,
  )

  let stopping = false
  const shutdown = async (code: number) => {
    if (stopping) return
    stopping = true
    console.log('[cluster] stopping replicas, HAProxy and local services…')
    await cluster.stop()
    process.exit(code)
  }
  process.on('SIGINT', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))

  const commands = readline.createInterface({ input: process.stdin })
  let busy = Promise.resolve()
  commands.on('line', (line) => {
    const [command, name] = line.trim().split(/\s+/)
    busy = busy.then(async () => {
      try {
        switch (command) {
          case '':
            return
          case 'status':
            break
          case 'add':
            await cluster.addReplica()
            break
          case 'remove':
            await cluster.drainAndRemoveReplica(name)
            break
          case 'kill':
            await cluster.killReplica(name, 'SIGKILL')
            break
          case 'restart':
            await cluster.restartReplica(name)
            break
          case 'rolling':
            for (const replica of cluster.replicas) await cluster.restartReplica(replica.name)
            break
          default:
            console.log('commands: status | add | remove <name> | kill <name> | restart <name> | rolling')
            return
        }
        await printStatus(cluster)
      } catch (error) {
        console.log(`[cluster] ${error instanceof Error ? error.message : String(error)}`)
      }
    })
  })
  // Without a terminal (stdin closed), keep running until a signal.
  setInterval(() => {}, 1 << 30)
}

const invokedDirectly = (() => {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return fs.realpathSync(path.resolve(entry)) === fs.realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()

if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
