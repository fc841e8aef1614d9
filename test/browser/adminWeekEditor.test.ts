import fs from 'node:fs'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Payload } from 'payload'

import { testPayload, uniqueEmail } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { signInByApi } from '../helpers/adminPage'
import { launchChromium } from '../helpers/browser'
import { createStudent, createTutor } from '../helpers/fixtures'
import { seriousFindingsBeyondPayload } from '../helpers/payloadAxe'

/**
 * The admin's time editing on the production server, as an admin: the week grid saves a week that the slot
 * search then serves; time off is entered in the tutor's zone and labelled with it; an appointment shows its
 * time in the tutor's and the student's zone; a refused staff write toasts the rule's whole sentence. Each view
 * at 1280 and 390 px: no console error, no serious/critical axe finding from our components.
 */
const SCREENSHOTS = path.resolve('test-artifacts', 'screenshots')
const PASSWORD = 'correct horse battery staple'
const PARIS = 'Europe/Paris'
const TOKYO = 'Asia/Tokyo'
const WIDTHS = [1280, 390] as const

let server: SharedAppServer
let browser: Browser
let payload: Payload
let adminEmail: string
let tutorId: string
let studentId: string
// Next week's Monday 00:00 in Paris: the grid's week is checked against the slot search over these 7 days.
const monday = DateTime.now().setZone(PARIS).startOf('week').plus({ weeks: 1 })

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
  payload = await testPayload()
  adminEmail = uniqueEmail('week-admin')
  await payload.create({ collection: 'users', data: { email: adminEmail, password: PASSWORD, name: 'Week Admin', role: 'admin' } })
  const tutor = await createTutor(payload, {
    name: `Paris Grid ${Date.now().toString(36)}`,
    timeZone: PARIS,
    sessionLengths: [60],
    weeklyAvailability: [
      { day: 'mon', start: '09:00', end: '12:00' },
      { day: 'sat', start: '10:00', end: '11:00' },
    ],
    policy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 0, slotIntervalMinutes: 60 },
  })
  tutorId = String(tutor.id)
  studentId = (await createStudent(payload, { timeZone: TOKYO, label: 'week-student' })).id
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

type Watched = { page: Page; context: BrowserContext; consoleErrors: string[] }

async function signedInPage(width: number, timezoneId = 'UTC'): Promise<Watched> {
  // The browser's zone is pinned: list columns show times in it, and the pickers must not depend on it.
  const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId })
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
  await signInByApi(context, server.url, adminEmail, PASSWORD)
  return { page, context, consoleErrors }
}

/** Clicks Save and answers the document write's response (Payload's form PATCHes the REST API). */
async function save(page: Page, collection: string, id: string): Promise<{ status: number; body: any }> {
  const response = page.waitForResponse((candidate) => candidate.url().includes(`/api/${collection}/${id}`) && candidate.request().method() === 'PATCH')
  await page.locator('#action-save').click()
  const answered = await response
  return { status: answered.status(), body: await answered.json() }
}

const localSlot = (dayOffset: number, hour: number) => monday.plus({ days: dayOffset }).set({ hour }).toUTC().toISO()

