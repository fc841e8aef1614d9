import type { Payload } from 'payload'

import type { Tutor } from '../payload-types'
import { tutorScheduleFromDoc } from '../readModels/tutors'
import { BOOKED, DAY_MS, openSlots } from '../scheduling'
import { DEMO_STAFF, DEMO_STUDENTS, demoPassword, type DemoAccount } from './demoAccounts'

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

/** `credentials`: the accounts this run created, with their passwords (src/seed/demoAccounts.ts keeps them). */
export type SeedResult = { seeded: boolean; credentials: DemoAccount[] }

/**
 * Demo data for a newcomer: an admin, an editor, a tutor account (Ada's), six tutors across subjects and time zones, three verified
 * students and a few booked sessions (booked through the same rules as any other). Skipped when tutors exist.
 */
export async function seedDemoData(payload: Payload, options: { onlyIfEmpty?: boolean } = {}): Promise<SeedResult> {
  if (options.onlyIfEmpty) {
    const existing = await payload.count({ collection: 'tutors', overrideAccess: true })
    if (existing.totalDocs > 0) return { seeded: false, credentials: [] }
  }
  const credentials: SeedResult['credentials'] = []

  const staffAccount = async (member: (typeof DEMO_STAFF)[number], extra: { tutor?: string } = {}) => {
    const email = member.email()
    const found = await payload.find({ collection: 'users', where: { email: { equals: email } }, limit: 1, overrideAccess: true })
    if (found.totalDocs === 0) {
      const password = demoPassword(member.password())
      const created = await payload.create({ collection: 'users', data: { name: member.name, email, password, role: member.role, ...extra }, overrideAccess: true })
      credentials.push({ role: member.role, collection: 'users', id: String(created.id), email, password })
    }
  }
  for (const member of DEMO_STAFF) if (member.role !== 'tutor') await staffAccount(member)

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
  // The tutor role needs its profile: the demo tutor account is Ada's.
  for (const member of DEMO_STAFF) if (member.role === 'tutor') await staffAccount(member, { tutor: String(tutors[0]!.id) })

  const studentPassword = demoPassword(process.env.SEED_STUDENT_PASSWORD)
  const students = []
  for (const demo of DEMO_STUDENTS) {
    const found = await payload.find({ collection: 'students', where: { email: { equals: demo.email } }, limit: 1, overrideAccess: true })
    if (found.totalDocs > 0) {
      students.push(found.docs[0])
      continue
    }
    const created = await payload.create({
      collection: 'students',
      data: { ...demo, password: studentPassword, _verified: true },
      disableVerificationEmail: true,
      overrideAccess: true,
    })
    students.push(created)
    credentials.push({ role: 'student', collection: 'students', id: String(created.id), email: demo.email, password: studentPassword })
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
        status: BOOKED,
      },
      overrideAccess: true,
    })
  }
  return { seeded: true, credentials }
}
