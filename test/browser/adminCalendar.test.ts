import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import type { Payload } from 'payload'

import { sessionTime } from '../../src/admin/formatTime'
import { consoleErrorsOf, signInByApi } from '../helpers/adminPage'
import { api, testPayload, uniqueEmail } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { launchChromium } from '../helpers/browser'
import { createStudent, createTutor, createTutorAccount, login, TEST_PASSWORD, type TestStudent } from '../helpers/fixtures'
import { waitForEmail } from '../helpers/mailbox'
import { seriousFindingsBeyondPayload as seriousFindings } from '../helpers/payloadAxe'

/**
 * The admin's dashboard lists and the calendar view (#17) on the production server, in a browser whose zone is not
 * the server's: each staff role's dashboard renders (an editor's says it has no sessions to show), a session booked
 * today is listed with its time in the viewer's zone, the calendar puts a session in its day column and hour row,
 * and dragging a session moves it only as the booking rules allow (a refusal shows the rule's sentence and changes
 * nothing; an allowed move saves and mails the student). No console errors; axe finds nothing serious or critical
 * in our components at 390 px and 1280 px (Payload's own known findings: test/helpers/payloadAxe.ts).
 */
let server: SharedAppServer
let browser: Browser
let payload: Payload
const SCREENSHOTS = path.resolve('test-artifacts', 'screenshots')
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const
// UTC−03:30 in December: a half-hour offset puts a UTC hour in the middle of a local hour row. (Chromium names
// Asia/Kolkata by its old name, Asia/Calcutta; this zone has one name.)
const VIEWER_ZONE = 'America/St_Johns'
const staff: Record<'admin' | 'editor' | 'tutor', string> = { admin: '', editor: '', tutor: '' }
/** Cleo (whose account `staff.tutor` is) and Theo, a second tutor with a session on the same day. */
let tutor: { id: string; name: string }
let otherTutor: { id: string; name: string }
let studentA: TestStudent
let studentB: TestStudent
let todaySession: { id: string; start: string; end: string }
/** The calendar's day (in UTC, three days ahead) and its two sessions: A at 14:00, B at 16:00 UTC. */
let day: DateTime
let sessionA: { id: string; start: string; end: string }
let sessionB: { id: string; start: string; end: string }
/** Theo's session on the calendar's day, 12:00 UTC (clear of Cleo's sessions, so it may move to her). */
let otherSession: { id: string; start: string; end: string }

async function signedIn(role: 'admin' | 'editor' | 'tutor', options: { timezoneId?: string } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ timezoneId: options.timezoneId ?? VIEWER_ZONE, viewport: WIDTHS[1] })
  const page = await context.newPage()
  // The first page of a fresh production server on a busy machine can take longer than Playwright's 30 s.
  page.setDefaultTimeout(90_000)
  const errors = consoleErrorsOf(page)
  await signInByApi(context, server.url, staff[role], TEST_PASSWORD)
  return { context, page, errors }
}

const iso = (time: DateTime) => time.toUTC().toISO()!

async function book(start: DateTime, student: TestStudent, tutorId = tutor.id): Promise<{ id: string; start: string; end: string }> {
  const doc = await payload.create({
    collection: 'appointments',
    data: { tutor: tutorId, student: student.id, start: iso(start), end: iso(start.plus({ hours: 1 })) },
  })
  return { id: String(doc.id), start: doc.start, end: doc.end }
}