describe('the weekly availability editor', () => {
  it('adds a range, copies Monday to Tuesday–Friday, removes Saturday, and the slot search serves exactly that week', async () => {
    const { page, context, consoleErrors } = await signedInPage(1280)
    await page.goto(`${server.url}/admin/collections/tutors/${tutorId}`)
    const grid = page.locator('.week-grid')
    await grid.waitFor()
    await expect(grid.locator('.week-grid__title').textContent()).resolves.toContain(`(tutor’s time, ${PARIS})`)

    const mondayRow = grid.locator('[data-day=mon]')
    await mondayRow.getByRole('button', { name: 'Add range on Monday' }).click()
    await expect(mondayRow.getByLabel(`Monday, range 2, start (${PARIS})`).inputValue()).resolves.toBe('12:00')
    await expect(mondayRow.getByLabel(`Monday, range 2, end (${PARIS})`).inputValue()).resolves.toBe('13:00')

    await mondayRow.locator('summary').click()
    for (const day of ['Tuesday', 'Wednesday', 'Thursday', 'Friday']) await mondayRow.getByLabel(day, { exact: true }).check()
    await mondayRow.getByRole('button', { name: 'Copy', exact: true }).click()
    for (const day of ['tue', 'wed', 'thu', 'fri']) await expect(grid.locator(`[data-day=${day}] .week-grid__range`).count()).resolves.toBe(2)

    await grid.getByRole('button', { name: 'Remove Saturday, range 1' }).click()
    await expect(grid.locator('[data-day=sat] .week-grid__none').textContent()).resolves.toBe('Not available')

    // Below the edit view's sticky header, so the shot shows the whole grid with its zone-labelled title.
    await page.setViewportSize({ width: 1280, height: 1100 })
    await grid.evaluate((element) => window.scrollBy(0, element.getBoundingClientRect().top - 160))
    fs.mkdirSync(SCREENSHOTS, { recursive: true })
    await grid.screenshot({ path: path.join(SCREENSHOTS, 'availability-editor.png') })

    const saved = await save(page, 'tutors', tutorId)
    expect(saved.status).toBe(200)

    const stored = await payload.findByID({ collection: 'tutors', id: tutorId, depth: 0 })
    const week = (stored.weeklyAvailability ?? []).map(({ day, start, end }) => `${day} ${start}-${end}`).sort()
    const expected = ['mon', 'tue', 'wed', 'thu', 'fri'].flatMap((day) => [`${day} 09:00-12:00`, `${day} 12:00-13:00`]).sort()
    expect(week).toEqual(expected)

    const from = monday.toUTC().toISO()
    const to = monday.plus({ weeks: 1 }).toUTC().toISO()
    const slots = await fetch(`${server.url}/api/tutors/${tutorId}/availability?from=${encodeURIComponent(from!)}&to=${encodeURIComponent(to!)}&duration=60`)
    expect(slots.status).toBe(200)
    const starts = ((await slots.json()) as { slots: { start: string }[] }).slots.map((slot) => slot.start)
    expect(starts).toEqual([0, 1, 2, 3, 4].flatMap((day) => [9, 10, 11, 12].map((hour) => localSlot(day, hour))))
    expect(consoleErrors).toEqual([])
    await context.close()
  })

  it('enters time off in the tutor’s zone, labelled with it, and stores that zone’s instant', async () => {
    const { page, context, consoleErrors } = await signedInPage(1280)
    await page.goto(`${server.url}/admin/collections/tutors/${tutorId}`)
    const timeOff = page.locator('#field-timeOff')
    await timeOff.waitFor()
    await timeOff.locator('.array-field__add-row').click()
    const start = page.locator('#field-timeOff__0__start')
    await start.waitFor()
    await expect(page.locator('label[for="field-timeOff__0__start"]').textContent()).resolves.toContain(`(tutor's time, ${PARIS})`)
    // Four weeks on, outside the week the slot test reads; 14:30 in Paris in winter is 13:30 UTC.
    const day = monday.plus({ weeks: 4 })
    await start.fill(`${day.toISODate()}T14:30`)
    await page.locator('#field-timeOff__0__end').fill(`${day.toISODate()}T18:00`)
    const saved = await save(page, 'tutors', tutorId)
    expect(saved.status).toBe(200)
    const stored = await payload.findByID({ collection: 'tutors', id: tutorId, depth: 0 })
    expect(stored.timeOff?.map((entry) => [entry.start, entry.end])).toEqual([
      [day.set({ hour: 14, minute: 30 }).toUTC().toISO(), day.set({ hour: 18 }).toUTC().toISO()],
    ])
    // Reloaded, the picker shows the same wall time in the tutor's zone.
    await page.reload()
    await expect(page.locator('#field-timeOff__0__start').inputValue()).resolves.toBe(`${day.toISODate()}T14:30`)
    expect(consoleErrors).toEqual([])
    await context.close()
  })

  it.each(WIDTHS)('renders the tutor form at %i px with no console error and no serious axe finding from our components', async (width) => {
    const { page, context, consoleErrors } = await signedInPage(width)
    await page.goto(`${server.url}/admin/collections/tutors/${tutorId}`)
    await page.locator('.week-grid').waitFor()
    await page.locator('[data-day=mon] summary').click()
    await expect(seriousFindingsBeyondPayload(page)).resolves.toEqual([])
    expect(consoleErrors).toEqual([])
    await context.close()
  })
})

