import type { CollectionBeforeChangeHook } from 'payload'

import { bookingTutor } from '../../src/booking/bookingTutor'

/** The meeting place is fixed at booking time, so a later profile edit does not move existing sessions. */
export const copyMeetingLocation: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create' || data.meetingLocation || !data.tutor) return data
  const tutor = await bookingTutor(req, data.tutor)
  return { ...data, meetingLocation: tutor?.meetingLocation ?? undefined }
}
