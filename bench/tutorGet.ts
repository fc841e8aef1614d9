/**
 * GET /api/tutors/:id alone (the baseline row of bench/booking.ts), anonymous and signed in as a student: one
 * production server, one fresh database, autocannon on loopback. Prints req/s, p50/p99, the server's CPU per
 * request and the load average.
 * CPU_PROF_DIR=/tmp/getprof also writes a V8 CPU profile of the server (summarise it with bench/cpuProfileSummary.ts).
 *
 *   BENCH_DURATION_S=10 npx tsx bench/tutorGet.ts
 */
import fs from 'node:fs'
import os from 'node:os'

import autocannon from 'autocannon'

import type { Tutor } from '../src/payload-types'
import { DEPLOYMENT_NODE_OPTIONS, startBenchServices, createBenchTutor } from './benchServices'
import { startAppServer } from '../test/helpers/appServer'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 20)
const DURATION_S = Number(process.env.BENCH_DURATION_S || 10)
const PROFILE_DIR = process.env.CPU_PROF_DIR

/** CPU seconds (user + system) of one process, from /proc. */
function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function main() {
  const services = await startBenchServices('tutortrack_tutorget')
  const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []
  const server = await startAppServer({ ...services.env, NODE_OPTIONS: DEPLOYMENT_NODE_OPTIONS }, { timeoutMs: 240_000, nodeArgs })
  try {
    const { getPayload } = await import('payload')
    const { default: config } = await import('../src/payload.config')
    const payload = await getPayload({ config })
    const tutor = await createBenchTutor(payload, 'Bench Get', 'get@bench.local')
    const email = 'get@student.bench.local'
    const password = 'bench passphrase 12345'
    await payload.create({ collection: 'students', data: { email, password, fullName: 'Bench Get', timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
    await payload.destroy()
    const login = await fetch(`${server.url}/api/students/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
    const { token } = (await login.json()) as { token: string }

    const url = `${server.url}/api/tutors/${tutor.id}`
    const runs: [string, Record<string, string>][] = [
      ['anonymous', {}],
      ['student (JWT)', { authorization: `JWT ${token}` }],
    ]
    if (process.env.BENCH_ONLY_ANONYMOUS) runs.length = 1
    for (const [label, headers] of runs) {
      for (let i = 0; i < 20; i++) await (await fetch(url, { headers })).arrayBuffer()
      const cpuBefore = processCpuSeconds(server.process.pid!)
      const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_S })
      // Less sensitive to other work on the machine than req/s: the server's own CPU per answered request.
      const cpuMs = ((processCpuSeconds(server.process.pid!) - cpuBefore) * 1000) / Math.max(1, result.requests.total)
      const load = os.loadavg().map((value) => value.toFixed(2)).join(' ')
      console.log(`GET /api/tutors/:id ${label}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, server CPU ${cpuMs.toFixed(2)} ms/request; load ${load}`)
    }
  } finally {
    await server.stop()
    await services.stop()
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