async function storedStart(id: string): Promise<string> {
  const doc = await payload.findByID({ collection: 'appointments', id, depth: 0 })
  return new Date(doc.start).toISOString()
}

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
  payload = await testPayload()
  for (const role of ['admin', 'editor'] as const) {
    const email = uniqueEmail(`calendar-${role}`)
    await payload.create({ collection: 'users', data: { email, password: TEST_PASSWORD, name: `Calendar ${role}`, role } })
    staff[role] = email
  }
  // Hours 08:00–20:00 UTC and an evening off on the calendar's day: the calendar shades the rest (axe sees both).
  day = DateTime.utc().plus({ days: 3 }).startOf('day')
  const created = await createTutor(payload, {
    name: `Cleo Calendar ${Date.now().toString(36)}`,
    weeklyAvailability: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((weekday) => ({ day: weekday, start: '08:00', end: '20:00' })),
    timeOff: [{ start: iso(day.set({ hour: 18 })), end: iso(day.set({ hour: 20 })), reason: 'dentist' }],
  })
  tutor = { id: String(created.id), name: created.name }
  staff.tutor = (await createTutorAccount(payload, created)).email
  // The same hours, so the week's shading is unchanged with both shown.
  const other = await createTutor(payload, {
    name: `Theo Calendar ${Date.now().toString(36)}`,
    weeklyAvailability: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((weekday) => ({ day: weekday, start: '08:00', end: '20:00' })),
  })
  otherTutor = { id: String(other.id), name: other.name }
  studentA = await createStudent(payload, { label: 'calendar-a' })
  studentB = await createStudent(payload, { label: 'calendar-b' })
  // The next half hour at least 15 minutes away: today (or, just before midnight, tomorrow) in the viewer's zone.
  const soon = DateTime.utc().plus({ minutes: 15 })
  todaySession = await book(soon.startOf('hour').plus({ minutes: soon.minute < 30 ? 30 : 60 }), studentA)
  sessionA = await book(day.set({ hour: 14 }), studentA)
  sessionB = await book(day.set({ hour: 16 }), studentB)
  otherSession = await book(day.set({ hour: 12 }), studentB, otherTutor.id)
  mkdirSync(SCREENSHOTS, { recursive: true })
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

describe('the dashboard', () => {
  it('lists, for an admin, the session booked today with its time in the viewer’s zone, linking to it; no console error; axe clean at 390 and 1280 px', async () => {
    const { context, page, errors } = await signedIn('admin')
    await page.goto(`${server.url}/admin`)
    await expect(page.getByTestId('viewer-zone').textContent()).resolves.toContain(VIEWER_ZONE)
    const startsToday = DateTime.fromISO(todaySession.start, { zone: VIEWER_ZONE }).hasSame(DateTime.now().setZone(VIEWER_ZONE), 'day')
    const section = page.locator(startsToday ? '#tt-dashboard-today' : '#tt-dashboard-tomorrow').locator('xpath=..')
    const row = section.locator(`tr[data-session-id="${todaySession.id}"]`)
    await row.waitFor()
    const cells = await row.locator('td').allTextContents()
    expect(cells).toEqual([sessionTime(todaySession.start, todaySession.end, VIEWER_ZONE), tutor.name, 'Test Student', 'Booked'])
    expect(cells[0]).toMatch(/GMT-3:30$/)
    await expect(row.locator('a').getAttribute('href')).resolves.toBe(`/admin/collections/appointments/${todaySession.id}`)
    // The other lists are there, with rows or their empty sentence; the outbox list is an admin's.
    for (const heading of ['Booked later this week', 'Cancelled in the last 7 days', 'Mail that failed or is stuck']) {
      await expect(page.getByRole('heading', { name: heading }).count()).resolves.toBe(1)
    }
    await expect(page.locator(`#tt-dashboard-week ~ table tr[data-session-id="${sessionA.id}"]`).count()).resolves.toBe(1)
    await expect(page.locator('.nav a#nav-calendar').count()).resolves.toBe(1)

    const findings: Record<number, string[]> = {}
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport)
      findings[viewport.width] = await seriousFindings(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, `admin-dashboard-${viewport.width}.png`), fullPage: true })
    }
    await context.close()
    expect({ errors, findings }).toEqual({ errors: [], findings: { 390: [], 1280: [] } })
  })

  it('shows an editor (who may not read sessions, students or mail) a sentence instead of the lists, and no calendar', async () => {
    const { context, page, errors } = await signedIn('editor')
    await page.goto(`${server.url}/admin`)
    await page.getByText('Your role keeps tutor profiles').waitFor()
    await expect(page.getByRole('heading', { name: 'Today' }).count()).resolves.toBe(0)
    await expect(page.getByRole('heading', { name: 'Mail that failed or is stuck' }).count()).resolves.toBe(0)
    await expect(page.locator('.nav a#nav-calendar').count()).resolves.toBe(0)
    const findings: Record<number, string[]> = {}
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport)
      findings[viewport.width] = await seriousFindings(page)
    }
    await page.goto(`${server.url}/admin/calendar`)
    await page.getByText('Your role has no access to sessions').waitFor()
    await expect(page.locator('.rbc-calendar').count()).resolves.toBe(0)
    await context.close()
    expect({ errors, findings }).toEqual({ errors: [], findings: { 390: [], 1280: [] } })
  })
})

