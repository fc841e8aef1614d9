import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import type { Filter } from 'mongodb'
import ical from 'node-ical'
import type { Payload } from 'payload'

import { DISPATCHER_BUNDLE } from '../../scripts/build-server'
import { emailServicesFor } from '../../src/email/services'
import type { Outbox, OutboxDocument } from '../../src/email/outbox'
import { retryBusy } from '../../src/storage/busyRetry'
import type { StoredEmail } from './mailbox'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export async function outboxFor(payload: Payload) {
  return (await emailServicesFor(payload)).outbox
}

export async function outboxDocs(payload: Payload, filter: Record<string, unknown>): Promise<OutboxDocument[]> {
  const outbox = await outboxFor(payload)
  return outbox.collection.find(filter).sort({ createdAt: 1 }).toArray()
}

/** Makes the selected queued messages due at `when`; returns how many. */
export async function makeDue(outbox: Outbox, filter: Filter<OutboxDocument>, when = new Date()): Promise<number> {
  const messages = await outbox.collection.find({ ...filter, status: 'queued' }, { projection: { _id: 1 } }).toArray()
  // One `_id` update at a time: FerretDB answers an `$in` update by scanning once per listed id.
  for (const { _id } of messages) {
    await retryBusy(() => outbox.collection.updateOne({ _id }, { $set: { nextAttemptAt: when } }))
    await outbox.reschedule(_id, when)
  }
  return messages.length
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 150): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined | false
  while (Date.now() < deadline) {
    last = await probe()
    if (last) return last
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
}

/** The calendar invite of a stored (sent) email, as text, and its one VEVENT parsed by node-ical. */
export function inviteOf(email: StoredEmail): { text: string; event: ical.VEvent } {
  const attachment = email.attachments?.find((file) => /\.ics$/i.test(file.filename ?? '') || /calendar|ics/i.test(file.contentType))
  if (!attachment) throw new Error(`No calendar invite in "${email.subject}"`)
  const text = Buffer.from(attachment.content, 'base64').toString('utf8')
  const events = Object.values(ical.sync.parseICS(text)).filter((item) => item?.type === 'VEVENT') as ical.VEvent[]
  if (events.length !== 1) throw new Error(`Expected one VEVENT, found ${events.length}`)
  return { text, event: events[0] }
}

export type DispatcherProcess = {
  child: ChildProcess
  ready: Promise<void>
  output: () => string
  /** SIGTERM, then wait for the exit code. */
  stop: () => Promise<number | null>
  /** SIGKILL to the whole process group, as a crash would. */
  kill: () => Promise<void>
}

/**
 * Starts the stand-alone dispatcher (scripts/dispatch-emails.ts as compiled by the run's production build, like the
 * server: dist/dispatch-emails.mjs) with the test environment plus `env`.
 */
export function startDispatcherProcess(env: Record<string, string> = {}): DispatcherProcess {
  const child = spawn(process.execPath, [DISPATCHER_BUNDLE], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', PAYLOAD_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += String(chunk)))
  child.stderr?.on('data', (chunk) => (output += String(chunk)))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.includes('"event":"ready"')) {
        clearInterval(timer)
        resolve()
      }
    }
    const timer = setInterval(check, 100)
    child.once('exit', (code) => {
      clearInterval(timer)
      reject(new Error(`dispatcher exited (${code}) before it was ready:\n${output.slice(-3000)}`))
    })
  })
  ready.catch(() => undefined)
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal)
    } catch {
      // already gone
    }
  }
  return {
    child,
    ready,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode
      signalGroup('SIGTERM')
      const timer = setTimeout(() => signalGroup('SIGKILL'), 15_000)
      const code = await exited
      clearTimeout(timer)
      return code
    },
    kill: async () => {
      signalGroup('SIGKILL')
      await exited
    },
  }
}
