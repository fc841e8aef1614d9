import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, graphql, testPayload, uniqueEmail } from '../helpers/api'
import { outboxFor } from '../helpers/emailTestKit'
import { createStaff, createStudent, createTutor, createTutorAccount, futureUtc, TEST_PASSWORD, type TestStudent, type TestTutorAccount } from '../helpers/fixtures'

type Actor = 'anonymous' | 'unverifiedStudent' | 'student' | 'tutor' | 'editor' | 'admin'
type Verb = 'readList' | 'readOne' | 'create' | 'update' | 'delete'
type Collection = 'users' | 'students' | 'tutors' | 'appointments' | 'emails'
/**
 * `all` any document; `own` only the actor's own (their account, their bookings, a tutor's profile and the sessions
 * booked with them: a list holds nothing else, another's document is refused); `public` active tutors without their private fields; `none` refused.
 */
type Reach = 'all' | 'own' | 'public' | 'none'

/**
 * Who may do what: the table in docs/security.md ("Who may do what"), cell for cell. Every cell is exercised
 * through the real REST route handler. An unverified student's token authenticates nobody (Payload refuses the
 * login, and a token issued before the address lost its verification), so that row equals the anonymous one.
 */
const MATRIX: Record<Collection, Record<Verb, Record<Actor, Reach>>> = {
  users: {
    readList: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'own', editor: 'own', admin: 'all' },
    readOne: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'own', editor: 'own', admin: 'all' },
    create: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
    update: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'own', editor: 'own', admin: 'all' },
    delete: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
  },
  students: {
    readList: { anonymous: 'none', unverifiedStudent: 'none', student: 'own', tutor: 'none', editor: 'none', admin: 'all' },
    readOne: { anonymous: 'none', unverifiedStudent: 'none', student: 'own', tutor: 'none', editor: 'none', admin: 'all' },
    // Registration is open to anyone; it answers the same whether or not the address has an account.
    create: { anonymous: 'all', unverifiedStudent: 'all', student: 'all', tutor: 'all', editor: 'all', admin: 'all' },
    update: { anonymous: 'none', unverifiedStudent: 'none', student: 'own', tutor: 'none', editor: 'none', admin: 'all' },
    delete: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
  },
  tutors: {
    readList: { anonymous: 'public', unverifiedStudent: 'public', student: 'public', tutor: 'own', editor: 'all', admin: 'all' },
    readOne: { anonymous: 'public', unverifiedStudent: 'public', student: 'public', tutor: 'own', editor: 'all', admin: 'all' },
    create: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'all', admin: 'all' },
    update: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'own', editor: 'all', admin: 'all' },
    delete: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
  },
  appointments: {
    readList: { anonymous: 'none', unverifiedStudent: 'none', student: 'own', tutor: 'own', editor: 'none', admin: 'all' },
    readOne: { anonymous: 'none', unverifiedStudent: 'none', student: 'own', tutor: 'own', editor: 'none', admin: 'all' },
    // A student books for themself only (the student field is theirs whatever the body says).
    create: { anonymous: 'none', unverifiedStudent: 'none', student: 'own', tutor: 'none', editor: 'none', admin: 'all' },
    update: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'own', editor: 'none', admin: 'all' },
    delete: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
  },
  emails: {
    readList: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
    readOne: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
    // Only the outbox writes messages; admins re-queue one (an update of its status).
    create: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'none' },
    update: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
    delete: { anonymous: 'none', unverifiedStudent: 'none', student: 'none', tutor: 'none', editor: 'none', admin: 'all' },
  },
}

const ACTORS: Actor[] = ['anonymous', 'unverifiedStudent', 'student', 'tutor', 'editor', 'admin']
const VERBS: Verb[] = ['readList', 'readOne', 'create', 'update', 'delete']
const DENIED = [401, 403, 404]
/** The collections holding personal data, also read through GraphQL (its list query name). */
const GRAPHQL_LISTS: Partial<Record<Collection, string>> = { users: 'Users', students: 'Students', appointments: 'Appointments', emails: 'Emails' }

let payload: Payload
const tokens: Partial<Record<Actor, string>> = {}
const actorIds: Partial<Record<Actor, string>> = {}
let student: TestStudent
let tutorAccount: TestTutorAccount
let otherStudent: TestStudent
let slotDay = 30

