import type { PayloadRequest } from 'payload'

import { isStudent } from '../access/roles'
import { languageOf, translator, type Translate } from './translator'

/**
 * The words of an API answer (namespace ApiErrors) for whoever asked: a student in their profile language,
 * else the request's Accept-Language; staff and anonymous callers by Accept-Language too (else English).
 */
export function requestLanguage(req: Pick<PayloadRequest, 'user' | 'headers'>): string {
  const person = isStudent(req as PayloadRequest) ? (req.user as { language?: string | null }) : null
  return languageOf(person, req.headers?.get('accept-language'))
}

export const studentApiText = (req: Pick<PayloadRequest, 'user' | 'headers'>): Translate => translator(requestLanguage(req), 'ApiErrors')
