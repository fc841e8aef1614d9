import { ObjectId } from 'mongodb'
import { startLocalDatabase } from '../scripts/local-db'
import { startLocalSes } from '../scripts/local-ses'
const database = await startLocalDatabase({ fresh: true, dbName: 'prof', log: () => {} })
const ses = await startLocalSes()
Object.assign(process.env, { DATABASE_URI: database.uri, SES_ENDPOINT: ses.endpoint, AWS_ACCESS_KEY_ID: 'l', AWS_SECRET_ACCESS_KEY: 'l', EMAIL_KICK_DISABLED: '1', EMAIL_DISPATCH_CONCURRENCY: process.env.C ?? '8' })
const { getPayload } = await import('payload')
const { default: config } = await import('../src/payload.config')
const { emailServicesFor } = await import('../src/email/services')
const { renderEmail } = await import('../src/email/render')
const payload = await getPayload({ config })
const s = await emailServicesFor(payload)
const times: Record<string, number[]> = {}
const wrap = (obj: any, name: string, label: string) => { const f = obj[name].bind(obj); obj[name] = async (...a: any[]) => { const t = performance.now(); try { return await f(...a) } finally { (times[label] ??= []).push(performance.now() - t) } } }
wrap(s.outbox, 'due', 'due'); wrap(s.outbox, 'findById', 'findById'); wrap(s.outbox, 'writeAttempt', 'writeAttempt'); wrap(s.claims, 'tryClaim', 'tryClaim')
const d: any = s.dispatcher; wrap(d.deps, 'send', 'send'); wrap(d, 'staleReason', 'stale'); wrap(d, 'attempt', 'attempt')
const r = await renderEmail('appointment-reminder', { start: Date.now(), end: Date.now() + 1, timeZone: 'UTC', tutorName: 'T', studentName: 'S', manageUrl: 'http://x', offsetMinutes: 60 })
for (let i = 0; i < 200; i++) await s.outbox.enqueue({ to: `p${i}@example.com`, template: 'other', ...r, dedupeKey: `p${i}` })
const t = performance.now()
const stats = await s.dispatcher.drain({ budgetMs: 600000 })
console.log(stats, ((performance.now() - t) / 1000).toFixed(2), 's')
for (const [k, v] of Object.entries(times)) console.log(k.padEnd(14), 'n', v.length, 'avg', (v.reduce((a, b) => a + b, 0) / v.length).toFixed(1), 'max', Math.max(...v).toFixed(0))
await payload.destroy(); await ses.stop(); await database.stop(); process.exit(0)
