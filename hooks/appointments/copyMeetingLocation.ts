import type { CollectionBeforeChangeHook } from 'payload'

/** The meeting place is fixed at booking time, so a later profile edit does not move existing sessions. */
export const copyMeetingLocation: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create' || data.meetingLocation || !data.tutor) return data
  const tutorId = typeof data.tutor === 'object' ? data.tutor.id : data.tutor
  const tutor = await req.payload.findByID({ collection: 'tutors', id: tutorId, depth: 0, overrideAccess: true, req })
  return { ...data, meetingLocation: tutor?.meetingLocation ?? undefined }
}
