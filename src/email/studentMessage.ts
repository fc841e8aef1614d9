import { randomUUID } from 'node:crypto'

import type { Payload } from 'payload'

import { kickDispatch } from './kicks'
import { renderEmail } from './render'
import { emailServicesFor } from './services'

/**
 * A student's message to their tutor about one session, queued in the outbox like every other mail (the
 * dispatcher retries it; a kick sends it at once). Each message is its own mail, so the dedupe key is new.
 */
export async function queueMessageToTutor(
  payload: Payload,
  input: { appointmentId: string; to: string; tutorName: string; studentName: string; message: string; start: number; end: number; tutorTimeZone: string },
): Promise<void> {
  const rendered = await renderEmail('tutor-student-message', {
    tutorName: input.tutorName,
    studentName: input.studentName,
    message: input.message,
    start: input.start,
    end: input.end,
    timeZone: input.tutorTimeZone,
  })
  const { outbox } = await emailServicesFor(payload)
  const queued = await outbox.enqueue({
    to: input.to,
    template: 'tutor-student-message',
    ...rendered,
    appointmentId: input.appointmentId,
    dedupeKey: `student-message:${input.appointmentId}:${randomUUID()}`,
  })
  kickDispatch(payload, [queued.id])
}