/** The week view's column for a local date, and the event tile of a session. */
async function box(locator: Locator) {
  // The calendar re-renders its tiles when a fetch of the visible range lands (a filter change, a move): a tile can be
  // between renders for a moment, so ask again for a few seconds before calling it missing.
  for (let attempt = 0; attempt < 40; attempt++) {
    const found = await locator.boundingBox().catch(() => null)
    if (found && found.width > 0 && found.height > 0) return found
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('element has no box')
}

async function openCalendarWeek(page: Page, { justThisTutor = true }: { justThisTutor?: boolean } = {}): Promise<void> {
  const localDate = DateTime.fromISO(sessionA.start, { zone: VIEWER_ZONE }).toISODate()
  await page.goto(`${server.url}/admin/calendar?date=${localDate}`)
  await page.locator('.rbc-time-view').waitFor()
  // Only this file's tutor: other files' tutors share the database (their hours would unshade the whole week,
  // their sessions would crowd the columns).
  if (justThisTutor) {
    await page.locator('.tt-cal__filter-option', { hasText: tutor.name }).locator('input[type=checkbox]').check()
    await page.locator('.tt-cal__filter legend', { hasText: /\(1 of \d+\)/ }).waitFor()
  }
  await page.locator(`.rbc-event`, { hasText: 'Test Student' }).first().waitFor()
}

/** Drags an event tile by dy pixels, in small steps as a hand would (react-big-calendar reads mouse moves). */
async function dragBy(page: Page, tile: Locator, dy: number): Promise<void> {
  await tile.scrollIntoViewIfNeeded()
  const start = await box(tile)
  const x = start.x + start.width / 2
  const y = start.y + start.height / 2
  await page.mouse.move(x, y)
  await page.mouse.down()
  await page.mouse.move(x, y + 5, { steps: 2 })
  await page.mouse.move(x, y + dy, { steps: 12 })
  await settleDrag(page)
  await page.mouse.up()
}

/**
 * Lets the page paint the last move before the button is released, as under a hand it has: react-big-calendar drops
 * where its drag preview last was, and on a busy machine the last synthetic moves arrive faster than it renders
 * (seen once in CI: a two-hour drag dropped 1.5 h down, at the 9th of its 12 steps).
 */
async function settleDrag(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))))
}

