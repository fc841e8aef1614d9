import { mkdirSync } from 'node:fs'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { Payload } from 'payload'

import { testPayload, uniqueEmail } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { seriousFindings } from '../helpers/axe'
import { launchChromium } from '../helpers/browser'
import { createTutor, futureUtc, TEST_PASSWORD } from '../helpers/fixtures'
import { emailsTo, waitForEmail } from '../helpers/mailbox'
import type { Tutor } from '../../src/payload-types'

/**
 * My bookings (`/bookings`) and the manage page (`/bookings/:id`) on the production server, as a verified student
 * in Asia/Tokyo: upcoming and past in their zone, cancel with a reason before the cut-off (the mail arrives, the
 * list follows), inside it no cancel button but why and a message to the tutor (whose mail carries the student's
 * name, not their address). Signed out → /login?next=/bookings. No console error and no serious or critical axe
 * finding at 390 px and 1280 px.
 */
let server: SharedAppServer
let browser: Browser
let payload: Payload
let relaxed: Tutor
let strict: Tutor
const ZONE = 'Asia/Tokyo'
const SCREENSHOTS = path.resolve('test-artifacts', 'screenshots')
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const
const TAG = Date.now().toString(36)

type Student = { id: string; email: string; name: string }
const student: Student = { id: '', email: uniqueEmail('mybookings'), name: `Kenji ${TAG}` }
const ids: Record<'cancellable' | 'locked' | 'past', string> = { cancellable: '', locked: '', past: '' }
const starts = { cancellable: futureUtc(6, 2), locked: futureUtc(1, 10) }

