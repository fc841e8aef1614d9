/**
 * How fast due reminders leave the outbox, with one and with three dispatcher processes, and whether any
 * went twice. Starts its own fresh database (scripts/local-db.ts) and local SES (scripts/local-ses.ts).
 *
 *   npx tsx bench/reminderDispatch.ts            # 1,000 reminders per round
 *   BENCH_REMINDERS=200 npx tsx bench/reminderDispatch.ts
 *   BENCH_SES_LATENCY_MS=0 npx tsx bench/reminderDispatch.ts   # loopback rounds only (default: 0,50)
 *
 * Per round: vacuum the emptied tables, queue the reminders (one booked appointment each) to fall due at one
 * instant t0, start N `scripts/dispatch-emails.ts` processes, let them send BENCH_WARMUP_REMINDERS (300) others
 * that are due at once, and time from t0 until they have sent every timed one (checked against the outbox).
 * Duplicates = messages SES received − distinct outbox messages, warm-up included.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { ObjectId } from 'mongodb'

import { cpuSeconds, cpuUsedSince, databaseProcessMatchers } from './processCpu'
import { startLocalDatabase } from '../scripts/local-db'
import { startLocalSes } from '../scripts/local-ses'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const COUNT = Number(process.env.BENCH_REMINDERS || 1000)
const PROCESS_COUNTS = (process.env.BENCH_PROCESSES || '1,3').split(',').map(Number)
/**
 * SES answers from another machine: every send waits a network round trip, which the local SES server on
 * loopback does not have. A round with latency puts it back (a proxy holds each SES response this long), so the
 * rounds show both limits: the shared CPU (no latency) and the wait on SES (latency).
 */
const SES_LATENCIES_MS = (process.env.BENCH_SES_LATENCY_MS || '0,50').split(',').map(Number)
const ROUNDS = SES_LATENCIES_MS.flatMap((latencyMs) => PROCESS_COUNTS.map((processes) => ({ processes, latencyMs })))
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS || 300_000)
/** Reminders each round's dispatchers send before the timed ones fall due (see the round loop). */
const WARMUP = Number(process.env.BENCH_WARMUP_REMINDERS ?? 300)

type Row = { processes: number; latencyMs: number; reminders: number; seconds: number; perSecond: number; sesMessages: number; duplicates: number; retried: number }

/** Spawned dispatchers, stopped on any exit path (they are detached process groups). */
const running: Dispatcher[] = []

type Dispatcher = { child: ChildProcess; ready: Promise<void>; stop: () => Promise<void>; sent: () => number; contention: () => { busy: number; skipped: number; batches: number } }

