import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'
import type { Payload } from 'payload'
import type { Browser, Page } from 'playwright-core'

import { testPayload, uniqueEmail } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { launchChromium } from '../helpers/browser'
import { createTutor } from '../helpers/fixtures'
import { waitForEmail, type StoredEmail } from '../helpers/mailbox'

/**
 * A student's whole journey on the production server, as one person would walk it, joining the pages the other
 * browser files test one by one: register → verification mail → its link → sign in → find a tutor by subject →
 * book → My bookings → reschedule → cancel, with every step's mail arriving and every link of ours in it opening
 * a page; and a booking started signed out, registered on the spot and finished after verifying, on the same slot.
 */
let server: SharedAppServer
let browser: Browser
let payload: Payload
const TAG = `Journey${Date.now().toString(36)}`
const PASSWORD = 'correct horse battery staple'
const STUDENT_ZONE = 'America/New_York'
let tutor: { id: string; slug: string; name: string }

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
  payload = await testPayload()
  const created = await createTutor(payload, {
    name: `Ines ${TAG}`,
    subjects: ['chemistry'],
    timeZone: 'Europe/Madrid',
    weeklyAvailability: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, start: '09:00', end: '18:00' })),
    policy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 0 },
  })
  tutor = { id: String(created.id), slug: created.slug, name: created.name }
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

