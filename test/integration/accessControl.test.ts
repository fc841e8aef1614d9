import { beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload, uniqueEmail } from '../helpers/api'
import { createStaff, createStudent, createTutor, futureUtc, TEST_PASSWORD, type TestStudent } from '../helpers/fixtures'

type Actor = 'anonymous' | 'studentA' | 'studentB' | 'editor' | 'admin'
type Operation = 'read' | 'create' | 'update' | 'delete'
type Collection = 'users' | 'students' | 'tutors' | 'appointments'

/**
 * Who may do what. `true` = allowed; `'own'` = allowed on the actor's own documents only (the target in
 * these checks belongs to student A). Every cell below is exercised through the real REST route handler.
 */
const MATRIX: Record<Collection, Record<Operation, Record<Actor, boolean | 'own'>>> = {
  users: {
    read: { anonymous: false, studentA: false, studentB: false, editor: true, admin: true },
    create: { anonymous: false, studentA: false, studentB: false, editor: false, admin: true },
    update: { anonymous: false, studentA: false, studentB: false, editor: false, admin: true },
    delete: { anonymous: false, studentA: false, studentB: false, editor: false, admin: true },
  },
  students: {
    read: { anonymous: false, studentA: 'own', studentB: false, editor: true, admin: true },
    create: { anonymous: true, studentA: true, studentB: true, editor: true, admin: true },
    update: { anonymous: false, studentA: 'own', studentB: false, editor: false, admin: true },
    delete: { anonymous: false, studentA: false, studentB: false, editor: false, admin: true },
  },
  tutors: {
    read: { anonymous: true, studentA: true, studentB: true, editor: true, admin: true },
    create: { anonymous: false, studentA: false, studentB: false, editor: true, admin: true },
    update: { anonymous: false, studentA: false, studentB: false, editor: true, admin: true },
    delete: { anonymous: false, studentA: false, studentB: false, editor: false, admin: true },
  },
  appointments: {
    read: { anonymous: false, studentA: 'own', studentB: false, editor: true, admin: true },
    create: { anonymous: false, studentA: true, studentB: true, editor: false, admin: true },
    update: { anonymous: false, studentA: false, studentB: false, editor: false, admin: true },
    delete: { anonymous: false, studentA: false, studentB: false, editor: false, admin: true },
  },
}

const ACTORS: Actor[] = ['anonymous', 'studentA', 'studentB', 'editor', 'admin']
const DENIED = [401, 403, 404]

let payload: Payload
const tokens: Partial<Record<Actor, string>> = {}
let studentA: TestStudent
let studentB: TestStudent
let slotDay = 30

beforeAll(async () => {
  payload = await testPayload()
  studentA = await createStudent(payload, { label: 'matrixA' })
  studentB = await createStudent(payload, { label: 'matrixB' })
  tokens.studentA = studentA.token
  tokens.studentB = studentB.token
  // Admin first: on an empty database the first staff account becomes an admin.
  tokens.admin = (await createStaff(payload, 'admin')).token
  tokens.editor = (await createStaff(payload, 'editor')).token
})

/** A fresh target document for one cell, owned by student A where ownership applies. */
async function target(collection: Collection): Promise<string> {
  switch (collection) {
    case 'users':
      return String((await payload.create({ collection: 'users', data: { email: uniqueEmail('target'), password: TEST_PASSWORD, name: 'Target', role: 'editor' } })).id)
    case 'students':
      return studentA.id
    case 'tutors':
      return String((await createTutor(payload)).id)
    case 'appointments': {
      const tutor = await createTutor(payload)
      const start = futureUtc(slotDay++, 10)
      const doc = await payload.create({
        collection: 'appointments',
        data: { tutor: tutor.id, student: studentA.id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString() },
      })
      return String(doc.id)
    }
  }
}

