import type { CollectionBeforeReadHook, FieldAccess, PayloadRequest } from 'payload'

import { isTutorUser } from '../../src/access/roles'
import type { Student } from '../../src/payload-types'
import { refOf } from '../../src/scheduling'

type StudentSummary = { name: string; timeZone: string } | null

const CACHE_KEY = 'studentSummaries'

/**
 * A tutor may not read the students collection, yet needs to know who booked and in which zone they live. These
 * virtual fields give them exactly that, on their own sessions only (access to the session is already checked);
 * one lookup per student per request.
 */
async function summaryOf(req: PayloadRequest, studentRef: unknown): Promise<StudentSummary> {
  const id = refOf(studentRef as Parameters<typeof refOf>[0])
  if (!id) return null
  const cache = ((req.context[CACHE_KEY] as Map<string, Promise<StudentSummary>> | undefined) ??= new Map())
  req.context[CACHE_KEY] = cache
  let summary = cache.get(id)
  if (!summary) {
    summary = req.payload
      .findByID({ collection: 'students', id, depth: 0, overrideAccess: true, disableErrors: true, select: { fullName: true, timeZone: true } })
      .then((student) => (student ? { name: (student as Student).fullName, timeZone: (student as Student).timeZone } : null))
    cache.set(id, summary)
  }
  return summary
}

/**
 * beforeRead sees the stored document before field access hides `student` from the tutor: fill the two virtual
 * fields from it here.
 */
export const showStudentToTutor: CollectionBeforeReadHook = async ({ doc, req }) => {
  if (!isTutorUser(req)) return doc
  const summary = await summaryOf(req, doc.student)
  return { ...doc, studentName: summary?.name, studentTimeZone: summary?.timeZone }
}

/** Only a tutor reads these: everyone else who may read the session reads its student. */
export const tutorsOnly: FieldAccess = ({ req }) => isTutorUser(req)