async function post(route: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `JWT ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json().catch(() => undefined) }
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  server = sharedAppServer()
  browser = await launchChromium()
  payload = await testPayload()
  relaxed = await createTutor(payload, { name: `Rosa Relaxed ${TAG}`, timeZone: 'Europe/Madrid', meetingLocation: 'Library room 4' })
  strict = await createTutor(payload, { name: `Sam Strict ${TAG}`, timeZone: 'America/New_York', policy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 48 } } as Partial<Tutor>)
  const doc = await payload.create({
    collection: 'students',
    data: { email: student.email, password: TEST_PASSWORD, fullName: student.name, timeZone: ZONE, phone: '+81 3 5555 0199', _verified: true },
    disableVerificationEmail: true,
  })
  student.id = String(doc.id)
  const token = (await post('/api/students/login', { email: student.email, password: TEST_PASSWORD })).body.token as string
  const book = async (tutor: Tutor, start: string) => {
    const answer = await post('/api/appointments', { tutor: tutor.id, start, duration: 60 }, token)
    expect(answer.status).toBe(201)
    return String(answer.body.doc.id)
  }
  ids.cancellable = await book(relaxed, starts.cancellable)
  ids.locked = await book(strict, starts.locked)
  // A session that happened: recorded as completed (server code, like staff; no mail for past sessions).
  const past = await payload.create({
    collection: 'appointments',
    data: { tutor: relaxed.id, student: student.id, start: futureUtc(-3, 2), end: futureUtc(-3, 3), status: 'completed' } as never,
  })
  ids.past = String(past.id)
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

type Session = { context: BrowserContext; page: Page; consoleErrors: string[] }

/** A browser signed in as `email` through the manage page's own sign-in form. */
async function signedInAs(email: string, viewport: { width: number; height: number } = WIDTHS.desktop): Promise<Session> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400 && !response.url().includes('/api/')) consoleErrors.push(`${response.status()} ${response.url()}`)
  })
  await page.goto(`${server.url}/bookings/${ids.cancellable}`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('main').filter({ hasNotText: 'Sign in with the student account' }).waitFor()
  return { context, page, consoleErrors }
}

/** "Wed 9 Dec 2026 21:10–22:10 (Asia/Tokyo)", as the pages write an English range. */
function tokyoRange(startIso: string): string {
  const start = Date.parse(startIso)
  const parts = (instant: number) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(instant)
        .map((part) => [part.type, part.value]),
    )
  const a = parts(start)
  const b = parts(start + 3_600_000)
  return `${a.weekday} ${a.day} ${a.month} ${a.year} ${a.hour}:${a.minute}–${b.hour}:${b.minute} (${ZONE})`
}

describe('My bookings', () => {
  it('signed out, /bookings sends the visitor to sign in and come back', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/bookings`)
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(new URL(page.url()).searchParams.get('next')).toBe('/bookings')
    await context.close()
  })

  it('lists upcoming and past sessions in the student’s zone, with tutor, place and the ways to change them', async () => {
    const { context, page, consoleErrors } = await signedInAs(student.email)
    await page.goto(`${server.url}/bookings`)
    const upcoming = page.getByTestId('bookings-upcoming').getByTestId('booking-item')
    const past = page.getByTestId('bookings-past').getByTestId('booking-item')
    await expect(upcoming.count()).resolves.toBe(2)
    await expect(past.count()).resolves.toBe(1)
    // Soonest first; each time in Tokyo with the zone named.
    await expect(upcoming.nth(0).textContent()).resolves.toContain(tokyoRange(starts.locked))
    await expect(upcoming.nth(0).textContent()).resolves.toContain(`Sam Strict ${TAG}`)
    await expect(upcoming.nth(0).textContent()).resolves.toContain('Past the cancellation cut-off')
    const second = await upcoming.nth(1).textContent()
    expect(second).toContain(tokyoRange(starts.cancellable))
    expect(second).toContain(`Rosa Relaxed ${TAG}`)
    expect(second).toContain('Library room 4')
    expect(second).not.toContain('Europe/Madrid')
    await expect(upcoming.nth(1).getByRole('link', { name: /^Reschedule the session/ }).getAttribute('href')).resolves.toBe(`/tutors/${relaxed.slug}?reschedule=${ids.cancellable}`)
    // Inside the cut-off: no reschedule link.
    await expect(upcoming.nth(0).getByRole('link', { name: /^Reschedule/ }).count()).resolves.toBe(0)
    await expect(past.nth(0).textContent()).resolves.toContain('Completed')
    await expect(page.getByText(`every time in your time zone (${ZONE})`).count()).resolves.toBe(1)
    await context.close()
    expect(consoleErrors).toEqual([])
  })

  it('a student with no bookings sees the empty state and the way to find a tutor', async () => {
    const email = uniqueEmail('nobookings')
    await payload.create({ collection: 'students', data: { email, password: TEST_PASSWORD, fullName: 'Nadia None', timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
    const { context, page, consoleErrors } = await signedInAs(email)
    await page.goto(`${server.url}/bookings`)
    const empty = page.getByTestId('bookings-empty')
    await expect(empty.getByRole('heading', { name: 'No bookings yet' }).count()).resolves.toBe(1)
    await expect(empty.getByRole('link', { name: 'Find a tutor' }).getAttribute('href')).resolves.toBe('/')
    await context.close()
    expect(consoleErrors).toEqual([])
  })

  it('inside the cut-off: no cancel button, the sentence why, and a message that reaches the tutor without the student’s details', async () => {
    const { context, page, consoleErrors } = await signedInAs(student.email)
    await page.goto(`${server.url}/bookings/${ids.locked}`)
    const explanation = await page.getByTestId('cutoff-explanation').textContent()
    expect(explanation).toMatch(new RegExp(`^Sam Strict ${TAG} asks for changes at least 48 hours before a session\\. That time passed at .* \\(${ZONE}\\), so this session can no longer be cancelled or moved here\\.`))
    await expect(page.getByRole('button', { name: 'Cancel this session' }).count()).resolves.toBe(0)
    await expect(page.getByRole('link', { name: 'Reschedule' }).count()).resolves.toBe(0)

    await page.getByLabel('Your message').fill('I have a fever. Could we move this to next week?')
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByTestId('message-sent').filter({ hasText: `Your message is on its way to Sam Strict ${TAG}.` }).waitFor()
    const mail = await waitForEmail(strict.contactEmail, (email) => email.subject.startsWith(`Message from ${student.name}`))
    expect(mail.body.text).toContain('I have a fever. Could we move this to next week?')
    for (const part of [mail.subject, mail.body.text ?? '', mail.body.html ?? '', ...(mail.replyTo ?? [])]) {
      expect(part).not.toContain(student.email)
      expect(part).not.toContain('5555 0199')
    }
    await context.close()
    expect(consoleErrors).toEqual([])
  })

  it('no serious or critical axe finding and no console error at phone and desktop widths', async () => {
    const findings: Record<string, string[]> = {}
    for (const [width, viewport] of Object.entries(WIDTHS)) {
      const { context, page, consoleErrors } = await signedInAs(student.email, viewport)
      for (const [label, address] of [
        ['list', '/bookings'],
        ['manage', `/bookings/${ids.cancellable}`],
        ['locked', `/bookings/${ids.locked}`],
        ['past', `/bookings/${ids.past}`],
      ] as const) {
        await page.goto(`${server.url}${address}`)
        const key = `${label}-${width}`
        findings[key] = await seriousFindings(page)
        findings[key].push(...(await page.evaluate(() => (document.documentElement.scrollWidth > window.innerWidth ? [`scrolls sideways: ${document.documentElement.scrollWidth}px`] : []))))
        await page.screenshot({ path: path.join(SCREENSHOTS, `bookings-${label}-${viewport.width}.png`), fullPage: true })
      }
      await context.close()
      findings[`console-${width}`] = consoleErrors
    }
    expect(Object.values(findings).flat()).toEqual([])
  })

  it('cancels with a reason before the cut-off: the mail arrives and the list follows', async () => {
    const { context, page, consoleErrors } = await signedInAs(student.email)
    await page.goto(`${server.url}/bookings/${ids.cancellable}`)
    await expect(page.getByTestId('booking-actions').textContent()).resolves.toMatch(new RegExp(`You can cancel or reschedule this session until .* \\(${ZONE}\\)`))
    await page.getByLabel('Reason (optional)').fill('Exam moved')
    await page.getByRole('button', { name: 'Cancel this session' }).click()
    await page.getByTestId('booking-status').filter({ hasText: 'Cancelled' }).waitFor()
    await expect(page.getByRole('button', { name: 'Cancel this session' }).count()).resolves.toBe(0)
    const mail = await waitForEmail(student.email, (email) => email.subject.startsWith(`Cancelled: your session with Rosa Relaxed ${TAG}`))
    expect(mail.body.text).toContain('Reason: Exam moved')
    expect(mail.subject).toContain(`(${ZONE})`)

    await page.goto(`${server.url}/bookings`)
    await expect(page.getByTestId('bookings-upcoming').getByTestId('booking-item').count()).resolves.toBe(1)
    const past = page.getByTestId('bookings-past').getByTestId('booking-item')
    await expect(past.count()).resolves.toBe(2)
    await expect(past.filter({ hasText: `Rosa Relaxed ${TAG}` }).filter({ hasText: 'Cancelled' }).count()).resolves.toBe(1)
    await context.close()
    expect(consoleErrors).toEqual([])
    expect((await emailsTo(student.email)).filter((email) => email.subject.startsWith('Cancelled:')).length).toBe(1)
  })
})
