import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { tutorAvailability } from '../../src/booking/availability'
import type { Tutor } from '../../src/payload-types'
import { api, graphql, testPayload, uniqueEmail } from '../helpers/api'
import { createStaff, createStudent, createTutor, createTutorAccount, futureUtc, type TestStudent } from '../helpers/fixtures'
import { waitForEmail } from '../helpers/mailbox'

/**
 * A tutor profile is public (name, subjects, zone, weekly hours, session lengths, policy, rate, bio, photo); a few
 * of its fields are not. Every private field, for every kind of reader, through every way tutor data is read:
 * REST (list, by id, select, where/sort/count on the field, populated into appointments at any depth, the booking
 * answer), GraphQL (the same), the public slot search and the student's booking mail.
 */
const PRIVATE_FIELDS = ['contactEmail', 'meetingLocation', 'timeOff'] as const
type PrivateField = (typeof PRIVATE_FIELDS)[number]

/** `tutor` is the tutor's own sign-in (role tutor, linked to this profile); another tutor's account is tested apart. */
type Actor = 'anonymous' | 'student' | 'tutor' | 'editor' | 'admin'
const ACTORS: Actor[] = ['anonymous', 'student', 'tutor', 'editor', 'admin']
/** Who reads the private fields (collections/Tutors/access.ts): office staff and the tutor themself. */
const SEES_PRIVATE: Record<Actor, boolean> = { anonymous: false, student: false, tutor: true, editor: true, admin: true }
/** Who reads the test appointment at all (docs/security.md, "Who may do what"): editors keep tutor profiles, not sessions. */
const READS_APPOINTMENT: Record<Actor, boolean> = { anonymous: false, student: true, tutor: true, editor: false, admin: true }

let payload: Payload
let tutor: Tutor
let student: TestStudent
let appointmentId: string
const tokens: Partial<Record<Actor, string>> = {}
/** Strings that only the private fields hold: none may appear anywhere in an answer to a reader who may not see them. */
let secrets: Record<PrivateField, string>
/** Another tutor's sign-in: reads nothing of this profile, public or private. */
let otherTutorToken: string

beforeAll(async () => {
  payload = await testPayload()
  const marker = Math.random().toString(36).slice(2, 10)
  secrets = {
    contactEmail: uniqueEmail(`private-tutor-${marker}`),
    meetingLocation: `https://meet.example.com/private-room-${marker}`,
    timeOff: `Hospital appointment ${marker}`,
  }
  tutor = await createTutor(payload, {
    name: `Private Fields ${marker}`,
    bio: 'Public biography.',
    contactEmail: secrets.contactEmail,
    meetingLocation: secrets.meetingLocation,
    timeOff: [{ start: futureUtc(200, 0), end: futureUtc(201, 0), reason: secrets.timeOff }],
  })
  student = await createStudent(payload, { label: 'privatefields' })
  tokens.student = student.token
  tokens.admin = (await createStaff(payload, 'admin')).token
  tokens.editor = (await createStaff(payload, 'editor')).token
  tokens.tutor = (await createTutorAccount(payload, tutor)).token
  otherTutorToken = (await createTutorAccount(payload)).token
  // The student has booked this tutor: a booking gives them the session's place, not the tutor's private profile.
  const booked = await api('POST', '/api/appointments', { token: student.token, body: { tutor: tutor.id, start: futureUtc(40, 10), duration: 60 } })
  expect(booked.status).toBe(201)
  appointmentId = String(booked.body.doc.id)
})

/** Asserts what one reader got of the test tutor's private fields: all of them (staff) or none at all. */
function expectPrivateFields(actor: Actor, doc: Record<string, unknown> | null | undefined, { graphQL = false } = {}) {
  expect(doc).toBeTruthy()
  if (SEES_PRIVATE[actor]) {
    expect(doc!.contactEmail).toBe(secrets.contactEmail)
    expect(doc!.meetingLocation).toBe(secrets.meetingLocation)
    expect((doc!.timeOff as { reason: string }[])[0].reason).toBe(secrets.timeOff)
  } else {
    for (const field of PRIVATE_FIELDS) {
      // REST leaves the key out, GraphQL answers null; an array (time off) comes back empty, whatever it holds.
      if (field === 'timeOff') expect(doc![field] ?? []).toEqual([])
      else if (graphQL) expect(doc![field]).toBeNull()
      else expect(doc).not.toHaveProperty(field)
    }
  }
  // Public fields stay public.
  expect(doc!.name).toBe(tutor.name)
  expect(doc!.timeZone).toBe('UTC')
}

function expectNoSecrets(body: unknown, except: PrivateField[] = []) {
  const text = JSON.stringify(body)
  for (const field of PRIVATE_FIELDS) if (!except.includes(field)) expect(text).not.toContain(secrets[field])
}

/** The `data` of a GraphQL answer that must have succeeded, or a failure that shows GraphQL's errors. */
function dataOf(result: { body: { data?: Record<string, any> | null; errors?: unknown } }): Record<string, any> {
  if (!result.body.data || Object.values(result.body.data).some((value) => value === null)) throw new Error(`GraphQL errors: ${JSON.stringify(result.body.errors)}`)
  return result.body.data
}

