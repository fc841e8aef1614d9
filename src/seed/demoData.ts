import { randomBytes } from 'node:crypto'

import type { Payload } from 'payload'

import type { Tutor } from '../payload-types'
import { tutorScheduleFromDoc } from '../booking/tutorSchedule'
import { DAY_MS, openSlots } from '../scheduling'

type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri']

const DEMO_TUTORS = [
  { name: 'Ada Lovelace', timeZone: 'Europe/London', subjects: ['mathematics', 'computer-science'], hours: [['09:00', '12:00'], ['14:00', '17:00']], rate: 55, bio: 'Analytical engines, algorithms and proofs, explained patiently.' },
  { name: 'Srinivasa Ramanujan', timeZone: 'Asia/Kolkata', subjects: ['mathematics'], hours: [['10:00', '13:00'], ['18:00', '21:00']], rate: 45, bio: 'Number theory, series and exam preparation for olympiads.' },
  { name: 'Marie Curie', timeZone: 'Europe/Paris', subjects: ['physics', 'chemistry', 'french'], hours: [['08:30', '12:30']], rate: 60, bio: 'Physics and chemistry from first principles; sessions in English or French.' },
  { name: 'Frederick Douglass', timeZone: 'America/New_York', subjects: ['history', 'english'], hours: [['13:00', '18:00']], rate: 40, bio: 'Essay writing, rhetoric and American history.' },
  { name: 'Rosalind Franklin', timeZone: 'America/Los_Angeles', subjects: ['biology', 'chemistry'], hours: [['07:00', '11:00'], ['15:00', '19:00']], rate: 50, bio: 'Molecular biology, lab technique and AP Biology.' },
  { name: 'Gabriela Mistral', timeZone: 'America/Santiago', subjects: ['spanish', 'english', 'music'], hours: [['09:00', '14:00']], rate: 35, bio: 'Spanish conversation, literature and song.' },
] as const

const DEMO_STUDENTS = [
  { fullName: 'Sam Rivera', email: 'sam@student.tutortrack.local', timeZone: 'America/Los_Angeles' },
  { fullName: 'Priya Nair', email: 'priya@student.tutortrack.local', timeZone: 'Asia/Kolkata' },
  { fullName: 'Oskar Lindqvist', email: 'oskar@student.tutortrack.local', timeZone: 'Europe/Stockholm' },
]

export type SeedResult = { seeded: boolean; credentials: { role: string; email: string; password: string }[] }

const password = (fromEnv: string | undefined) => fromEnv || randomBytes(12).toString('base64url')

/**
 * Demo data for a newcomer: an admin, an editor, six tutors across subjects and time zones, three verified
 * students and a few booked sessions (booked through the same rules as any other). Skipped when tutors exist.
 */
export async function seedDemoData(payload: Payload, options: { onlyIfEmpty?: boolean } = {}): Promise<SeedResult> {
  if (options.onlyIfEmpty) {
    const existing = await payload.count({ collection: 'tutors', overrideAccess: true })
    if (existing.totalDocs > 0) return { seeded: false, credentials: [] }
  }
  const credentials: SeedResult['credentials'] = []

  const staff = [
    { role: 'admin' as const, name: 'Admin', email: process.env.SEED_ADMIN_EMAIL || 'admin@tutortrack.local', password: password(process.env.SEED_ADMIN_PASSWORD) },
    { role: 'editor' as const, name: 'Editor', email: process.env.SEED_EDITOR_EMAIL || 'editor@tutortrack.local', password: password(process.env.SEED_EDITOR_PASSWORD) },
  ]
  for (const member of staff) {
    const found = await payload.find({ collection: 'users', where: { email: { equals: member.email } }, limit: 1, overrideAccess: true })
    if (found.totalDocs === 0) {
      await payload.create({ collection: 'users', data: { name: member.name, email: member.email, password: member.password, role: member.role }, overrideAccess: true })
      credentials.push({ role: member.role, email: member.email, password: member.password })
    }
  }

  const tutors: Tutor[] = []
  for (const demo of DEMO_TUTORS) {
    const tutor = (await payload.create({
      collection: 'tutors',
      data: {
        name: demo.name,
        bio: demo.bio,
        subjects: [...demo.subjects],
        contactEmail: `${demo.name.split(' ')[0].toLowerCase()}@tutors.tutortrack.local`,
        timeZone: demo.timeZone,
        weeklyAvailability: WEEKDAYS.flatMap((day) => demo.hours.map(([start, end]) => ({ day, start, end }))),
        timeOff: [{ start: new Date(Date.now() + 10 * DAY_MS).toISOString(), end: new Date(Date.now() + 11 * DAY_MS).toISOString(), reason: 'Conference' }],
        sessionLengths: [30, 60, 90],
        meetingLocation: `https://meet.tutortrack.local/${demo.name.split(' ')[0].toLowerCase()}`,
        hourlyRate: demo.rate,
        active: true,
      } as Tutor,
      overrideAccess: true,
    })) as Tutor
    tutors.push(tutor)
  }

  const studentPassword = password(process.env.SEED_STUDENT_PASSWORD)
  const students = []
  for (const demo of DEMO_STUDENTS) {
    const found = await payload.find({ collection: 'students', where: { email: { equals: demo.email } }, limit: 1, overrideAccess: true })
    if (found.totalDocs > 0) {
      students.push(found.docs[0])
      continue
    }
    students.push(
      await payload.create({
        collection: 'students',
        data: { ...demo, password: studentPassword, _verified: true },
        disableVerificationEmail: true,
        overrideAccess: true,
      }),
    )
    credentials.push({ role: 'student', email: demo.email, password: studentPassword })
  }

  // A few real bookings: the first open slots a few days out, so the admin list and availability show them.
  const now = Date.now()
  for (const [index, tutor] of tutors.slice(0, 4).entries()) {
    const slots = openSlots({
      tutor: tutorScheduleFromDoc(tutor),
      busy: [],
      range: { start: now + (2 + index) * DAY_MS, end: now + (9 + index) * DAY_MS },
      durationMinutes: 60,
      now,
    })
    const slot = slots[index % Math.max(1, slots.length)]
    if (!slot) continue
    await payload.create({
      collection: 'appointments',
      data: {
        tutor: tutor.id,
        student: students[index % students.length].id,
        start: new Date(slot.start).toISOString(),
        end: new Date(slot.end).toISOString(),
        notes: 'Demo booking from the seed script.',
        status: 'booked',
      },
      overrideAccess: true,
    })
  }
  return { seeded: true, credentials }
}