async function createBody(collection: Collection): Promise<Record<string, unknown>> {
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
      return { tutor: tutor.id, student: studentA.id, start, duration: 60, end: new Date(Date.parse(start) + 3_600_000).toISOString() }
    }
  }
}

const updateField: Record<Collection, string> = { users: 'name', students: 'fullName', tutors: 'bio', appointments: 'notes' }
const updateBody = (collection: Collection, actor: Actor) => ({ [updateField[collection]]: `Changed by ${actor}` })

async function attempt(collection: Collection, operation: Operation, actor: Actor): Promise<{ status: number; body: any; id?: string }> {
  const token = tokens[actor]
  switch (operation) {
    case 'read': {
      const id = await target(collection)
      const response = await api('GET', `/api/${collection}/${id}`, { token })
      return { ...response, id }
    }
    case 'create': {
      let body = await createBody(collection)
      if (collection === 'appointments' && actor.startsWith('student')) {
        body = { tutor: body.tutor, start: body.start, duration: 60 }
      }
      return api('POST', `/api/${collection}`, { token, body })
    }
    case 'update': {
      const id = await target(collection)
      return { ...(await api('PATCH', `/api/${collection}/${id}`, { token, body: updateBody(collection, actor) })), id }
    }
    case 'delete': {
      const id = collection === 'students' ? String((await createStudent(payload, { label: 'victim' })).id) : await target(collection)
      return { ...(await api('DELETE', `/api/${collection}/${id}`, { token })), id }
    }
  }
}

describe('access-control matrix (REST, through the real route handler)', () => {
  for (const collection of Object.keys(MATRIX) as Collection[]) {
    for (const operation of ['read', 'create', 'update', 'delete'] as Operation[]) {
      for (const actor of ACTORS) {
        const rule = MATRIX[collection][operation][actor]
        it(`${actor} ${rule ? 'may' : 'may not'} ${operation} ${collection}`, async () => {
          const result = await attempt(collection, operation, actor)
          if (rule) {
            expect([200, 201]).toContain(result.status)
          } else {
            expect(DENIED).toContain(result.status)
          }
          if (!rule && operation === 'update' && result.id) {
            const after = await payload.findByID({ collection, id: result.id, depth: 0 })
            expect((after as unknown as Record<string, unknown>)[updateField[collection]]).not.toBe(`Changed by ${actor}`)
          }
          if (!rule && operation === 'delete' && result.id) {
            expect(await payload.findByID({ collection, id: result.id, depth: 0, disableErrors: true })).not.toBeNull()
          }
        })
      }
    }
  }

  it('a student listing students or appointments sees only their own', async () => {
    await target('appointments')
    const students = await api('GET', '/api/students?limit=100', { token: studentA.token })
    expect(students.body.docs.map((doc: { id: string }) => doc.id)).toEqual([studentA.id])
    const appointments = await api('GET', '/api/appointments?limit=100', { token: studentB.token })
    const owners = appointments.body.docs.map((doc: { student: { id: string } | string }) => (typeof doc.student === 'object' ? doc.student.id : doc.student))
    expect(owners.every((owner: string) => owner === studentB.id)).toBe(true)
    const ofA = await api('GET', '/api/appointments?limit=100', { token: studentA.token })
    expect(ofA.body.docs.length).toBeGreaterThan(0)
  })

  it('anonymous visitors see active tutors only', async () => {
    const hidden = await createTutor(payload, { active: false })
    expect((await api('GET', `/api/tutors/${hidden.id}`)).status).toBe(404)
    const list = await api('GET', '/api/tutors?limit=1000')
    expect(list.body.docs.some((doc: { id: string }) => doc.id === hidden.id)).toBe(false)
    expect((await api('GET', `/api/tutors/${hidden.id}`, { token: tokens.editor })).status).toBe(200)
  })

  it('students cannot enter the admin panel, staff can', async () => {
    const studentAccess = await api('GET', '/api/access', { token: studentA.token })
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
})
