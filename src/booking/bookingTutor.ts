import type { PayloadRequest } from 'payload'

import type { Tutor } from '../payload-types'

/** The tutor of the appointment being written: the one the booking rules already loaded, else one read. */
export async function bookingTutor(req: PayloadRequest, tutorRef: unknown): Promise<Tutor | null> {
  const tutorId = tutorRef && typeof tutorRef === 'object' ? String((tutorRef as { id: unknown }).id) : String(tutorRef)
  const loaded = req.context.bookingTutor as Tutor | undefined
  if (loaded && String(loaded.id) === tutorId) return loaded
  return (await req.payload.db.findOne({ collection: 'tutors', where: { id: { equals: tutorId } }, req })) as Tutor | null
}
