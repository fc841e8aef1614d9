import type { Payload } from 'payload'

import type { Tutor } from '../../src/payload-types'
import { api, uniqueEmail } from './api'

export const TEST_PASSWORD = 'correct horse battery staple'

const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** A tutor available every day 00:00–24:00 in UTC unless told otherwise, with no notice period. */
export async function createTutor(payload: Payload, overrides: Partial<Tutor> = {}): Promise<Tutor> {
  const name = overrides.name ?? `Tutor ${Math.random().toString(36).slice(2, 8)}`
  return (await payload.create({
    collection: 'tutors',
    data: {
      name,
      contactEmail: uniqueEmail('tutor'),
      timeZone: 'UTC',
      subjects: ['mathematics'],
      sessionLengths: [30, 60, 90],
      weeklyAvailability: ALL_DAYS.map((day) => ({ day, start: '00:00', end: '24:00' })),
      meetingLocation: 'https://meet.example.com/room',
      active: true,
      policy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 0 },
      ...overrides,
    } as Tutor,
  })) as Tutor
}

export type TestStudent = { id: string; email: string; token: string }

export async function createStudent(payload: Payload, options: { verified?: boolean; timeZone?: string; label?: string } = {}): Promise<TestStudent> {
  const email = uniqueEmail(options.label ?? 'student')
  const doc = await payload.create({
    collection: 'students',
    data: { email, password: TEST_PASSWORD, fullName: 'Test Student', timeZone: options.timeZone ?? 'UTC', _verified: options.verified ?? true },
    disableVerificationEmail: true,
  })
  const token = options.verified === false ? '' : await login('students', email)
  return { id: String(doc.id), email, token }
}

export async function createStaff(payload: Payload, role: 'admin' | 'editor'): Promise<{ id: string; email: string; token: string }> {
  const email = uniqueEmail(role)
  const doc = await payload.create({ collection: 'users', data: { email, password: TEST_PASSWORD, name: `Test ${role}`, role } })
  return { id: String(doc.id), email, token: await login('users', email) }
}

export type TestTutorAccount = { id: string; email: string; token: string; tutor: Tutor }

/** A tutor's sign-in (role tutor) linked to `tutor`, or to a new tutor profile. */
export async function createTutorAccount(payload: Payload, tutor?: Tutor): Promise<TestTutorAccount> {
  const profile = tutor ?? (await createTutor(payload))
  const email = uniqueEmail('tutoruser')
  const doc = await payload.create({ collection: 'users', data: { email, password: TEST_PASSWORD, name: profile.name, role: 'tutor', tutor: profile.id } })
  return { id: String(doc.id), email, token: await login('users', email), tutor: profile }
}

export async function login(collection: 'students' | 'users', email: string): Promise<string> {
  const response = await api('POST', `/api/${collection}/login`, { body: { email, password: TEST_PASSWORD } })
  if (response.status !== 200) throw new Error(`login failed for ${email}: ${JSON.stringify(response.body)}`)
  return response.body.token
}

/** A granule-aligned instant `days` from now at hh:mm UTC. */
export function futureUtc(days: number, hour: number, minute = 0): string {
  const date = new Date()
  date.setUTCDate(date.getUTCDate() + days)
  date.setUTCHours(hour, minute, 0, 0)
  return date.toISOString()
}