describe('the calendar', () => {
  const tileOf = (page: Page, id: string) => page.locator('.rbc-event').filter({ has: page.locator(`[data-session-id="${id}"]`) })

  it('shows a booked session in its local day column and hour row for a viewer in another zone; axe clean at 390 and 1280 px', async () => {
    const { context, page, errors } = await signedIn('admin')
    await openCalendarWeek(page)
    await expect(page.getByTestId('viewer-zone').textContent()).resolves.toContain(`${VIEWER_ZONE} (GMT-3:30)`)
    const local = DateTime.fromISO(sessionA.start, { zone: VIEWER_ZONE })
    const tile = tileOf(page, sessionA.id)
    await expect(tile.locator('.rbc-event-label').textContent()).resolves.toBe('10:30–11:30')
    // Column: the tile sits under the header of its local date.
    const header = page.locator('.rbc-time-header .rbc-header', { hasText: local.toFormat('ccc d LLL') })
    const [headerBox, tileBox] = [await box(header), await box(tile)]
    expect(tileBox.x + tileBox.width / 2).toBeGreaterThan(headerBox.x)
    expect(tileBox.x + tileBox.width / 2).toBeLessThan(headerBox.x + headerBox.width)
    // Row: its top is halfway down the 10:00 hour (10:30 local).
    const hour = page.locator('.rbc-time-gutter .rbc-timeslot-group', { hasText: '10:00' })
    const hourBox = await box(hour)
    expect(Math.abs(tileBox.y - (hourBox.y + hourBox.height / 2))).toBeLessThanOrEqual(3)

    // Working hours unshaded, the rest shaded; the time off is a block of its own.
    await expect(page.locator('.rbc-day-slot .rbc-time-slot:not(.tt-cal-off-hours)').count()).resolves.toBe(7 * 24) // 12 h × 2 slots × 7 days
    await expect(page.locator('.rbc-background-event.tt-cal-timeoff', { hasText: 'time off (dentist)' }).count()).resolves.toBe(1)

    const findings: Record<number, string[]> = {}
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport)
      findings[viewport.width] = await seriousFindings(page)
      await page.screenshot({ path: path.join(SCREENSHOTS, `admin-calendar-week-${viewport.width}.png`), fullPage: true })
    }
    await context.close()
    expect({ errors, findings }).toEqual({ errors: [], findings: { 390: [], 1280: [] } })
  })

  it('draws a session across the viewer’s midnight in both of its day columns, not in the hidden all-day row', async () => {
    // UTC+09:30 all year: session A (14:00–15:00 UTC) is 23:30–00:30 there. Before showMultiDayTimes the library put
    // such a session in the all-day row, which the calendar hides, and it did not show at all.
    const zone = 'Australia/Darwin'
    const { context, page, errors } = await signedIn('admin', { timezoneId: zone })
    const local = DateTime.fromISO(sessionA.start, { zone })
    const pieces = [
      { date: local, label: '23:30–' },
      { date: local.plus({ days: 1 }), label: '–00:30' },
    ]
    // A week at a time (the next day may be the next week): each piece under the header of its own local date.
    for (const piece of pieces) {
      await page.goto(`${server.url}/admin/calendar?date=${piece.date.toISODate()}`)
      await page.locator('.rbc-time-view').waitFor()
      await page.locator('.tt-cal__filter-option', { hasText: tutor.name }).locator('input[type=checkbox]').check()
      await page.locator('.tt-cal__filter legend', { hasText: /\(1 of \d+\)/ }).waitFor()
      const tile = tileOf(page, sessionA.id).filter({ has: page.locator('.rbc-event-label', { hasText: piece.label }) })
      await tile.waitFor()
      const header = page.locator('.rbc-time-header .rbc-header', { hasText: piece.date.toFormat('ccc d LLL') })
      const [headerBox, tileBox] = [await box(header), await box(tile)]
      expect(tileBox.x + tileBox.width / 2).toBeGreaterThan(headerBox.x)
      expect(tileBox.x + tileBox.width / 2).toBeLessThan(headerBox.x + headerBox.width)
    }
    await context.close()
    expect(errors).toEqual([])
  })

  it('refuses a drag onto another booked session with the rule’s sentence, leaves it where it was, and saves an allowed drag (the student is mailed)', async () => {
    const { context, page, errors } = await signedIn('admin')
    await openCalendarWeek(page)
    const tileA = tileOf(page, sessionA.id)
    const tileB = tileOf(page, sessionB.id)
    await tileA.scrollIntoViewIfNeeded()
    const [boxA, boxB, hourBefore] = [await box(tileA), await box(tileB), await box(page.locator('.rbc-time-gutter .rbc-timeslot-group', { hasText: '10:00' }))]
    const twoHours = boxB.y - boxA.y

    // What the rules say to the same move over REST (and that they refuse it).
    const token = await login('users', staff.admin)
    const refused = await api('PATCH', `/api/appointments/${sessionA.id}`, { token, body: { start: sessionB.start, end: sessionB.end } })
    expect(refused.status).toBe(409)
    const sentence: string = refused.body.errors[0].message

    await dragBy(page, tileA, twoHours)
    const notice = page.locator('.tt-cal__notice[data-kind="error"]')
    await notice.waitFor()
    await expect(notice.textContent()).resolves.toBe(`Not moved: ${sentence}`)
    await expect(storedStart(sessionA.id)).resolves.toBe(sessionA.start)
    // Back in its place: the same distance below the 10:00 row as before (the grid may have scrolled meanwhile).
    const hourRow = page.locator('.rbc-time-gutter .rbc-timeslot-group', { hasText: '10:00' })
    const [snappedBack, hourAfter] = [await box(tileA), await box(hourRow)]
    expect(Math.abs(snappedBack.y - hourAfter.y - (boxA.y - hourBefore.y))).toBeLessThanOrEqual(1)

    // One hour later (15:00 UTC) is free: saved, and the student hears of it.
    await dragBy(page, tileA, twoHours / 2)
    await page.locator('.tt-cal__notice[data-kind="success"]').waitFor()
    const moved = iso(day.set({ hour: 15 }))
    await expect(storedStart(sessionA.id)).resolves.toBe(moved)
    // The notice comes before the sessions are read again: wait for the reloaded tile.
    await tileOf(page, sessionA.id).locator('.rbc-event-label', { hasText: /^11:30–12:30$/ }).waitFor()
    const mail = await waitForEmail(studentA.email, (email) => email.subject.startsWith('Moved:'))
    expect(mail.subject).toContain(tutor.name)
    await context.close()
    // The refused PATCH is the one failed request the browser logs (409).
    expect(errors.filter((error) => !/status of 409/.test(error))).toEqual([])
  })
})