/** The dispatcher's own running total (its JSON batch lines), so timing does not load the database. */
function sentSoFar(output: string): number {
  const matches = [...output.matchAll(/"totals":\{"sent":(\d+)/g)]
  return matches.length ? Number(matches[matches.length - 1][1]) : 0
}

function spawnDispatcher(env: NodeJS.ProcessEnv): Dispatcher {
  // BENCH_DISPATCHER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' shows where a dispatcher's CPU goes.
  const nodeArgs = (process.env.BENCH_DISPATCHER_NODE_ARGS || '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx/esm', 'scripts/dispatch-emails.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += String(chunk)))
  child.stderr?.on('data', (chunk) => (output += String(chunk)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('"event":"ready"')) {
        clearInterval(timer)
        resolve()
      }
    }, 50)
    child.once('exit', (code) => {
      clearInterval(timer)
      reject(new Error(`dispatcher exited with ${code}:\n${output.slice(-2000)}`))
    })
  })
  return {
    child,
    ready,
    sent: () => sentSoFar(output),
    // Candidates another process already had (busy) or had settled (skipped), over the batches that sent something.
    contention: () => {
      const batches = [...output.matchAll(/"event":"batch"[^\n]*"busy":(\d+),"skipped":(\d+)/g)]
      return {
        busy: batches.reduce((sum, match) => sum + Number(match[1]), 0),
        skipped: batches.reduce((sum, match) => sum + Number(match[2]), 0),
        batches: batches.length,
      }
    },
    stop: async () => {
      if (child.exitCode !== null) return
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        return
      }
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/**
 * On the local stand-in, the rows earlier rounds deleted stay in PostgreSQL's tables and indexes as dead rows
 * until a vacuum, and an autovacuum that starts mid-round takes CPU from the round being timed (measured: the
 * fourth round's PostgreSQL CPU per reminder tripled). A full vacuum between rounds gives every round the same
 * empty tables. Returns how many dead rows it found.
 */
function vacuumLocalPostgres(postgresDatabase: string | undefined): number | undefined {
  if (!postgresDatabase) return undefined
  const server = process.env.LOCAL_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432'
  const psql = (sql: string) => {
    const result = spawnSync('psql', [`${server}/${postgresDatabase}`, '-Atc', sql], { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`psql ${sql}: ${result.stderr || result.error}`)
    return result.stdout.trim()
  }
  const dead = Number(psql('SELECT coalesce(sum(n_dead_tup), 0) FROM pg_stat_user_tables'))
  psql('VACUUM (FULL, ANALYZE)')
  return dead
}

/** A TCP proxy to `target` that holds every response chunk for the current delay (order kept). */
async function startDelayingProxy(target: number) {
  let delayMs = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.pipe(upstream)
    upstream.on('data', (chunk: Buffer) => {
      const wait = delayMs
      if (wait === 0) client.write(chunk)
      else setTimeout(() => client.write(chunk), wait)
    })
    const teardown = () => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    // Let the held responses out before closing the client's side.
    upstream.on('close', () => setTimeout(teardown, delayMs + 10))
    upstream.on('error', teardown)
    client.on('error', teardown)
    client.on('close', teardown)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    setDelay: (ms: number) => void (delayMs = ms),
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function main(): Promise<void> {
  const database = await startLocalDatabase({ fresh: true, dbName: `tutortrack_bench_${Date.now()}`, log: () => undefined })
  const ses = await startLocalSes()
  Object.assign(process.env, {
    DATABASE_URI: database.uri,
    SES_ENDPOINT: ses.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID || 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY || 'local',
    PAYLOAD_SECRET: process.env.PAYLOAD_SECRET || 'tutortrack-bench-secret',
    SERVER_URL: process.env.SERVER_URL || 'http://localhost:3000',
    // This process only queues; the spawned dispatchers send.
    EMAIL_KICK_DISABLED: '1',
  })
  const { getPayload } = await import('payload')
  const { default: config } = await import('../src/payload.config')
  const { emailServicesFor } = await import('../src/email/services')
  const { TEMPLATES } = await import('../email-templates')
  const { manageBookingUrl } = await import('../src/email/appointmentMail')
  const { reminderDedupeKey } = await import('../src/email/appointmentEmailPlan')

  const payload = await getPayload({ config })
  const { outbox, claims, db } = await emailServicesFor(payload)
  const tutorId = new ObjectId()
  const rows: Row[] = []
  console.error(`database: ${database.kind} ${database.uri}; SES: ${ses.endpoint}; ${COUNT} reminders per round`)

  /** `count` booked appointments, each with one reminder falling due at `dueAt`, as the booking path queues them. */
  async function queueReminders(prefix: string, count: number, dueAt: Date): Promise<ObjectId[]> {
    // One booked appointment per reminder (the dispatcher re-checks it at send time), written directly.
    const firstStart = Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000
    const appointments = Array.from({ length: count }, (_, i) => ({
      _id: new ObjectId(),
      title: `${prefix} ${i}`,
      tutor: tutorId,
      student: new ObjectId(),
      start: new Date(firstStart + i * 3_600_000),
      end: new Date(firstStart + (i + 1) * 3_600_000),
      status: 'booked',
      bookingKey: `${prefix}-${i}`,
      createdAt: new Date(),
      updatedAt: new Date(),
    }))
    if (count > 0) await db.collection('appointments').insertMany(appointments)
    for (const [i, appointment] of appointments.entries()) {
      // Template props only, rendered by the dispatcher at send time.
      const props = {
        start: appointment.start.getTime(),
        end: appointment.end.getTime(),
        timeZone: 'America/Los_Angeles',
        tutorName: 'Bench Tutor',
        studentName: `Student ${i}`,
        meetingLocation: 'https://meet.example.com/bench',
        manageUrl: manageBookingUrl(appointment._id.toHexString()),
        offsetMinutes: 60,
      }
      await outbox.enqueue({
        to: `${prefix}-${i}@example.com`,
        template: 'appointment-reminder',
        subject: TEMPLATES['appointment-reminder'].subject(props),
        html: '',
        text: '',
        renderProps: props,
        appointmentId: appointment._id.toHexString(),
        appointmentStart: appointment.start,
        sendAt: dueAt,
        dedupeKey: reminderDedupeKey(appointment._id.toHexString(), appointment.start.getTime(), 60),
      })
    }
    return appointments.map((appointment) => appointment._id)
  }

  const delayedSes = await startDelayingProxy(Number(new URL(ses.endpoint).port))
  for (const { processes, latencyMs } of ROUNDS) {
    const round = `r${processes}-${Date.now().toString(36)}`
    delayedSes.setDelay(latencyMs)
    // Every round starts from the same empty outbox: on FerretDB each query reads the whole collection, so a
    // round run after another would pay for the earlier round's messages.
    await Promise.all([outbox.collection.deleteMany({}), outbox.queue.deleteMany({}), claims.collection.deleteMany({}), db.collection('appointments').deleteMany({})])
    const deadRows = vacuumLocalPostgres(database.postgresDatabase)

    // Every timed reminder falls due at t0, while the dispatchers are already running and warm (as replicas are
    // in production): each first sends WARMUP reminders due at once. A cold start would charge the timed round
    // with every process's JIT compilation and heap growth, three times over with three processes.
    const t0 = Date.now() + Number(process.env.BENCH_START_DELAY_MS || 60_000)
    const queueStarted = Date.now()
    const warmIds = await queueReminders(`warm-${round}`, WARMUP, new Date())
    const ids = await queueReminders(`bench-${round}`, COUNT, new Date(t0))
    const queueSeconds = (Date.now() - queueStarted) / 1000
    await fetch(`${ses.endpoint}/clear-store`, { method: 'POST' })

    const dispatchers = Array.from({ length: processes }, () =>
      spawnDispatcher({
        ...process.env,
        EMAIL_KICK_DISABLED: '',
        NODE_OPTIONS: '',
        // As deployed (the image sets it too): React renders the templates in its production build.
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        EMAIL_DISPATCH_POLL_MS: '100',
        EMAIL_DISPATCH_BATCH: '50',
        // The production default (EMAIL_DISPATCH_CONCURRENCY unset) unless BENCH_CONCURRENCY says otherwise.
        EMAIL_DISPATCH_CONCURRENCY: process.env.BENCH_CONCURRENCY || '',
        SES_ENDPOINT: latencyMs > 0 ? `http://127.0.0.1:${delayedSes.port}` : ses.endpoint,
      }),
    )
    running.push(...dispatchers)
    const sentByAll = () => dispatchers.reduce((sum, dispatcher) => sum + dispatcher.sent(), 0)
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.ready))
    while (sentByAll() < WARMUP) {
      if (Date.now() > t0) throw new Error(`the dispatchers had sent ${sentByAll()}/${WARMUP} warm-up reminders at t0; raise BENCH_START_DELAY_MS`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const warmContention = dispatchers.map((dispatcher) => dispatcher.contention())
    // Where the CPU goes while they send: the dispatchers, the database (FerretDB and PostgreSQL) and the local SES server.
    const cpuGroups: Record<string, (cmdline: string) => boolean> = {
      dispatchers: (cmdline) => cmdline.includes('scripts/dispatch-emails.ts') && !cmdline.startsWith('npm'),
      ...databaseProcessMatchers(database.uri),
      'local SES': (cmdline) => cmdline.includes('aws-ses-v2-local') && cmdline.includes(`--port ${new URL(ses.endpoint).port}`),
    }
    await new Promise((resolve) => setTimeout(resolve, t0 - Date.now()))
    const cpuBefore = Object.fromEntries(Object.entries(cpuGroups).map(([name, match]) => [name, cpuSeconds(match)]))
    let sent = 0
    while (sent < WARMUP + COUNT) {
      if (Date.now() - t0 > TIMEOUT_MS) throw new Error(`round with ${processes} process(es): only ${sent - WARMUP}/${COUNT} sent after ${TIMEOUT_MS} ms`)
      await new Promise((resolve) => setTimeout(resolve, 20))
      sent = sentByAll()
    }
    const seconds = (Date.now() - t0) / 1000
    const cpuUsed = Object.entries(cpuGroups).map(([name, match]) => [name, cpuUsedSince(cpuBefore[name], cpuSeconds(match))] as const)
    const recorded = await outbox.collection.countDocuments({ appointment: { $in: ids }, status: 'sent' })
    if (recorded !== COUNT) throw new Error(`the dispatchers reported ${sent - WARMUP} timed reminders sent, the outbox records ${recorded}`)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()))
    running.splice(0)

    const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { destination: { to: string[] } }[] }
    const mine = store.emails.filter((mail) => mail.destination.to.some((address) => address.includes(`bench-${round}-`)))
    const warmAtSes = store.emails.filter((mail) => mail.destination.to.some((address) => address.includes(`warm-${round}-`))).length
    const warmDistinct = await outbox.collection.countDocuments({ appointment: { $in: warmIds } })
    const distinct = new Set((await outbox.collection.find({ appointment: { $in: ids } }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id.toHexString()))
    const retried = await outbox.collection.countDocuments({ appointment: { $in: ids }, attempts: { $gt: 1 } })
    const claimCount = await claims.collection.countDocuments({ emailId: { $in: [...distinct] } })
    rows.push({
      processes,
      latencyMs,
      reminders: distinct.size,
      seconds,
      perSecond: distinct.size / seconds,
      sesMessages: mine.length,
      // The warm-up's duplicates count too: none may go twice, timed or not.
      duplicates: mine.length - distinct.size + (warmAtSes - warmDistinct),
      retried,
    })
    // The timed reminders' share only: the counts at the end minus those at t0.
    const contention = dispatchers.map((dispatcher, i) => {
      const total = dispatcher.contention()
      return { busy: total.busy - warmContention[i].busy, skipped: total.skipped - warmContention[i].skipped, batches: total.batches - warmContention[i].batches }
    })
    console.error(
      `round ${processes} × ${latencyMs} ms: ${deadRows === undefined ? '' : `vacuumed ${deadRows} dead rows first; `}queued ${WARMUP} + ${COUNT} in ${queueSeconds.toFixed(1)} s; sent in ${seconds.toFixed(1)} s; ${claimCount} claims; ${mine.length} at SES; ` +
        `CPU ms per reminder: ${cpuUsed.map(([name, used]) => `${name} ${((used / COUNT) * 1000).toFixed(1)}`).join(', ')}; ` +
        `batches ${contention.map((c) => c.batches).join('+')}, candidates busy elsewhere ${contention.reduce((sum, c) => sum + c.busy, 0)}, already settled ${contention.reduce((sum, c) => sum + c.skipped, 0)}`,
    )
  }

  console.log('\nReminder dispatch (FerretDB/MongoDB + local SES, scripts/dispatch-emails.ts processes)\n')
  console.log('| dispatchers | SES round trip | reminders | seconds | reminders/s | SES messages | duplicates | retried |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const row of rows) {
    console.log(
      `| ${row.processes} | ${row.latencyMs ? `+${row.latencyMs} ms` : 'loopback'} | ${row.reminders} | ${row.seconds.toFixed(2)} | ${row.perSecond.toFixed(0)} | ${row.sesMessages} | ${row.duplicates} | ${row.retried} |`,
    )
  }

  for (const latencyMs of SES_LATENCIES_MS) {
    const [one, three] = [1, 3].map((processes) => rows.find((row) => row.processes === processes && row.latencyMs === latencyMs))
    if (one && three) console.log(`three ÷ one dispatcher, SES ${latencyMs ? `+${latencyMs} ms` : 'on loopback'}: ${(three.perSecond / one.perSecond).toFixed(2)}× the reminders per second`)
  }

  await delayedSes.close()
  await payload.destroy()
  await ses.stop()
  await database.stop()
  const duplicates = rows.reduce((sum, row) => sum + row.duplicates, 0)
  process.exit(duplicates === 0 ? 0 : 1)
}

main().catch(async (error: unknown) => {
  console.error(error)
  await Promise.all(running.map((dispatcher) => dispatcher.stop()))
  process.exit(1)
})
