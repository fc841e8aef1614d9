import config from '@payload-config'
import { headers as requestHeaders } from 'next/headers'
import { getPayload } from 'payload'

import type { Student } from '../../../payload-types'

/** The student signed in with this request's cookie, or null (staff sessions are not students on the site). */
export async function currentStudent(): Promise<Student | null> {
  const payload = await getPayload({ config })
  const { user } = await payload.auth({ headers: await requestHeaders() })
  return user?.collection === 'students' ? (user as unknown as Student) : null
}
