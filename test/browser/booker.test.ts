import { readFile } from 'node:fs/promises'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DateTime } from 'luxon'
import type { Payload } from 'payload'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'

import { testPayload } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { seriousFindings } from '../helpers/axe'
import { launchChromium } from '../helpers/browser'
import { createStaff, createStudent, createTutor, type TestStudent } from '../helpers/fixtures'
import { waitForEmail } from '../helpers/mailbox'

/**
 * The booker on the production server: /tutors/<slug> (profile, lengths, month calendar, the day's times in the
 * visitor's zone), the confirm step, the booked page and its calendar links; booking end to end with the
 * confirmation mail, two students racing for one slot, the same instants in Tokyo and Los Angeles across the
 * tutor's DST change, keyboard-only booking, no JavaScript, rescheduling, axe and console at 390 and 1280 px.
 */
let server: SharedAppServer
let browser: Browser
let payload: Payload
const TAG = `Booker${Date.now().toString(36)}`
const SCREENSHOTS = path.resolve('test-artifacts', 'screenshots')
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const
const LONDON = 'Europe/London'
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

// London mornings every day, 24 h cut-off: the DST tests read fixed dates in March 2027.
let ada: { id: string; slug: string; name: string }

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
  payload = await testPayload()
  const tutor = await createTutor(payload, {
    name: `Ada ${TAG}`,
    bio: 'Patient maths help for exams.',
    subjects: ['mathematics', 'physics'],
    hourlyRate: 35,
    timeZone: LONDON,
    sessionLengths: [60, 30],
    weeklyAvailability: WEEK.map((day) => ({ day, start: '09:00', end: '12:00' })),
    meetingLocation: 'https://meet.example.com/ada-private-room',
    policy: { minimumNoticeHours: 0, bookingHorizonDays: 365, cancellationCutoffHours: 24 },
  })
  ada = { id: String(tutor.id), slug: tutor.slug, name: tutor.name }
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

type Opened = { page: Page; context: BrowserContext; consoleErrors: string[]; close: () => Promise<void> }

async function openPage(options: BrowserContextOptions = {}, token?: string): Promise<Opened> {
  const context = await browser.newContext({ locale: 'en-US', ...options })
  if (token) await context.addCookies([{ name: 'payload-token', value: token, url: server.url }])
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    // Chromium logs every refused fetch; a 409 from the booking API is the answer the race test expects.
    if (message.type() === 'error' && !/status of 409/.test(message.text())) consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
  page.on('response', (response) => {
    // A refused booking (409) is an expected answer the page explains; anything else is an error.
    if (response.status() >= 400 && !(response.status() === 409 && response.url().includes('/api/appointments'))) consoleErrors.push(`${response.status()} ${response.url()}`)
  })
  return { page, context, consoleErrors, close: () => context.close() }
}

const spaces = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim()

/** The open starts the public availability API serves for [from, to). */
async function apiStarts(tutorId: string, from: number, to: number, duration: number): Promise<number[]> {
  const query = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), duration: String(duration) })
  const body = (await (await fetch(`${server.url}/api/tutors/${tutorId}/availability?${query}`)).json()) as { slots: { start: string }[] }
  return body.slots.map((slot) => Date.parse(slot.start))
}

/** A local day `days` from today in `zone`, 'YYYY-MM-DD'. */
const dayAhead = (days: number, zone: string): string => DateTime.now().setZone(zone).plus({ days }).toISODate()!

/** The starts of a local day as the API serves them. */
async function startsOnDay(tutorId: string, day: string, zone: string, duration: number): Promise<number[]> {
  const start = DateTime.fromISO(day, { zone }).startOf('day')
  return apiStarts(tutorId, start.toMillis(), start.plus({ days: 1 }).toMillis(), duration)
}

const shownTimes = async (page: Page) =>
  page.getByTestId('day-times').locator('a').evaluateAll((links) => links.map((link) => ({ start: Date.parse(link.getAttribute('data-start')!), text: (link.textContent ?? '').replace(/\s+/g, ' ').trim() })))

const clock = (instant: number, zone: string, locale = 'en-US'): string =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(instant).replace(/\s+/g, ' ')

const waitForZone = (page: Page, zone: string) =>
  page.waitForFunction((name) => document.querySelector('[data-testid=zone-note]')?.textContent?.includes(name), zone, { timeout: 15_000 })