/** Drags a tile by (dx, dy) pixels in small steps, as a hand would. */
async function dragAcross(page: Page, tile: Locator, dx: number, dy = 0): Promise<void> {
  await tile.scrollIntoViewIfNeeded()
  const start = await box(tile)
  const x = start.x + start.width / 2
  const y = start.y + Math.min(start.height / 2, 10)
  await page.mouse.move(x, y)
  await page.mouse.down()
  await page.mouse.move(x + 5, y, { steps: 2 })
  await page.mouse.move(x + dx, y + dy, { steps: 15 })
  await settleDrag(page)
  await page.mouse.up()
}

describe('the calendar, per tutor', () => {
  const tileOf = (page: Page, id: string) => page.locator('.rbc-event').filter({ has: page.locator(`[data-session-id="${id}"]`) })

  it('shows a tutor only their own sessions (named by the student, whom they may not read), not another tutor’s that week; axe clean at 390 and 1280 px', async () => {
    const { context, page, errors } = await signedIn('tutor')
    await openCalendarWeek(page)
    const own = tileOf(page, sessionB.id)
    await own.waitFor()
    await expect(own.locator(`[data-session-id="${sessionB.id}"]`).textContent()).resolves.toBe(`Test Student with ${tutor.name}`)
    // Theo's session is in the same week for an admin (next test), never fetched for Cleo.
    await expect(tileOf(page, otherSession.id).count()).resolves.toBe(0)
    await expect(page.locator('.rbc-event', { hasText: otherTutor.name }).count()).resolves.toBe(0)
    const findings: Record<number, string[]> = {}
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport)
      findings[viewport.width] = await seriousFindings(page)
    }
    await context.close()
    expect({ errors, findings }).toEqual({ errors: [], findings: { 390: [], 1280: [] } })
  })

  it('narrows the week to the ticked tutor, and shows all again', async () => {
    const { context, page, errors } = await signedIn('admin')
    await openCalendarWeek(page, { justThisTutor: false })
    await tileOf(page, sessionB.id).waitFor()
    await tileOf(page, otherSession.id).waitFor()
    await page.getByRole('checkbox', { name: otherTutor.name }).check()
    await expect(page.locator('.tt-cal__filter legend').textContent()).resolves.toMatch(/^Tutors shown \(1 of \d+\)$/)
    await tileOf(page, sessionB.id).waitFor({ state: 'detached' })
    await expect(tileOf(page, otherSession.id).count()).resolves.toBe(1)
    await page.getByRole('button', { name: 'Show all tutors' }).click()
    await tileOf(page, sessionB.id).waitFor()
    await expect(tileOf(page, otherSession.id).count()).resolves.toBe(1)
    await context.close()
    expect(errors).toEqual([])
  })

  it('shows one column per tutor in the day view, and moves a session dragged to another tutor’s column to that tutor', async () => {
    const { context, page, errors } = await signedIn('admin')
    const localDate = DateTime.fromISO(otherSession.start, { zone: VIEWER_ZONE }).toISODate()
    await page.goto(`${server.url}/admin/calendar?view=day&date=${localDate}`)
    await page.locator('.rbc-time-view').waitFor()
    // Just the two tutors of this file (the run's other files add tutors too), in name order.
    await page.getByRole('checkbox', { name: tutor.name }).check()
    await page.getByRole('checkbox', { name: otherTutor.name }).check()
    const columns = page.locator('.rbc-time-header .rbc-row-resource .rbc-header')
    await page.waitForFunction(() => document.querySelectorAll('.rbc-time-header .rbc-row-resource .rbc-header').length === 2)
    await expect(columns.allTextContents()).resolves.toEqual([tutor.name, otherTutor.name])
    const [cleoColumn, theoColumn] = [await box(columns.nth(0)), await box(columns.nth(1))]
    const tile = tileOf(page, otherSession.id)
    await tile.waitFor()
    const before = await box(tile)
    const centre = (b: { x: number; width: number }) => b.x + b.width / 2
    expect(centre(before)).toBeGreaterThan(theoColumn.x)
    expect(centre(before)).toBeLessThan(theoColumn.x + theoColumn.width)
    await tileOf(page, sessionB.id).waitFor()
    expect(centre(await box(tileOf(page, sessionB.id)))).toBeLessThan(cleoColumn.x + cleoColumn.width)

    // Same time, Cleo's column: the PATCH names her, the server saves it, the tile lands in her column.
    const patched = page.waitForResponse((response) => response.url().endsWith(`/api/appointments/${otherSession.id}`) && response.request().method() === 'PATCH')
    await dragAcross(page, tile, centre(cleoColumn) - centre(before))
    const response = await patched
    expect({ status: response.status(), body: response.request().postDataJSON() }).toEqual({ status: 200, body: { start: otherSession.start, end: otherSession.end, tutor: tutor.id } })
    await page.locator('.tt-cal__notice[data-kind="success"]', { hasText: `with ${tutor.name}` }).waitFor()
    const stored = await payload.findByID({ collection: 'appointments', id: otherSession.id, depth: 0 })
    expect({ tutor: String(stored.tutor), start: new Date(stored.start).toISOString() }).toEqual({ tutor: tutor.id, start: otherSession.start })
    // Reloaded from the server: the tile now sits under Cleo's heading.
    await page.waitForFunction(
      ({ id, right }) => {
        const tile = document.querySelector(`[data-session-id="${id}"]`)?.closest('.rbc-event')
        if (!tile) return false
        const rect = tile.getBoundingClientRect()
        return rect.x + rect.width / 2 < right
      },
      { id: otherSession.id, right: cleoColumn.x + cleoColumn.width },
    )
    await context.close()
    expect(errors).toEqual([])
  })
})