describe('an appointment in the admin', () => {
  let second: string

  beforeAll(async () => {
    // Tuesday 10:00–11:00 and 11:00–12:00 in Paris (inside the week saved above, or booked as staff regardless).
    const at = (hour: number) => monday.plus({ days: 1 }).set({ hour }).toUTC().toISO()!
    await payload.create({ collection: 'appointments', data: { tutor: tutorId, student: studentId, start: at(10), end: at(11) } as never })
    second = String((await payload.create({ collection: 'appointments', data: { tutor: tutorId, student: studentId, start: at(11), end: at(12) } as never })).id)
  })

  it.each(WIDTHS)('shows its time in the tutor’s and the student’s zone at %i px', async (width) => {
    const { page, context, consoleErrors } = await signedInPage(width)
    await page.goto(`${server.url}/admin/collections/appointments/${second}`)
    const tutorLine = page.locator('[data-zone=tutor]')
    await expect(tutorLine.textContent()).resolves.toBeDefined()
    // Each line reads its zone over REST: wait for both (under load either may come second).
    await page.waitForFunction(() => document.querySelector('[data-zone=student]')?.textContent?.includes('Asia/Tokyo'))
    await page.waitForFunction(() => document.querySelector('[data-zone=tutor]')?.textContent?.includes('Europe/Paris'))
    await page.waitForFunction(() => document.querySelector('label[for="field-start"]')?.textContent?.includes('Europe/Paris'))
    // Paris is UTC+1 and Tokyo UTC+9 in winter: 11:00 in Paris is 19:00 in Tokyo.
    await expect(tutorLine.textContent()).resolves.toMatch(/ 11:00–12:00 \(tutor's time, Europe\/Paris\)$/)
    await expect(page.locator('[data-zone=student]').textContent()).resolves.toMatch(/ 19:00–20:00 \(student's time, Asia\/Tokyo\)$/)
    await expect(page.locator('label[for="field-start"]').textContent()).resolves.toContain(`(tutor's time, ${PARIS})`)
    await expect(page.locator('#field-start').inputValue()).resolves.toBe(`${monday.plus({ days: 1 }).toISODate()}T11:00`)
    await expect(seriousFindingsBeyondPayload(page)).resolves.toEqual([])
    expect(consoleErrors).toEqual([])
    await context.close()
  })

  it('names the viewer’s zone in the list view’s time columns', async () => {
    const { page, context, consoleErrors } = await signedInPage(1280, 'America/St_Johns')
    await page.goto(`${server.url}/admin/collections/appointments?where[tutor][equals]=${tutorId}`)
    const rows = page.locator('table tbody tr')
    await rows.first().waitFor()
    await expect(rows.count()).resolves.toBe(2)
    // The browser runs in St John's here (UTC−3:30): Tuesday 11:00 in Paris is 06:30 there, shown with the zone's name.
    const shown = monday.plus({ days: 1 }).set({ hour: 11 }).setZone('America/St_Johns').toFormat('ccc d LLL yyyy HH:mm')
    // The date cells render in the viewer's zone once hydrated: wait for the row.
    await rows.filter({ hasText: `${shown} (America/St_Johns)` }).first().waitFor()
    await expect(rows.allInnerTexts()).resolves.toEqual(expect.arrayContaining([expect.stringContaining(`${shown} (America/St_Johns)`)]))
    await expect(seriousFindingsBeyondPayload(page)).resolves.toEqual([])
    expect(consoleErrors).toEqual([])
    await context.close()
  })

  it('toasts the whole sentence of a rule a staff write breaks, and changes nothing', async () => {
    const { page, context, consoleErrors } = await signedInPage(1280)
    await page.goto(`${server.url}/admin/collections/appointments/${second}`)
    const start = page.locator('#field-start')
    await page.waitForFunction(() => !(document.querySelector('#field-start') as HTMLInputElement | null)?.disabled)
    await start.fill(`${monday.plus({ days: 1 }).toISODate()}T10:00`)
    const refused = await save(page, 'appointments', second)
    expect(refused.status).toBe(409)
    const sentence: string = refused.body.errors[0].message
    // The sentence has times (colons) and commas: exactly what Payload's field-error toast would have split.
    expect(sentence).toMatch(/already has a session .*10:00–11:00 \(tutor's time, Europe\/Paris\).*, so .* is not free\. Choose another time\.$/)
    expect(refused.body.message).toBe(sentence)
    const toast = page.locator('[data-sonner-toast]').filter({ hasText: 'already has a session' })
    await toast.waitFor()
    await expect(toast.innerText()).resolves.toContain(sentence)
    // The same sentence on the field the rule names (the start), whole.
    const fieldError = page.locator('.zoned-date-time.error').filter({ has: page.locator('#field-start') }).locator('.field-error')
    await fieldError.waitFor({ state: 'attached' })
    await expect(fieldError.textContent()).resolves.toBe(sentence)
    const unchanged = await payload.findByID({ collection: 'appointments', id: second, depth: 0 })
    expect(unchanged.start).toBe(monday.plus({ days: 1 }).set({ hour: 11 }).toUTC().toISO())
    // A refused save is an expected 409, which the browser logs as a failed resource load: nothing else may be logged.
    expect(consoleErrors.filter((line) => !/status of 409/.test(line))).toEqual([])
    await context.close()
  })

  it('adds a date override with its own hours in the tutor’s zone, and the slot search serves exactly those that day', async () => {
    const { page, context, consoleErrors } = await signedInPage(1280)
    await page.goto(`${server.url}/admin/collections/tutors/${tutorId}`)
    const overrides = page.locator('.date-overrides')
    await overrides.waitFor()
    await expect(overrides.locator('.week-grid__title').textContent()).resolves.toContain(`(tutor’s time, ${PARIS})`)
    // A Monday two weeks on, clear of the sessions the other tests book; its weekly hours are 09:00–13:00.
    const day = monday.plus({ weeks: 1 })
    await overrides.getByRole('button', { name: 'Add date override' }).click()
    await overrides.getByLabel(`Override 1, date (${PARIS})`).fill(day.toISODate()!)
    const unavailable = overrides.getByLabel('Unavailable all day')
    await expect(unavailable.isChecked()).resolves.toBe(true)
    await unavailable.uncheck()
    const name = `Override 1 (${day.toISODate()}), range 1`
    await overrides.getByLabel(`${name}, start (${PARIS})`).fill('15:00')
    await overrides.getByLabel(`${name}, end (${PARIS})`).fill('17:00')
    await expect(seriousFindingsBeyondPayload(page)).resolves.toEqual([])

    const saved = await save(page, 'tutors', tutorId)
    expect(saved.status).toBe(200)
    const stored = await payload.findByID({ collection: 'tutors', id: tutorId, depth: 0 })
    expect((stored.dateOverrides ?? []).map(({ date, ranges }) => ({ date, ranges: (ranges ?? []).map(({ start, end }) => ({ start, end })) }))).toEqual([
      { date: day.toISODate(), ranges: [{ start: '15:00', end: '17:00' }] },
    ])

    const from = day.toUTC().toISO()!
    const to = day.plus({ days: 2 }).toUTC().toISO()!
    const slots = await fetch(`${server.url}/api/tutors/${tutorId}/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&duration=60`)
    expect(slots.status).toBe(200)
    const starts = ((await slots.json()) as { slots: { start: string }[] }).slots.map((slot) => slot.start)
    // That Monday: only the override's 15:00 and 16:00; the Tuesday after keeps its weekly 09:00–13:00.
    const at = (days: number, hour: number) => day.plus({ days }).set({ hour }).toUTC().toISO()
    expect(starts).toEqual([at(0, 15), at(0, 16), at(1, 9), at(1, 10), at(1, 11), at(1, 12)])

    await page.setViewportSize({ width: 390, height: 900 })
    await page.reload()
    await page.locator('.date-overrides [data-override="0"]').waitFor()
    await expect(seriousFindingsBeyondPayload(page)).resolves.toEqual([])
    expect(consoleErrors).toEqual([])
    await context.close()
  })

  it('refuses time off over a booked session with the sessions listed, in the toast and on the time-off field, and changes nothing', async () => {
    const { page, context, consoleErrors } = await signedInPage(1280)
    await page.goto(`${server.url}/admin/collections/tutors/${tutorId}`)
    const timeOff = page.locator('#field-timeOff')
    await timeOff.waitFor()
    const before = (await payload.findByID({ collection: 'tutors', id: tutorId, depth: 0 })).timeOff ?? []
    await timeOff.locator('.array-field__add-row').click()
    const row = before.length
    const start = page.locator(`#field-timeOff__${row}__start`)
    await start.waitFor()
    // Tuesday 09:00–13:00 in Paris covers both booked sessions (10:00 and 11:00).
    const tuesday = monday.plus({ days: 1 }).toISODate()
    await start.fill(`${tuesday}T09:00`)
    await page.locator(`#field-timeOff__${row}__end`).fill(`${tuesday}T13:00`)
    const refused = await save(page, 'tutors', tutorId)
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0].data).toEqual({ code: 'STRANDS_BOOKED_SESSIONS', field: 'timeOff' })
    const sentence: string = refused.body.errors[0].message
    expect(sentence).toContain('10:00–11:00')
    expect(sentence).toContain('11:00–12:00')
    const toast = page.locator('[data-sonner-toast]').filter({ hasText: sentence.slice(0, 30) })
    await toast.waitFor()
    await expect(toast.innerText()).resolves.toContain(sentence)
    const fieldError = timeOff.locator('.field-error').first()
    await fieldError.waitFor({ state: 'attached' })
    await expect(fieldError.textContent()).resolves.toBe(sentence)
    const after = await payload.findByID({ collection: 'tutors', id: tutorId, depth: 0 })
    expect(after.timeOff ?? []).toHaveLength(before.length)
    expect(consoleErrors.filter((line) => !/status of 409/.test(line))).toEqual([])
    await context.close()
  })

  it('takes a cancellation’s time in the tutor’s zone, labelled with it', async () => {
    const at = (hour: number) => monday.plus({ days: 2 }).set({ hour }).toUTC().toISO()!
    const cancelled = await payload.create({ collection: 'appointments', data: { tutor: tutorId, student: studentId, start: at(9), end: at(10) } as never })
    await payload.update({ collection: 'appointments', id: cancelled.id, data: { status: 'cancelled', cancellation: { reason: 'Test' } } as never })
    const stored = await payload.findByID({ collection: 'appointments', id: cancelled.id, depth: 0 })
    expect(stored.cancellation?.at).toBeTruthy()
    const { page, context, consoleErrors } = await signedInPage(1280, 'America/St_Johns')
    await page.goto(`${server.url}/admin/collections/appointments/${cancelled.id}`)
    await page.waitForFunction(() => document.querySelector('label[for="field-cancellation__at"]')?.textContent?.includes('Europe/Paris'))
    await expect(page.locator('label[for="field-cancellation__at"]').textContent()).resolves.toContain(`Cancelled at (tutor's time, ${PARIS})`)
    const wall = DateTime.fromISO(stored.cancellation!.at!, { zone: PARIS }).toFormat("yyyy-MM-dd'T'HH:mm")
    await expect(page.locator('#field-cancellation__at').inputValue()).resolves.toBe(wall)
    expect(consoleErrors).toEqual([])
    await context.close()
  })
})