const tutorOf = (appointment: { tutor?: unknown } | undefined) => appointment?.tutor as Record<string, unknown> | undefined

describe('the private fields of a tutor profile', () => {
  it('are exactly contact email, meeting location and time off, each with field-level read access', async () => {
    const restricted = payload.collections.tutors.config.flattenedFields.filter((field) => 'access' in field && field.access?.read).map((field) => field.name)
    expect(restricted.sort()).toEqual([...PRIVATE_FIELDS].sort())
  })

  for (const actor of ACTORS) {
    const verdict = SEES_PRIVATE[actor] ? 'reads' : 'never gets'
    describe(`${actor} ${verdict} them`, () => {
      it('REST: list, by id, and asking for them with select', async () => {
        const token = tokens[actor]
        const list = await api('GET', `/api/tutors?limit=100&where[id][equals]=${tutor.id}`, { token })
        expect(list.status).toBe(200)
        expectPrivateFields(actor, list.body.docs[0])
        const byId = await api('GET', `/api/tutors/${tutor.id}?depth=2`, { token })
        expect(byId.status).toBe(200)
        expectPrivateFields(actor, byId.body)
        const selected = await api('GET', `/api/tutors/${tutor.id}?select[contactEmail]=true&select[meetingLocation]=true&select[timeOff]=true&select[name]=true&select[timeZone]=true`, { token })
        expect(selected.status).toBe(200)
        expectPrivateFields(actor, selected.body)
        if (!SEES_PRIVATE[actor]) {
          // Every tutor, not just this one.
          const everyone = await api('GET', '/api/tutors?limit=200&depth=2', { token })
          expect(everyone.body.docs.length).toBeGreaterThan(0)
          for (const doc of everyone.body.docs) {
            expect(doc).not.toHaveProperty('contactEmail')
            expect(doc).not.toHaveProperty('meetingLocation')
            expect(doc.timeOff ?? []).toEqual([])
          }
          expectNoSecrets([list.body, byId.body, selected.body])
        }
      })

      it('REST: cannot filter, sort or count by them (no guessing an address letter by letter)', async () => {
        const token = tokens[actor]
        const probes = [
          `/api/tutors?where[contactEmail][equals]=${encodeURIComponent(secrets.contactEmail)}`,
          `/api/tutors?where[or][0][contactEmail][like]=${encodeURIComponent(secrets.contactEmail.slice(0, 20))}`,
          `/api/tutors?where[meetingLocation][like]=private-room`,
          `/api/tutors?where[timeOff.reason][like]=Hospital`,
          `/api/tutors/count?where[contactEmail][equals]=${encodeURIComponent(secrets.contactEmail)}`,
          `/api/tutors?sort=contactEmail&limit=200`,
          `/api/tutors?sort=-timeOff.start&limit=200`,
        ]
        for (const probe of probes) {
          const response = await api('GET', probe, { token })
          if (SEES_PRIVATE[actor]) {
            expect(response.status).toBe(200)
          } else {
            // Payload's own refusal: 400 "The following path cannot be queried: contactEmail".
            expect({ probe, status: response.status }).toEqual({ probe, status: 400 })
            expect(response.body.errors[0].message).toMatch(/cannot be queried/)
            expectNoSecrets(response.body)
          }
        }
        if (SEES_PRIVATE[actor]) {
          const found = await api('GET', `/api/tutors?where[contactEmail][equals]=${encodeURIComponent(secrets.contactEmail)}`, { token })
          expect(found.body.docs.map((doc: { id: string }) => doc.id)).toEqual([tutor.id])
        }
      })

      it('REST: populated into an appointment at any depth', async () => {
        const token = tokens[actor]
        for (const path of [`/api/appointments/${appointmentId}?depth=1`, `/api/appointments/${appointmentId}?depth=3`, `/api/appointments?depth=2&where[id][equals]=${appointmentId}`]) {
          const response = await api('GET', path, { token })
          if (!READS_APPOINTMENT[actor]) {
            expect([401, 403]).toContain(response.status)
            expectNoSecrets(response.body)
            continue
          }
          expect(response.status).toBe(200)
          const appointment = 'docs' in response.body ? response.body.docs[0] : response.body
          expectPrivateFields(actor, tutorOf(appointment))
          if (!SEES_PRIVATE[actor]) {
            // The booked student gets the session's place on their own booking, and nothing else of the profile.
            expect(appointment.meetingLocation).toBe(secrets.meetingLocation)
            expectNoSecrets(response.body, ['meetingLocation'])
          }
        }
        if (READS_APPOINTMENT[actor]) {
          // Nor through the relationship: filtering one's own appointments by the tutor's address.
          const throughRelation = await api('GET', `/api/appointments?where[tutor.contactEmail][like]=${encodeURIComponent(secrets.contactEmail.slice(0, 12))}`, { token })
          expect(throughRelation.status).toBe(SEES_PRIVATE[actor] ? 200 : 400)
        }
      })

      it('GraphQL: list, by id, a filter on them, and populated into appointments', async () => {
        const token = tokens[actor]
        const fields = 'id name timeZone contactEmail meetingLocation timeOff { start end reason }'
        const list = await graphql(`query ($id: String) { Tutors(where: { id: { equals: $id } }, limit: 10) { docs { ${fields} } } }`, { id: tutor.id }, token)
        expect(list.status).toBe(200)
        expectPrivateFields(actor, dataOf(list).Tutors.docs[0], { graphQL: true })
        const byId = await graphql(`query ($id: String!) { Tutor(id: $id) { ${fields} } }`, { id: tutor.id }, token)
        expectPrivateFields(actor, dataOf(byId).Tutor, { graphQL: true })

        const filtered = await graphql(`query ($email: EmailAddress) { Tutors(where: { contactEmail: { equals: $email } }) { docs { id } } }`, { email: secrets.contactEmail }, token)
        if (SEES_PRIVATE[actor]) {
          expect(dataOf(filtered).Tutors.docs.map((doc: { id: string }) => doc.id)).toEqual([tutor.id])
        } else {
          expect(filtered.body.data?.Tutors ?? null).toBeNull()
          expect(filtered.body.errors?.[0]?.message).toMatch(/cannot be queried|not allowed/i)
        }

        const appointments = await graphql(`query ($id: String) { Appointments(where: { id: { equals: $id } }) { docs { id meetingLocation tutor { ${fields} } } } }`, { id: appointmentId }, token)
        if (!READS_APPOINTMENT[actor]) {
          expect(appointments.body.data?.Appointments?.docs ?? []).toEqual([])
        } else {
          expectPrivateFields(actor, dataOf(appointments).Appointments.docs[0].tutor, { graphQL: true })
        }
        if (!SEES_PRIVATE[actor]) expectNoSecrets([list.body, byId.body, filtered.body, appointments.body], actor === 'student' ? ['meetingLocation'] : [])
      })
    })
  }

  describe("another tutor's account reads nothing of this profile", () => {
    it('REST and GraphQL: not listed, not found by id, not populated into a session, not guessable', async () => {
      const token = otherTutorToken
      expect((await api('GET', `/api/tutors?limit=100&where[id][equals]=${tutor.id}`, { token })).body.docs).toEqual([])
      expect((await api('GET', `/api/tutors/${tutor.id}`, { token })).status).toBe(404)
      expect([403, 404]).toContain((await api('GET', `/api/appointments/${appointmentId}?depth=2`, { token })).status)
      for (const probe of [`/api/tutors?where[contactEmail][equals]=${encodeURIComponent(secrets.contactEmail)}`, `/api/tutors?where[timeOff.reason][like]=Hospital`]) {
        // A tutor may filter on private fields, but their reads reach their own profile only: nothing matches.
        const response = await api('GET', probe, { token })
        expect(response.status).toBe(200)
        expect(response.body.docs).toEqual([])
        expectNoSecrets(response.body)
      }
      const fields = 'id name contactEmail meetingLocation timeOff { reason }'
      const list = await graphql(`query ($id: String) { Tutors(where: { id: { equals: $id } }) { docs { ${fields} } } }`, { id: tutor.id }, token)
      expect(list.body.data.Tutors.docs).toEqual([])
      const byId = await graphql(`query ($id: String!) { Tutor(id: $id) { ${fields} } }`, { id: tutor.id }, token)
      expect(byId.body.data?.Tutor ?? null).toBeNull()
      expectNoSecrets([list.body, byId.body])
    })
  })

  it('the public slot search (the Payload endpoint and the function the Express route answers with) names no private field', async () => {
    const query = `from=${encodeURIComponent(futureUtc(199, 0))}&to=${encodeURIComponent(futureUtc(202, 0))}&duration=60&tz=Europe/Paris`
    for (const token of [undefined, tokens.student]) {
      const response = await api('GET', `/api/tutors/${tutor.id}/availability?${query}`, { token })
      expect(response.status).toBe(200)
      expect(response.body.slots.length).toBeGreaterThan(0)
      expectNoSecrets(response.body)
      expect(response.body.tutor).toEqual({ id: tutor.id, name: tutor.name, timeZone: 'UTC', active: true })
    }
    const fast = await tutorAvailability(payload, tutor.id, Object.fromEntries(new URLSearchParams(query)))
    expect(fast.status).toBe(200)
    expectNoSecrets(fast.body)
  })

  it("the student's booking confirmation carries the session's place, never the tutor's address or time off", async () => {
    const confirmation = await waitForEmail(student.email, (email) => email.subject.length > 0)
    const text = JSON.stringify(confirmation)
    expect(text).not.toContain(secrets.contactEmail)
    expect(text).not.toContain(secrets.timeOff)
    expect(confirmation.destination.to.join(',')).not.toContain(secrets.contactEmail)
    // The tutor's own notice goes to the private address: it is used, just never shown to others.
    await waitForEmail(secrets.contactEmail)
  })
})