beforeAll(async () => {
  payload = await testPayload()
  student = await createStudent(payload, { label: 'matrixA' })
  otherStudent = await createStudent(payload, { label: 'matrixB' })
  tokens.student = student.token
  actorIds.student = student.id
  // Verified when it signed in, then no longer: the token must now count for nothing.
  const unverified = await createStudent(payload, { label: 'matrixUnverified' })
  await payload.update({ collection: 'students', id: unverified.id, data: { _verified: false } })
  tokens.unverifiedStudent = unverified.token
  actorIds.unverifiedStudent = unverified.id
  // Admin first: on an empty database the first staff account becomes an admin.
  const admin = await createStaff(payload, 'admin')
  const editor = await createStaff(payload, 'editor')
  tutorAccount = await createTutorAccount(payload)
  tokens.tutor = tutorAccount.token
  actorIds.tutor = tutorAccount.id
  tokens.admin = admin.token
  tokens.editor = editor.token
  actorIds.admin = admin.id
  actorIds.editor = editor.id
})

async function newAppointment(studentId: string, tutorId?: string): Promise<string> {
  const tutor = tutorId ?? (await createTutor(payload)).id
  const start = futureUtc(slotDay++, 10)
  const doc = await payload.create({ collection: 'appointments', data: { tutor, student: studentId, start, end: new Date(Date.parse(start) + 3_600_000).toISOString() } })
  return String(doc.id)
}

async function newEmail(): Promise<string> {
  const outbox = await outboxFor(payload)
  const to = uniqueEmail('matrixmail')
  const { id } = await outbox.enqueue({ to, template: 'other', subject: 'Matrix', html: '<p>Private</p>', text: 'Private', dedupeKey: `test:${to}` })
  // Failed and off the queue: nothing sends it, and an admin may re-queue it (the update below).
  await outbox.collection.updateOne({ dedupeKey: `test:${to}` }, { $set: { status: 'failed', attempts: 8, lastError: 'attempt 8: test', nextAttemptAt: null } })
  await outbox.queue.deleteOne({ _id: id })
  return String(id)
}

/** A fresh document the actor does not own. */
async function othersDocument(collection: Collection): Promise<string> {
  switch (collection) {
    case 'users':
      return String((await payload.create({ collection: 'users', data: { email: uniqueEmail('target'), password: TEST_PASSWORD, name: 'Target', role: 'editor' } })).id)
    case 'students':
      return (await createStudent(payload, { label: 'target' })).id
    case 'tutors':
      return String((await createTutor(payload)).id)
    case 'appointments':
      return newAppointment(otherStudent.id)
    case 'emails':
      return newEmail()
  }
}

/** The actor's own document in the collection, if they have one. */
async function ownDocument(collection: Collection, actor: Actor): Promise<string | undefined> {
  if (collection === 'users' && (actor === 'editor' || actor === 'admin' || actor === 'tutor')) return actorIds[actor]
  if (collection === 'tutors' && actor === 'tutor') return String(tutorAccount.tutor.id)
  if (collection === 'appointments' && actor === 'tutor') return newAppointment(otherStudent.id, String(tutorAccount.tutor.id))
  if (collection === 'students' && (actor === 'student' || actor === 'unverifiedStudent')) return actorIds[actor]
  if (collection === 'appointments' && (actor === 'student' || actor === 'unverifiedStudent')) return newAppointment(actorIds[actor]!)
  return undefined
}

async function createBody(collection: Collection, actor: Actor): Promise<Record<string, unknown>> {
  switch (collection) {
    case 'users':
      return { email: uniqueEmail('newuser'), password: TEST_PASSWORD, name: 'New', role: 'editor' }
    case 'students':
      return { email: uniqueEmail('newstudent'), password: TEST_PASSWORD, fullName: 'New Student', timeZone: 'UTC' }
    case 'tutors':
      return { name: `New Tutor ${slotDay++}`, contactEmail: uniqueEmail('newtutor'), timeZone: 'UTC', subjects: ['physics'], sessionLengths: [60] }
    case 'appointments': {
      const tutor = await createTutor(payload)
      const start = futureUtc(slotDay++, 12)
      // A student's booking names no student (it is theirs); staff name one.
      if (actor !== 'admin' && actor !== 'editor') return { tutor: tutor.id, start, duration: 60 }
      return { tutor: tutor.id, student: otherStudent.id, start, duration: 60, end: new Date(Date.parse(start) + 3_600_000).toISOString() }
    }
    case 'emails':
      return { to: uniqueEmail('forged'), template: 'other', subject: 'Forged', html: '<p>x</p>' }
  }
}