async function appointmentsAt(tutorId: string, start: number) {
  return payload.find({
    collection: 'appointments',
    where: { and: [{ tutor: { equals: tutorId } }, { start: { equals: new Date(start).toISOString() } }, { status: { equals: 'booked' } }] },
    depth: 0,
    overrideAccess: true,
  })
}

/** Presses Tab until the focused element matches `selector` (keyboard-only navigation). */
async function tabTo(page: Page, selector: string, maxPresses = 120): Promise<void> {
  for (let press = 0; press < maxPresses; press++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return
  }
  throw new Error(`Tab never reached ${selector}`)
}

describe('the booker', () => {
  it('books end to end from the tutor page: the browser’s zone, confirm with the cancellation rule, the booked page, the confirmation mail', async () => {
    const student = await createStudent(payload, { timeZone: 'UTC', label: 'booker-e2e' })
    const { page, consoleErrors, close } = await openPage({ timezoneId: 'Asia/Tokyo' }, student.token)
    const day = dayAhead(3, 'Asia/Tokyo')
    await page.goto(`${server.url}/tutors/${ada.slug}?day=${day}`)
    // No zone known on the first request: the browser reports Asia/Tokyo and the page is drawn again in it.
    await waitForZone(page, 'Asia/Tokyo')
    await expect(page.getByTestId('zone-note').textContent()).resolves.toBe('Times are shown in your time zone, Asia/Tokyo.')
    // The picker shows the same zone (it once kept the zone of the first render).
    await expect(page.getByTestId('zone-select').inputValue()).resolves.toBe('Asia/Tokyo')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ada.name)
    const facts = spaces(await page.getByTestId('tutor-facts').textContent())
    expect(facts).toContain('Mathematics, Physics')
    expect(facts).toContain('$35 per hour')
    expect(facts).toContain('Online, by video link')
    // The private link itself is nowhere in the page.
    expect(await page.content()).not.toContain('ada-private-room')
    await expect(page.locator('[data-testid=lengths] a[aria-current=true]').textContent()).resolves.toBe('60 min')

    const times = await shownTimes(page)
    expect(times.map((time) => time.start)).toEqual(await startsOnDay(ada.id, day, 'Asia/Tokyo', 60))
    expect(times.map((time) => time.text)).toEqual(times.map((time) => clock(time.start, 'Asia/Tokyo')))
    const chosen = times[1]!
    await page.getByTestId('day-times').locator('a').nth(1).click()
    await page.waitForURL((url) => url.pathname === `/tutors/${ada.slug}/confirm`)

    const tokyoWhen = spaces(await page.getByTestId('when-student').textContent())
    expect(tokyoWhen).toContain(clock(chosen.start, 'Asia/Tokyo'))
    expect(tokyoWhen).toMatch(/\(your time, Asia\/Tokyo\)$/)
    const londonWhen = spaces(await page.getByTestId('when-tutor').textContent())
    expect(londonWhen).toContain(clock(chosen.start, LONDON))
    expect(londonWhen).toMatch(/\(tutor's time, Europe\/London\)$/)
    const deadline = chosen.start - 24 * 3_600_000
    await expect(page.getByTestId('cancellation-policy').textContent()).resolves.toBe(
      `Free cancellation until ${new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(deadline)} (Asia/Tokyo).`,
    )
    await page.screenshot({ path: path.join(SCREENSHOTS, 'booker-confirm-1280.png'), fullPage: true })

    await page.getByLabel('Note for the tutor (optional)').fill('Chapter 4, please')
    await page.getByRole('button', { name: 'Book this session' }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/booked/'))
    const appointmentId = new URL(page.url()).pathname.split('/')[2]!
    await expect(page.getByTestId('booked-title').textContent()).resolves.toBe('Your session is booked')
    const booked = spaces(await page.getByTestId('booked').textContent())
    expect(booked).toContain(`60-minute session with ${ada.name}`)
    expect(booked).toContain('(your time, Asia/Tokyo)')
    expect(booked).toContain("(tutor's time, Europe/London)")
    expect(booked).toContain('https://meet.example.com/ada-private-room')
    expect(booked).toContain('Chapter 4, please')
    await expect(page.getByTestId('manage-link').getAttribute('href')).resolves.toBe(`/bookings/${appointmentId}`)
    const google = new URL((await page.getByTestId('google-link').getAttribute('href'))!)
    const compact = (instant: number) => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
    expect(google.searchParams.get('dates')).toBe(`${compact(chosen.start)}/${compact(chosen.start + 3_600_000)}`)
    const outlook = new URL((await page.getByTestId('outlook-link').getAttribute('href'))!)
    expect(outlook.searchParams.get('startdt')).toBe(new Date(chosen.start).toISOString())
    // The .ics download, as the signed-in student's browser fetches it; refused to anyone else.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ics-link').click()])
    const icsText = (await readFile((await download.path())!, 'utf8')).replace(/\r\n /g, '')
    expect(icsText).toContain('BEGIN:VCALENDAR')
    expect(icsText).toContain(`DTSTART:${compact(chosen.start)}`)
    expect(icsText).toContain(`Tutoring session with ${ada.name}`)
    expect((await fetch(`${server.url}/booked/${appointmentId}/calendar.ics`)).status).toBe(401)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'booker-booked-1280.png'), fullPage: true })

    const stored = await appointmentsAt(ada.id, chosen.start)
    expect(stored.docs.map((doc) => [String(doc.id), String(doc.student), doc.notes])).toEqual([[appointmentId, student.id, 'Chapter 4, please']])
    const mail = await waitForEmail(student.email, (email) => email.subject.includes(ada.name))
    expect(mail.attachments?.some((file) => file.filename === 'invite.ics')).toBe(true)
    await close()
    expect(consoleErrors).toEqual([])
  })

  it('two students choose the same slot: one books, the other is told it went and offered the nearest times; one appointment is stored', async () => {
    const [first, second] = await Promise.all([createStudent(payload, { label: 'race-a' }), createStudent(payload, { label: 'race-b' })])
    const day = dayAhead(5, LONDON)
    const slot = (await startsOnDay(ada.id, day, LONDON, 60))[2]!
    const address = `${server.url}/tutors/${ada.slug}/confirm?start=${new Date(slot).toISOString()}&duration=60&tz=Europe/Paris`
    const a = await openPage({}, first.token)
    const b = await openPage({}, second.token)
    await Promise.all([a.page.goto(address), b.page.goto(address)])
    const bookA = a.page.getByRole('button', { name: 'Book this session' })
    const bookB = b.page.getByRole('button', { name: 'Book this session' })
    await expect(bookB.count()).resolves.toBe(1)
    await bookA.click()
    await a.page.waitForURL((url) => url.pathname.startsWith('/booked/'))
    await bookB.click()
    await b.page.getByTestId('slot-gone').waitFor()
    await expect(b.page.getByTestId('slot-gone').getByRole('heading').textContent()).resolves.toBe('That time was just booked — here are the nearest free ones:')
    const nearest = await b.page.getByTestId('nearest-times').locator('a').evaluateAll((links) => links.map((link) => Date.parse(link.getAttribute('data-start')!)))
    expect(nearest.length).toBeGreaterThan(0)
    expect(nearest).not.toContain(slot)
    const free = await apiStarts(ada.id, slot - 7 * 86_400_000, slot + 7 * 86_400_000, 60)
    for (const start of nearest) expect(free).toContain(start)
    expect(spaces(await b.page.getByTestId('nearest-times').textContent())).toContain('(Europe/Paris)')
    await expect(b.page.getByRole('button', { name: 'Book this session' }).count()).resolves.toBe(0)
    // Opening the confirm page again says the same on load.
    await b.page.goto(address)
    await b.page.getByTestId('slot-gone').waitFor()
    // One of the nearest times books.
    await b.page.getByTestId('nearest-times').locator('a').first().click()
    await b.page.getByRole('button', { name: 'Book this session' }).click()
    await b.page.waitForURL((url) => url.pathname.startsWith('/booked/'))

    const stored = await appointmentsAt(ada.id, slot)
    expect(stored.docs.map((doc) => String(doc.student))).toEqual([first.id])
    await a.close()
    await b.close()
    expect([...a.consoleErrors, ...b.consoleErrors]).toEqual([])
  })

  it('shows the same instants to a visitor in Tokyo and one in Los Angeles, each in their own zone, across the tutor’s DST change', async () => {
    // London moves to summer time on 28 March 2027: 09:00 London is 18:00 in Tokyo before, 17:00 after.
    const expectations: Record<string, Record<string, string>> = {
      'Asia/Tokyo': { '2027-03-27': '6:00 PM', '2027-03-29': '5:00 PM', '2027-10-30': '5:00 PM', '2027-11-01': '6:00 PM' },
      'America/Los_Angeles': { '2027-03-27': '2:00 AM', '2027-03-29': '1:00 AM', '2027-10-30': '1:00 AM', '2027-11-01': '2:00 AM' },
    }
    const seen: Record<string, number[]> = {}
    for (const [zone, days] of Object.entries(expectations)) {
      const { page, consoleErrors, close } = await openPage({ timezoneId: zone })
      await page.goto(`${server.url}/tutors/${ada.slug}?day=2027-03-27`)
      await waitForZone(page, zone)
      seen[zone] = []
      for (const [day, firstTime] of Object.entries(days)) {
        await page.goto(`${server.url}/tutors/${ada.slug}?day=${day}`)
        await expect(page.getByTestId('zone-note').textContent()).resolves.toBe(`Times are shown in your time zone, ${zone}.`)
        const times = await shownTimes(page)
        expect(times.map((time) => time.start)).toEqual(await startsOnDay(ada.id, day, zone, 60))
        expect(times[0]?.text).toBe(firstTime)
        expect(times.map((time) => time.text)).toEqual(times.map((time) => clock(time.start, zone)))
        seen[zone].push(...times.map((time) => time.start))
      }
      await page.screenshot({ path: path.join(SCREENSHOTS, `booker-dst-${zone.replace('/', '-')}.png`), fullPage: true })
      await close()
      expect(consoleErrors).toEqual([])
    }
    // The same London mornings, whoever looks.
    expect(seen['Asia/Tokyo']).toEqual(seen['America/Los_Angeles'])
    expect(seen['Asia/Tokyo']!.length).toBe(20)
  })

  it('writes times the way the visitor’s locale does (24-hour for en-GB) and lets the zone be changed with the picker', async () => {
    const { page, consoleErrors, close } = await openPage({ locale: 'en-GB', timezoneId: 'Asia/Tokyo', extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } })
    await page.goto(`${server.url}/tutors/${ada.slug}?day=2027-03-27&tz=Asia/Tokyo`)
    expect((await shownTimes(page))[0]?.text).toBe('18:00')
    await page.getByTestId('zone-select').selectOption('America/New_York')
    await page.getByRole('button', { name: 'Show times' }).click()
    await page.waitForURL((url) => url.searchParams.get('tz') === 'America/New_York')
    await expect(page.getByTestId('zone-note').textContent()).resolves.toBe('Times are shown in your time zone, America/New_York.')
    expect((await shownTimes(page))[0]?.text).toBe('05:00')
    // The choice is remembered for the next page without ?tz.
    await page.goto(`${server.url}/tutors/${ada.slug}?day=2027-03-27`)
    await expect(page.getByTestId('zone-note').textContent()).resolves.toBe('Times are shown in your time zone, America/New_York.')
    await close()
    expect(consoleErrors).toEqual([])
  })

  it('books with the keyboard only (Tab, Enter and arrow keys)', async () => {
    const student = await createStudent(payload, { label: 'keyboard' })
    const { page, consoleErrors, close } = await openPage({}, student.token)
    const day = DateTime.now().setZone('UTC').plus({ months: 1 }).set({ day: 15 }).toISODate()!
    const next = DateTime.fromISO(day).plus({ days: 1 }).toISODate()!
    await page.goto(`${server.url}/tutors/${ada.slug}?tz=UTC&duration=30&day=${day}`)
    await tabTo(page, '.rdp-root a.rdp-day_button')
    await expect(page.evaluate(() => document.activeElement?.getAttribute('href'))).resolves.toContain(`day=${day}`)
    await page.keyboard.press('ArrowRight')
    await expect(page.evaluate(() => document.activeElement?.getAttribute('href'))).resolves.toContain(`day=${next}`)
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.searchParams.get('day') === next)
    await page.getByTestId('day-heading').filter({ hasText: DateTime.fromISO(next).setLocale('en-US').toFormat('MMMM d') }).waitFor()
    await tabTo(page, '[data-testid=day-times] a')
    const start = Date.parse((await page.evaluate(() => document.activeElement?.getAttribute('data-start')))!)
    expect(DateTime.fromMillis(start, { zone: 'UTC' }).toISODate()).toBe(next)
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname.endsWith('/confirm'))
    await tabTo(page, 'textarea[name=notes]')
    await page.keyboard.type('Typed without a mouse')
    await tabTo(page, 'button[type=submit]')
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname.startsWith('/booked/'))
    const stored = await appointmentsAt(ada.id, start)
    expect(stored.docs.map((doc) => [String(doc.student), doc.notes])).toEqual([[student.id, 'Typed without a mouse']])
    await close()
    expect(consoleErrors).toEqual([])
  })

  it('shows real slots without JavaScript, and its day links and zone picker work', async () => {
    const { page, close } = await openPage({ javaScriptEnabled: false, timezoneId: 'Asia/Tokyo' })
    await page.goto(`${server.url}/tutors/${ada.slug}?day=2027-03-27`)
    // No JavaScript, no zone reported: the tutor's zone, named.
    await expect(page.getByTestId('zone-note').textContent()).resolves.toBe(
      "Times are shown in the tutor's time zone, Europe/London. Pick yours below to see them in your time.",
    )
    const times = await shownTimes(page)
    expect(times.map((time) => time.start)).toEqual(await startsOnDay(ada.id, '2027-03-27', LONDON, 60))
    expect(times[0]?.text).toBe('9:00 AM')
    await page.locator('.rdp-root a.rdp-day_button', { hasText: /^29$/ }).click()
    await page.waitForURL((url) => url.searchParams.get('day') === '2027-03-29')
    expect((await shownTimes(page)).map((time) => time.start)).toEqual(await startsOnDay(ada.id, '2027-03-29', LONDON, 60))
    await page.getByTestId('zone-select').selectOption('Asia/Tokyo')
    await page.getByRole('button', { name: 'Show times' }).click()
    await page.waitForURL((url) => url.searchParams.get('tz') === 'Asia/Tokyo')
    expect((await shownTimes(page))[0]?.text).toBe('5:00 PM')
    // A time is a plain link to the confirm step, which asks a visitor to sign in and come back.
    await page.getByTestId('day-times').locator('a').first().click()
    await page.waitForURL((url) => url.pathname.endsWith('/confirm'))
    const here = new URL(page.url())
    const next = `${here.pathname}${here.search}`
    await expect(page.getByTestId('login-link').getAttribute('href')).resolves.toBe(`/login?${new URLSearchParams({ next })}`)
    await expect(page.getByTestId('register-link').getAttribute('href')).resolves.toBe(`/register?${new URLSearchParams({ next })}`)
    await page.screenshot({ path: path.join(SCREENSHOTS, 'booker-nojs-confirm.png'), fullPage: true })
    await close()
  })

  it('moves a booking: the same booker in reschedule mode; the old time stays booked until the new one is confirmed', async () => {
    const student = await createStudent(payload, { label: 'reschedule', timeZone: 'America/New_York' })
    const day = dayAhead(9, LONDON)
    const [oldStart, , newStart] = await startsOnDay(ada.id, day, LONDON, 60)
    const created = await fetch(`${server.url}/api/appointments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `JWT ${student.token}` },
      body: JSON.stringify({ tutor: ada.id, start: new Date(oldStart!).toISOString(), duration: 60 }),
    })
    expect(created.status).toBe(201)
    const appointmentId = String(((await created.json()) as { doc: { id: string } }).doc.id)
    const { page, consoleErrors, close } = await openPage({ timezoneId: 'America/New_York' }, student.token)
    await page.goto(`${server.url}/tutors/${ada.slug}?reschedule=${appointmentId}&day=${DateTime.fromMillis(newStart!, { zone: 'America/New_York' }).toISODate()}&tz=America/New_York`)
    expect(spaces(await page.getByTestId('reschedule-note').textContent())).toContain('(America/New_York)')
    await page.locator(`[data-testid=day-times] a[data-start="${new Date(newStart!).toISOString()}"]`).click()
    await page.waitForURL((url) => url.pathname.endsWith('/confirm') && url.searchParams.get('reschedule') === appointmentId)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Confirm the new time')
    // Nothing moved yet.
    expect((await appointmentsAt(ada.id, oldStart!)).totalDocs).toBe(1)
    await page.getByRole('button', { name: 'Move my session to this time' }).click()
    await page.waitForURL((url) => url.pathname === `/booked/${appointmentId}`)
    expect(spaces(await page.getByTestId('when-student').textContent())).toContain(clock(newStart!, 'America/New_York'))
    expect((await appointmentsAt(ada.id, oldStart!)).totalDocs).toBe(0)
    expect((await appointmentsAt(ada.id, newStart!)).docs.map((doc) => String(doc.id))).toEqual([appointmentId])
    // The old time is free again.
    expect(await apiStarts(ada.id, oldStart!, oldStart! + 3_600_000, 60)).toContain(oldStart)
    await close()
    expect(consoleErrors).toEqual([])
  })

  it('shows the booked page only to the student who booked and to staff', async () => {
    const [owner, other] = await Promise.all([createStudent(payload, { label: 'owner' }), createStudent(payload, { label: 'other' })])
    const staff = await createStaff(payload, 'admin')
    const start = (await startsOnDay(ada.id, dayAhead(11, LONDON), LONDON, 30))[0]!
    const created = await fetch(`${server.url}/api/appointments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `JWT ${owner.token}` },
      body: JSON.stringify({ tutor: ada.id, start: new Date(start).toISOString(), duration: 30 }),
    })
    const id = String(((await created.json()) as { doc: { id: string } }).doc.id)
    const shown: Record<string, number> = {}
    for (const [who, token] of [['owner', owner.token], ['staff', staff.token], ['other', other.token], ['visitor', undefined]] as const) {
      const { page, close } = await openPage({}, token)
      await page.goto(`${server.url}/booked/${id}`)
      shown[who] = await page.getByTestId('booked').count()
      await close()
    }
    expect(shown).toEqual({ owner: 1, staff: 1, other: 0, visitor: 0 })
  })

  it.each(Object.entries(WIDTHS))('has no serious or critical axe finding and no console error at %s width', async (name, viewport) => {
    const student: TestStudent = await createStudent(payload, { label: `axe-${name}` })
    const staff = await createStaff(payload, 'admin')
    const day = dayAhead(13 + (name === 'phone' ? 0 : 1), LONDON)
    const [mine, taken, open] = await startsOnDay(ada.id, day, LONDON, 60)
    const book = async (start: number) =>
      fetch(`${server.url}/api/appointments`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `JWT ${student.token}` },
        body: JSON.stringify({ tutor: ada.id, start: new Date(start).toISOString(), duration: 30 }),
      }).then(async (response) => String(((await response.json()) as { doc: { id: string } }).doc.id))
    const bookedId = await book(mine!)
    await book(taken!)
    const confirm = (start: number) => `/tutors/${ada.slug}/confirm?start=${new Date(start).toISOString()}&duration=60&tz=Asia/Tokyo`
    const findings: Record<string, string[]> = {}
    // Each page as each role that can see it; the reschedule and "time went" states included.
    for (const [label, address, token] of [
      ['tutor-visitor', `/tutors/${ada.slug}`, undefined],
      ['tutor-reschedule', `/tutors/${ada.slug}?reschedule=${bookedId}&day=${day}&tz=Asia/Tokyo`, student.token],
      ['confirm-visitor', confirm(open!), undefined],
      ['confirm-student', confirm(open!), student.token],
      // 09:30 for an hour overlaps the student's own 09:30 session: no longer offered.
      ['confirm-gone', confirm(taken!), student.token],
      ['booked-student', `/booked/${bookedId}`, student.token],
      ['booked-staff', `/booked/${bookedId}`, staff.token],
      ['booked-visitor', `/booked/${bookedId}`, undefined],
      ['finder', '/', undefined],
    ] as const) {
      const { page, consoleErrors, close } = await openPage({ viewport, timezoneId: 'Asia/Tokyo' }, token)
      await page.goto(`${server.url}${address}`)
      // The first visit is drawn again once the browser has reported its zone.
      if (label === 'tutor-visitor') await waitForZone(page, 'Asia/Tokyo')
      findings[label] = [...(await seriousFindings(page)), ...consoleErrors]
      await page.screenshot({ path: path.join(SCREENSHOTS, `booker-${label}-${viewport.width}.png`), fullPage: true })
      findings[label].push(...(await page.evaluate(() => (document.documentElement.scrollWidth > window.innerWidth ? [`scrolls sideways: ${document.documentElement.scrollWidth}px`] : []))))
      await close()
    }
    expect(Object.entries(findings).filter(([, problems]) => problems.length > 0)).toEqual([])
  }, 600_000)
})