async function openPage(): Promise<{ page: Page; consoleErrors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: STUDENT_ZONE })
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`)
  })
  return { page, consoleErrors, close: () => context.close() }
}

/** Every link of ours in a mail's text part (calendar sites' links are the booked page's business). */
const ourLinks = (email: StoredEmail): string[] => [...new Set((email.body.text ?? '').match(/https?:\/\/[^\s\]"<>)]+/g) ?? [])].filter((link) => link.startsWith(`${server.url}/`))

/** Opens each link of ours in the mail in the signed-in page: each answers a page (status < 400) with a heading. */
async function followLinks(page: Page, email: StoredEmail): Promise<string[]> {
  const links = ourLinks(email)
  expect(links.length).toBeGreaterThan(0)
  const paths: string[] = []
  for (const link of links) {
    const response = await page.goto(link)
    expect([link, response?.status()]).toEqual([link, 200])
    await expect(page.getByRole('heading', { level: 1 }).count()).resolves.toBe(1)
    paths.push(new URL(link).pathname)
  }
  return paths
}

async function register(page: Page, email: string, name: string): Promise<void> {
  await page.getByLabel('Full name').fill(name)
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('button', { name: 'Create my account' }).click()
  await page.waitForURL(`${server.url}/check-email`)
}

async function verifyFromMail(page: Page, email: string): Promise<string> {
  const mail = await waitForEmail(email, (sent) => /Confirm your email/.test(sent.subject), 30_000)
  const [link] = ourLinks(mail).filter((address) => address.includes('/verify?token='))
  expect(link).toBeDefined()
  await page.goto(link!)
  await page.getByRole('button', { name: 'Confirm my email' }).click()
  return link!
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click()
}

const waitForZone = (page: Page) =>
  page.waitForFunction((zone) => document.querySelector('[data-testid=zone-note]')?.textContent?.includes(zone), STUDENT_ZONE, { timeout: 15_000 })
/** A day `days` from today in the student's zone, 'YYYY-MM-DD'. */
const dayAhead = (days: number): string => DateTime.now().setZone(STUDENT_ZONE).plus({ days }).toISODate()!

const dayTimes = (page: Page) => page.getByTestId('day-times').locator('a')
const startOf = async (page: Page, index: number): Promise<number> => Date.parse((await dayTimes(page).nth(index).getAttribute('data-start'))!)

async function bookedAt(studentEmail: string) {
  const student = (await payload.find({ collection: 'students', where: { email: { equals: studentEmail } }, limit: 1, overrideAccess: true })).docs[0]!
  return (await payload.find({ collection: 'appointments', where: { student: { equals: student.id } }, depth: 0, overrideAccess: true })).docs
}

describe('a student’s whole journey', () => {
  it('register → verify → sign in → find by subject → book → My bookings → reschedule → cancel, each mail with working links', async () => {
    const { page, consoleErrors, close } = await openPage()
    const email = uniqueEmail('journey')

    // Register from the header, confirm the address from the mail, sign in.
    await page.goto(`${server.url}/`)
    await page.locator('header').getByRole('link', { name: 'Register' }).click()
    await register(page, email, 'Jo Journey')
    await verifyFromMail(page, email)
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click()
    await signIn(page, email)
    await page.waitForURL(`${server.url}/`)

    // Find the tutor by subject, open their page.
    await page.getByLabel('Subject').selectOption('chemistry')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('subject') === 'chemistry')
    const card = page.locator('[data-testid=tutor-list] > li').filter({ hasText: tutor.name })
    await card.getByRole('link').first().click()
    await page.waitForURL((url) => url.pathname === `/tutors/${tutor.slug}`)
    await waitForZone(page)
    // A day well ahead (not today's last hours); picking it in the calendar is the booker file's business.
    await page.goto(`${page.url()}?day=${dayAhead(3)}`)

    // Book the first free time of that day.
    const first = await startOf(page, 0)
    await dayTimes(page).first().click()
    await page.waitForURL((url) => url.pathname === `/tutors/${tutor.slug}/confirm`)
    await page.getByRole('button', { name: 'Book this session' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/booked/'))
    const id = new URL(page.url()).pathname.split('/')[2]!
    expect((await bookedAt(email)).map((doc) => [String(doc.id), Date.parse(doc.start), doc.status])).toEqual([[id, first, 'booked']])
    const confirmation = await waitForEmail(email, (mail) => mail.subject.startsWith('Booked:'), 30_000)
    expect(await followLinks(page, confirmation)).toContain(`/bookings/${id}`)

    // My bookings lists it; reschedule from there with the same booker.
    await page.goto(`${server.url}/`)
    await page.locator('header').getByRole('link', { name: 'My bookings' }).click()
    await page.waitForURL(`${server.url}/bookings`)
    const item = page.getByTestId('bookings-upcoming').getByTestId('booking-item').filter({ hasText: tutor.name })
    await expect(item.textContent()).resolves.toContain(STUDENT_ZONE)
    await item.getByRole('link', { name: /^Reschedule/ }).click()
    await page.waitForURL((url) => url.searchParams.get('reschedule') === id)
    await page.goto(`${page.url()}&day=${dayAhead(3)}`)
    await page.getByTestId('reschedule-note').waitFor()
    const count = await dayTimes(page).count()
    expect(count).toBeGreaterThan(1)
    // The old time stays booked until the new one is confirmed, so the day shows a time other than it.
    const next = await startOf(page, count - 1)
    expect(next).not.toBe(first)
    await dayTimes(page).nth(count - 1).click()
    await page.getByRole('button', { name: 'Move my session to this time' }).click()
    await page.waitForURL((url) => url.pathname === `/booked/${id}`)
    expect((await bookedAt(email)).map((doc) => [String(doc.id), Date.parse(doc.start), doc.status])).toEqual([[id, next, 'booked']])
    const moved = await waitForEmail(email, (mail) => mail.subject.startsWith('Moved:'), 30_000)
    expect(await followLinks(page, moved)).toContain(`/bookings/${id}`)

    // Cancel with a reason on the manage page.
    await page.goto(`${server.url}/bookings/${id}`)
    await page.getByLabel('Reason (optional)').fill('Exam moved')
    await page.getByRole('button', { name: 'Cancel this session' }).click()
    await page.getByTestId('booking-status').filter({ hasText: 'Cancelled' }).waitFor()
    const [cancelled] = await bookedAt(email)
    expect([cancelled!.status, cancelled!.cancellation?.reason]).toEqual(['cancelled', 'Exam moved'])
    const cancelMail = await waitForEmail(email, (mail) => mail.subject.startsWith('Cancelled:'), 30_000)
    expect(cancelMail.body.text).toContain('Exam moved')
    expect(await followLinks(page, cancelMail)).toContain(`/bookings/${id}`)
    await page.goto(`${server.url}/bookings`)
    await expect(page.getByTestId('bookings-past').getByTestId('booking-item').filter({ hasText: tutor.name }).count()).resolves.toBe(1)
    await close()
    expect(consoleErrors).toEqual([])
  }, 420_000)

  it('a booking started signed out: register on the spot, verify from the mail, sign in, and the same slot is booked', async () => {
    const { page, consoleErrors, close } = await openPage()
    const email = uniqueEmail('journey-later')
    await page.goto(`${server.url}/tutors/${tutor.slug}?day=${dayAhead(4)}`)
    await waitForZone(page)
    const chosen = await startOf(page, 1)
    await dayTimes(page).nth(1).click()
    await page.waitForURL((url) => url.pathname === `/tutors/${tutor.slug}/confirm`)
    const confirmPath = new URL(page.url()).pathname + new URL(page.url()).search
    await expect(page.getByRole('button', { name: 'Book this session' }).count()).resolves.toBe(0)

    await page.getByRole('main').getByRole('link', { name: 'Create an account' }).click()
    await page.waitForURL((url) => url.pathname === '/register' && url.searchParams.get('next') === confirmPath)
    await register(page, email, 'Lee Later')
    const link = await verifyFromMail(page, email)
    expect(new URL(link).searchParams.get('next')).toBe(confirmPath)
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === confirmPath)
    await signIn(page, email)
    await page.waitForURL(`${server.url}${confirmPath}`)
    await page.getByRole('button', { name: 'Book this session' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/booked/'))
    expect((await bookedAt(email)).map((doc) => [Date.parse(doc.start), doc.status, String(doc.tutor)])).toEqual([[chosen, 'booked', tutor.id]])
    await waitForEmail(email, (mail) => mail.subject.startsWith('Booked:'), 30_000)
    await close()
    expect(consoleErrors).toEqual([])
  }, 420_000)

  it('Spanish: a browser asking for Spanish books from the tutor page after registering, and gets the pages and the confirmation mail in Spanish', async () => {
    const context = await browser.newContext({ locale: 'es-ES', timezoneId: 'Europe/Madrid', extraHTTPHeaders: { 'Accept-Language': 'es-ES,es;q=0.9' } })
    const page = await context.newPage()
    const consoleErrors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
    const email = uniqueEmail('journey-es')
    await page.goto(`${server.url}/tutors/${tutor.slug}?day=${dayAhead(5)}`)
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es')
    await page.waitForFunction(() => document.querySelector('[data-testid=zone-note]')?.textContent?.includes('Europe/Madrid'), undefined, { timeout: 15_000 })
    const chosen = await startOf(page, 0)
    await dayTimes(page).first().click()
    await page.waitForURL((url) => url.pathname === `/tutors/${tutor.slug}/confirm`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Confirma tu sesión')
    await page.locator('main a[href^="/register?next="]').first().click()
    await page.waitForURL((url) => url.pathname === '/register')
    await page.getByLabel('Nombre completo').fill('Elena Española')
    await page.getByLabel('Correo electrónico', { exact: true }).fill(email)
    await page.getByLabel('Contraseña', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Crear mi cuenta' }).click()
    await page.waitForURL(`${server.url}/check-email`)
    const student = (await payload.find({ collection: 'students', where: { email: { equals: email } }, limit: 1, overrideAccess: true })).docs[0]!
    expect([student.language, student.timeZone]).toEqual(['es', 'Europe/Madrid'])

    const verification = await waitForEmail(email, (mail) => (mail.body.text ?? '').includes('/verify?token='), 30_000)
    const [link] = ourLinks(verification).filter((address) => address.includes('/verify?token='))
    await page.goto(link!)
    await page.getByRole('button', { name: 'Confirmar mi correo' }).click()
    await page.waitForURL((url) => url.pathname === '/login')
    await page.getByLabel('Correo electrónico', { exact: true }).fill(email)
    await page.getByLabel('Contraseña', { exact: true }).fill(PASSWORD)
    await page.getByRole('main').getByRole('button', { name: 'Iniciar sesión' }).click()
    await page.waitForURL((url) => url.pathname === `/tutors/${tutor.slug}/confirm`)
    await page.getByRole('button', { name: 'Reservar esta sesión' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/booked/'))
    await expect(page.getByTestId('booked-title').textContent()).resolves.toBe('Tu sesión está reservada')
    expect((await bookedAt(email)).map((doc) => Date.parse(doc.start))).toEqual([chosen])
    const confirmation = await waitForEmail(email, (mail) => mail.subject.startsWith('Reservada:'), 30_000)
    expect(confirmation.subject).toContain(tutor.name)
    expect(confirmation.body.text).toContain('Hola Elena Española')
    await context.close()
    expect(consoleErrors).toEqual([])
  }, 420_000)
})