const updateField: Record<Collection, string> = { users: 'name', students: 'fullName', tutors: 'bio', appointments: 'notes', emails: 'status' }
const updateValue = (collection: Collection, actor: Actor) => (collection === 'emails' ? 'queued' : `Changed by ${actor}`)

async function stored(collection: Collection, id: string): Promise<Record<string, unknown> | null> {
  return (await payload.findByID({ collection, id, depth: 0, disableErrors: true, overrideAccess: true })) as unknown as Record<string, unknown> | null
}

const idsOf = (docs: { id: string }[]) => docs.map((doc) => String(doc.id))

async function expectCell(collection: Collection, verb: Verb, actor: Actor, reach: Reach): Promise<void> {
  const token = tokens[actor]
  const own = reach === 'own' || reach === 'none' ? await ownDocument(collection, actor) : undefined
  switch (verb) {
    case 'readOne': {
      if (reach === 'public') {
        const active = await othersDocument('tutors')
        const shown = await api('GET', `/api/tutors/${active}`, { token })
        expect(shown.status).toBe(200)
        expect(shown.body).not.toHaveProperty('contactEmail')
        const inactive = String((await createTutor(payload, { active: false })).id)
        expect((await api('GET', `/api/tutors/${inactive}`, { token })).status).toBe(404)
        return
      }
      if (reach === 'own') expect((await api('GET', `/api/${collection}/${own}`, { token })).status).toBe(200)
      const other = reach === 'none' && own ? own : await othersDocument(collection)
      const response = await api('GET', `/api/${collection}/${other}`, { token })
      if (reach === 'all') expect(response.status).toBe(200)
      else expect(DENIED).toContain(response.status)
      return
    }
    case 'readList': {
      const other = await othersDocument(collection)
      const response = await api('GET', `/api/${collection}?limit=1000&depth=0`, { token })
      if (reach === 'none') {
        expect(DENIED).toContain(response.status)
        expect(JSON.stringify(response.body)).not.toContain(other)
        return
      }
      expect(response.status).toBe(200)
      const ids = idsOf(response.body.docs)
      if (reach === 'all') {
        const filtered = await api('GET', `/api/${collection}?where[id][equals]=${other}&depth=0`, { token })
        expect(idsOf(filtered.body.docs)).toEqual([other])
      } else if (reach === 'public') {
        expect(ids).toContain(other)
        for (const doc of response.body.docs) expect(doc).not.toHaveProperty('contactEmail')
        expect(response.body.docs.every((doc: { active: boolean }) => doc.active === true)).toBe(true)
      } else {
        expect(ids).not.toContain(other)
        if (collection === 'appointments' || collection === 'tutors') await ownDocument(collection, actor)
        const mine = await api('GET', `/api/${collection}?limit=1000&depth=0`, { token })
        const owner = (doc: Record<string, unknown>) => String(collection === 'appointments' ? (actor === 'tutor' ? doc.tutor : doc.student) : doc.id)
        const ownerId = actor === 'tutor' && collection !== 'users' ? String(tutorAccount.tutor.id) : actorIds[actor]
        expect(idsOf(mine.body.docs)).not.toContain(other)
        expect(mine.body.docs.map(owner).every((id: string) => id === ownerId)).toBe(true)
        expect(mine.body.docs.length).toBeGreaterThan(0)
        expect(ids.length).toBeGreaterThan(0)
      }
      return
    }
    case 'create': {
      const response = await api('POST', `/api/${collection}`, { token, body: await createBody(collection, actor) })
      if (reach === 'none') expect({ status: response.status, denied: DENIED.includes(response.status) }).toMatchObject({ denied: true })
      else expect(response.status).toBe(201)
      if (reach === 'own' && collection === 'appointments') expect(String(response.body.doc.student)).toBe(actorIds[actor])
      return
    }
    case 'update': {
      const field = updateField[collection]
      const value = updateValue(collection, actor)
      if (reach === 'own') {
        const mine = await api('PATCH', `/api/${collection}/${own}`, { token, body: { [field]: value } })
        expect(mine.status).toBe(200)
        expect((await stored(collection, own!))?.[field]).toBe(value)
      }
      const other = reach === 'none' && own ? own : await othersDocument(collection)
      const response = await api('PATCH', `/api/${collection}/${other}`, { token, body: { [field]: value } })
      if (reach === 'all') {
        expect(response.status).toBe(200)
        expect((await stored(collection, other))?.[field]).toBe(value)
      } else {
        expect(DENIED).toContain(response.status)
        expect((await stored(collection, other))?.[field]).not.toBe(value)
      }
      return
    }
    case 'delete': {
      const other = reach === 'none' && own ? own : await othersDocument(collection)
      const response = await api('DELETE', `/api/${collection}/${other}`, { token })
      if (reach === 'all') {
        expect(response.status).toBe(200)
        expect(await stored(collection, other)).toBeNull()
      } else {
        expect(DENIED).toContain(response.status)
        expect(await stored(collection, other)).not.toBeNull()
      }
    }
  }
}

