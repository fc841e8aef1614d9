import type { CollectionBeforeChangeHook } from 'payload'

import { writeTutor } from '../../src/booking/writeContext'

/** The meeting place is fixed at booking time, so a later profile edit does not move existing sessions. */
export const copyMeetingLocation: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create' || data.meetingLocation || !data.tutor) return data
  const tutor = await writeTutor(req, data.tutor)
  return { ...data, meetingLocation: tutor?.meetingLocation ?? undefined }
}