describe('who may do what (docs/security.md): every role × collection × verb through REST', () => {
  for (const collection of Object.keys(MATRIX) as Collection[]) {
    for (const verb of VERBS) {
      for (const actor of ACTORS) {
        const reach = MATRIX[collection][verb][actor]
        it(`${collection} ${verb}: ${actor} → ${reach}`, () => expectCell(collection, verb, actor, reach))
      }
    }
  }
})

describe('the same reads through GraphQL, for the collections holding personal data', () => {
  for (const [collection, list] of Object.entries(GRAPHQL_LISTS) as [Collection, string][]) {
    for (const actor of ACTORS) {
      const reach = MATRIX[collection].readList[actor]
      it(`${list}: ${actor} → ${reach}`, async () => {
        const token = tokens[actor]
        const found = async (id: string): Promise<string[]> => {
          const result = await graphql(`query ($id: String) { ${list}(where: { id: { equals: $id } }, limit: 10) { docs { id } } }`, { id }, token)
          expect(result.status).toBeLessThan(500)
          return idsOf(result.body.data?.[list]?.docs ?? [])
        }
        const other = await othersDocument(collection)
        const own = await ownDocument(collection, actor)
        expect(await found(other)).toEqual(reach === 'all' ? [other] : [])
        if (own) expect(await found(own)).toEqual(reach === 'none' ? [] : [own])
      })
    }
  }
})

describe('around the matrix', () => {
  it('an unverified student cannot sign in at all (their row is the anonymous one)', async () => {
    const unverified = await createStudent(payload, { verified: false, label: 'matrixNoLogin' })
    expect((await api('POST', '/api/students/login', { body: { email: unverified.email, password: TEST_PASSWORD } })).status).toBe(403)
  })

  it("an editor's permissions (what the admin panel shows) name only tutors and their own account", async () => {
    const { body } = await api('GET', '/api/access', { token: tokens.editor })
    expect(body.collections.tutors.read).toBe(true)
    for (const slug of ['students', 'appointments', 'emails']) expect({ slug, read: body.collections[slug]?.read ?? false }).toEqual({ slug, read: false })
  })

  it('anonymous visitors see active tutors only', async () => {
    const hidden = await createTutor(payload, { active: false })
    expect((await api('GET', `/api/tutors/${hidden.id}`)).status).toBe(404)
    const list = await api('GET', '/api/tutors?limit=1000')
    expect(list.body.docs.some((doc: { id: string }) => doc.id === hidden.id)).toBe(false)
    expect((await api('GET', `/api/tutors/${hidden.id}`, { token: tokens.editor })).status).toBe(200)
  })

  it('students cannot enter the admin panel, staff can', async () => {
    const studentAccess = await api('GET', '/api/access', { token: student.token })
    expect(studentAccess.status).toBe(200)
    expect(studentAccess.body.canAccessAdmin).toBeFalsy()
    const editorAccess = await api('GET', '/api/access', { token: tokens.editor })
    expect(editorAccess.body.canAccessAdmin).toBe(true)
  })

  it('an editor cannot make themself an admin', async () => {
    const editor = await createStaff(payload, 'editor')
    const response = await api('PATCH', `/api/users/${editor.id}`, { token: editor.token, body: { role: 'admin' } })
    const after = await payload.findByID({ collection: 'users', id: editor.id })
    expect(after.role).toBe('editor')
    expect(response.status).toBeLessThan(500)
  })

  it("a tutor's permissions name their own profile, sessions and account, never students or the outbox", async () => {
    const { body } = await api('GET', '/api/access', { token: tokens.tutor })
    expect(body.canAccessAdmin).toBe(true)
    for (const slug of ['tutors', 'appointments', 'users']) expect({ slug, read: Boolean(body.collections[slug]?.read) }).toEqual({ slug, read: true })
    for (const slug of ['students', 'emails']) expect({ slug, read: body.collections[slug]?.read ?? false }).toEqual({ slug, read: false })
    expect(body.collections.tutors.create ?? false).toBe(false)
    expect(body.collections.appointments.create ?? false).toBe(false)
  })

  it("a tutor reads their own sessions, and another tutor's session neither through REST nor GraphQL", async () => {
    const mine = await newAppointment(otherStudent.id, String(tutorAccount.tutor.id))
    const theirs = await newAppointment(otherStudent.id)
    expect((await api('GET', `/api/appointments/${mine}`, { token: tokens.tutor })).status).toBe(200)
    expect(DENIED).toContain((await api('GET', `/api/appointments/${theirs}`, { token: tokens.tutor })).status)

    const one = async (id: string) => graphql('query ($id: String!) { Appointment(id: $id) { id notes } }', { id }, tokens.tutor)
    expect((await one(mine)).body.data.Appointment.id).toBe(mine)
    const refused = await one(theirs)
    expect(refused.body.data?.Appointment ?? null).toBeNull()
    expect(JSON.stringify(refused.body)).not.toContain('"notes"')
    const listed = await graphql('query { Appointments(limit: 1000) { docs { id tutor { id } } } }', {}, tokens.tutor)
    const ids = idsOf(listed.body.data.Appointments.docs)
    expect(ids).toContain(mine)
    expect(ids).not.toContain(theirs)
    expect(listed.body.data.Appointments.docs.every((doc: { tutor: { id: string } }) => doc.tutor.id === String(tutorAccount.tutor.id))).toBe(true)
  })

  it("a tutor cannot change another tutor's session or profile through REST or GraphQL", async () => {
    const theirs = await newAppointment(otherStudent.id)
    const otherTutor = String((await createTutor(payload)).id)
    expect(DENIED).toContain((await api('PATCH', `/api/appointments/${theirs}`, { token: tokens.tutor, body: { notes: 'Tutor REST' } })).status)
    expect(DENIED).toContain((await api('POST', `/api/appointments/${theirs}/cancel`, { token: tokens.tutor, body: {} })).status)
    expect(DENIED).toContain((await api('PATCH', `/api/tutors/${otherTutor}`, { token: tokens.tutor, body: { bio: 'Tutor REST' } })).status)
    const session = await graphql('mutation ($id: String!) { updateAppointment(id: $id, data: { notes: "Tutor GraphQL" }) { id } }', { id: theirs }, tokens.tutor)
    const profile = await graphql('mutation ($id: String!) { updateTutor(id: $id, data: { bio: "Tutor GraphQL" }) { id } }', { id: otherTutor }, tokens.tutor)
    for (const result of [session, profile]) {
      expect(result.status).toBeLessThan(500)
      expect(result.body.errors?.length ?? 0).toBeGreaterThan(0)
    }
    expect((await stored('appointments', theirs))?.notes).toBeUndefined()
    expect((await stored('tutors', otherTutor))?.bio).toBeUndefined()
    expect((await stored('appointments', theirs))?.status).toBe('booked')
    const read = await graphql('query ($id: String) { Tutors(where: { id: { equals: $id } }) { docs { id contactEmail } } }', { id: otherTutor }, tokens.tutor)
    expect(read.body.data.Tutors.docs).toEqual([])
  })

  it("a tutor's own profile: they read its private fields and edit hours, time off and policy, not whether it is shown", async () => {
    const id = String(tutorAccount.tutor.id)
    const own = await api('GET', `/api/tutors/${id}`, { token: tokens.tutor })
    expect(own.status).toBe(200)
    expect(own.body).toMatchObject({ contactEmail: tutorAccount.tutor.contactEmail, meetingLocation: 'https://meet.example.com/room' })
    expect(own.body).toHaveProperty('timeOff')
    const gql = await graphql('query ($id: String!) { Tutor(id: $id) { contactEmail meetingLocation timeOff { reason } } }', { id }, tokens.tutor)
    expect(gql.body.data.Tutor.contactEmail).toBe(tutorAccount.tutor.contactEmail)
    const far = futureUtc(300, 0)
    const changes = {
      weeklyAvailability: [{ day: 'mon', start: '00:00', end: '24:00' }, { day: 'tue', start: '00:00', end: '24:00' }, { day: 'wed', start: '00:00', end: '24:00' }, { day: 'thu', start: '00:00', end: '24:00' }, { day: 'fri', start: '00:00', end: '24:00' }, { day: 'sat', start: '00:00', end: '24:00' }, { day: 'sun', start: '00:00', end: '24:00' }],
      timeOff: [{ start: far, end: new Date(Date.parse(far) + 3_600_000).toISOString(), reason: 'Dentist' }],
      policy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 0, bufferAfterMinutes: 5 },
      active: false,
    }
    const saved = await api('PATCH', `/api/tutors/${id}`, { token: tokens.tutor, body: changes })
    expect(saved.status).toBe(200)
    const after = await stored('tutors', id)
    expect(after).toMatchObject({ policy: { bufferAfterMinutes: 5 }, timeOff: [{ reason: 'Dentist' }] })
    // Whether students see the profile is the office's decision.
    expect(after?.active).toBe(true)
  })

  it('a tutor sees who booked (name and zone) on their own session, not the student record', async () => {
    const mine = await newAppointment(otherStudent.id, String(tutorAccount.tutor.id))
    const asTutor = await api('GET', `/api/appointments/${mine}?depth=1`, { token: tokens.tutor })
    expect(asTutor.status).toBe(200)
    expect(asTutor.body).not.toHaveProperty('student')
    expect(asTutor.body).toMatchObject({ studentName: 'Test Student', studentTimeZone: expect.any(String) })
    const asAdmin = await api('GET', `/api/appointments/${mine}?depth=0`, { token: tokens.admin })
    expect(String(asAdmin.body.student)).toBe(otherStudent.id)
    expect(asAdmin.body).not.toHaveProperty('studentName')
    // Nor can they guess students through a filter on the hidden field.
    const guessed = await api('GET', `/api/appointments?where[student][equals]=${otherStudent.id}`, { token: tokens.tutor })
    expect(guessed.status === 200 ? guessed.body.docs.length : 0).toBe(0)
    expect(DENIED).toContain((await api('GET', `/api/students/${otherStudent.id}`, { token: tokens.tutor })).status)
  })

  it('a tutor cannot hand their session to another tutor or student, nor relink or promote their account', async () => {
    const mine = await newAppointment(otherStudent.id, String(tutorAccount.tutor.id))
    const otherTutor = String((await createTutor(payload)).id)
    const moved = await api('PATCH', `/api/appointments/${mine}`, { token: tokens.tutor, body: { tutor: otherTutor, student: student.id } })
    expect(moved.status).toBeLessThan(500)
    expect(await stored('appointments', mine)).toMatchObject({ tutor: String(tutorAccount.tutor.id), student: otherStudent.id })
    const relinked = await api('PATCH', `/api/users/${tutorAccount.id}`, { token: tokens.tutor, body: { role: 'admin', tutor: otherTutor } })
    expect(relinked.status).toBeLessThan(500)
    expect(await stored('users', tutorAccount.id)).toMatchObject({ role: 'tutor', tutor: String(tutorAccount.tutor.id) })
  })

  it('a tutor account needs exactly one tutor profile, and a profile has at most one account', async () => {
    const noProfile = await api('POST', '/api/users', { token: tokens.admin, body: { email: uniqueEmail('unlinked'), password: TEST_PASSWORD, name: 'Unlinked', role: 'tutor' } })
    expect(noProfile.status).toBe(400)
    expect(JSON.stringify(noProfile.body)).toContain('Choose the tutor profile')
    const second = await api('POST', '/api/users', { token: tokens.admin, body: { email: uniqueEmail('second'), password: TEST_PASSWORD, name: 'Second', role: 'tutor', tutor: tutorAccount.tutor.id } })
    expect(second.status).toBe(400)
    const editorLinked = await api('POST', '/api/users', { token: tokens.admin, body: { email: uniqueEmail('edlinked'), password: TEST_PASSWORD, name: 'Ed', role: 'editor', tutor: tutorAccount.tutor.id } })
    expect(editorLinked.status).toBe(400)
  })
})
