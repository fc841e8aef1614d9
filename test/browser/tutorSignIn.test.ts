import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser, Page } from 'playwright-core'
import type { Payload } from 'payload'

import { testPayload, uniqueEmail } from '../helpers/api'
import { consoleErrorsOf, signInByApi, signInToAdmin } from '../helpers/adminPage'
import { seriousFindingsBeyondPayload } from '../helpers/payloadAxe'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { launchChromium } from '../helpers/browser'
import { createStudent, createTutor, futureUtc, TEST_PASSWORD } from '../helpers/fixtures'
import { formatLocalRange } from '../../src/scheduling/format'
import { waitForEmail } from '../helpers/mailbox'

/**
 * A tutor in the admin panel (production build): they sign in, see their dashboard and their own session, their
 * profile and account, and cannot open another tutor's session (the UI says so, REST refuses). An admin invites a
 * tutor from the tutor's profile; the mail's link sets a password and the tutor signs in. At phone and desktop
 * widths: no console error, no serious or critical axe finding beyond Payload's own (test/helpers/payloadAxe.ts).
 */
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const
const NEW_PASSWORD = 'my own tutor password 7'

let server: SharedAppServer
let browser: Browser
let payload: Payload
let adminEmail: string
let tutorEmail: string
let ownTutor: { id: string; name: string }
let ownSession: string
let ownStart: number
let otherSession: string

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
  payload = await testPayload()
  adminEmail = uniqueEmail('tutorsignin-admin')
  await payload.create({ collection: 'users', data: { email: adminEmail, password: TEST_PASSWORD, name: 'Signin Admin', role: 'admin' } })
  const mark = Date.now().toString(36)
  const mine = await createTutor(payload, { name: `Tara Own ${mark}` })
  const theirs = await createTutor(payload, { name: `Otto Other ${mark}` })
  ownTutor = { id: String(mine.id), name: mine.name }
  tutorEmail = uniqueEmail('tutorsignin-tutor')
  await payload.create({ collection: 'users', data: { email: tutorEmail, password: TEST_PASSWORD, name: mine.name, role: 'tutor', tutor: mine.id } })
  const student = await createStudent(payload, { label: 'tutorsignin', timeZone: 'Europe/Berlin' })
  const book = async (tutor: string, days: number) => {
    const start = futureUtc(days, 10)
    const doc = await payload.create({ collection: 'appointments', data: { tutor, student: student.id, start, end: new Date(Date.parse(start) + 3_600_000).toISOString() } })
    return String(doc.id)
  }
  ownSession = await book(String(mine.id), 5)
  ownStart = Date.parse(futureUtc(5, 10))
  otherSession = await book(String(theirs.id), 6)
}, 600_000)

afterAll(async () => {
  await browser?.close()
})

/** Admin pages of a production build on a shared, loaded machine: allow each step a minute. */
const TEST_TIMEOUT_MS = 420_000

async function pageAt(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  page.setDefaultNavigationTimeout(90_000)
  return { page, errors: consoleErrorsOf(page), close: () => context.close() }
}

describe.each(Object.entries(WIDTHS))('a tutor signed in to the admin panel (%s width)', (_name, viewport) => {
  it('sees their dashboard, their own session (not another tutor’s), their profile and account', async () => {
    const { page, errors, close } = await pageAt(viewport)
    const accessibility: Record<string, string[]> = {}
    try {
      await signInToAdmin(page, server.url, tutorEmail, TEST_PASSWORD)
      // Dashboard: their tutor profile and sessions; nothing of students, staff or the outbox.
      const cards = page.locator('.collections__card-list li')
      await cards.first().waitFor()
      const cardText = (await cards.allTextContents()).join(' | ')
      for (const label of ['Tutors', 'Appointments']) expect({ label, shown: cardText.includes(label) }).toEqual({ label, shown: true })
      for (const label of ['Students', 'Emails', 'Staff users']) expect({ label, shown: cardText.includes(label) }).toEqual({ label, shown: false })
      // Their session in the dashboard's week, named by the student (whom a tutor may not read: the session's own name).
      const ownRow = page.locator(`tr[data-session-id="${ownSession}"]`)
      await ownRow.waitFor()
      await expect(ownRow.locator('td').nth(2).textContent()).resolves.toBe('Test Student')
      accessibility.dashboard = await seriousFindingsBeyondPayload(page)

      // Appointments list: their own session, and not the other tutor's.
      await page.goto(`${server.url}/admin/collections/appointments`)
      await page.locator('table tbody tr').first().waitFor()
      const rows = await page.locator('table tbody tr').allTextContents()
      expect(rows.some((text) => text.includes(ownTutor.name))).toBe(true)
      expect(rows.some((text) => text.includes('Otto Other'))).toBe(false)
      accessibility.list = await seriousFindingsBeyondPayload(page)

      // Their session: who booked it (name and zone), without the student record.
      await page.goto(`${server.url}/admin/collections/appointments/${ownSession}`)
      const studentName = page.locator('#field-studentName')
      await studentName.waitFor()
      await expect(studentName.inputValue()).resolves.toBe('Test Student')
      await expect(page.locator('#field-studentTimeZone').inputValue()).resolves.toBe('Europe/Berlin')
      // Beside the pickers, the session in the student's zone too (from the session, not the students collection).
      await page.waitForFunction(() => document.querySelector('[data-zone=student]')?.textContent?.includes('Europe/Berlin'))
      await expect(page.locator('[data-zone=student]').textContent()).resolves.toBe(formatLocalRange(ownStart, ownStart + 3_600_000, 'Europe/Berlin', "student's time, Europe/Berlin"))
      accessibility.session = await seriousFindingsBeyondPayload(page)

      // Another tutor's session: the panel has nothing to show, and the API refuses.
      // Payload answers a document the viewer may not read as not found: back to the list, marked `?notFound=<id>`.
      await page.goto(`${server.url}/admin/collections/appointments/${otherSession}`)
      await page.waitForURL((url) => url.pathname === '/admin/collections/appointments' && url.searchParams.get('notFound') === otherSession)
      await page.locator('table tbody tr').first().waitFor()
      expect((await page.locator('table tbody tr').allTextContents()).some((text) => text.includes('Otto Other'))).toBe(false)
      await expect(page.locator('#field-notes').count()).resolves.toBe(0)
      const refused = await page.request.get(`${server.url}/api/appointments/${otherSession}`)
      expect([403, 404]).toContain(refused.status())
      expect(await refused.text()).not.toContain('Otto Other')

      // Their profile: the form, private contact address included.
      await page.goto(`${server.url}/admin/collections/tutors/${ownTutor.id}`)
      await page.locator('#field-name').waitFor()
      await expect(page.locator('#field-name').inputValue()).resolves.toBe(ownTutor.name)
      await expect(page.locator('#field-contactEmail').count()).resolves.toBe(1)
      accessibility.profile = await seriousFindingsBeyondPayload(page)

      await page.goto(`${server.url}/admin/account`)
      await page.locator('#field-email').waitFor()
      await expect(page.locator('#field-email').inputValue()).resolves.toBe(tutorEmail)
      accessibility.account = await seriousFindingsBeyondPayload(page)
    } catch (error) {
      throw new Error(`${(error as Error).message}\nAt: ${page.url()}\nConsole: ${JSON.stringify(errors)}\nServer output (end):\n${server.output().slice(-3000)}`)
    } finally {
      await close()
    }
    // Not-found pages log nothing either: the refusal is the page, not an error.
    expect({ errors, accessibility }).toEqual({ errors: [], accessibility: { dashboard: [], list: [], session: [], profile: [], account: [] } })
  }, TEST_TIMEOUT_MS)
})

describe('an admin invites a tutor', () => {
  it.each(Object.entries(WIDTHS))('from the tutor profile: the mail’s link sets a password and the tutor signs in (%s width)', async (_name, viewport) => {
    const invited = await createTutor(payload, { name: `Ivo Invited ${Date.now().toString(36)}` })
    const admin = await pageAt(viewport)
    const tutor = await pageAt(viewport)
    const accessibility: Record<string, string[]> = {}
    try {
      await signInByApi(admin.page.context(), server.url, adminEmail, TEST_PASSWORD)
      await admin.page.goto(`${server.url}/admin/collections/tutors/${invited.id}`)
      const button = admin.page.getByRole('button', { name: 'Invite to sign in' })
      await button.waitFor()
      accessibility.profile = await seriousFindingsBeyondPayload(admin.page)
      await button.click()
      await admin.page.locator('.invite-tutor__outcome').filter({ hasText: /Invitation sent to/ }).waitFor()

      const mail = await waitForEmail(invited.contactEmail, (email) => /invited/i.test(email.subject))
      const link = /https?:\/\/\S+\/admin\/reset\/[^\s\]"]+/.exec(mail.body.text ?? '')?.[0] ?? ''
      expect(link.startsWith(`${server.url}/admin/reset/`)).toBe(true)

      await tutor.page.goto(link)
      await tutor.page.locator('#field-password').waitFor()
      accessibility.reset = await seriousFindingsBeyondPayload(tutor.page)
      await tutor.page.locator('#field-password').fill(NEW_PASSWORD)
      await tutor.page.locator('#field-confirm-password').fill(NEW_PASSWORD)
      await tutor.page.locator('form button[type=submit]').click()
      // The reset signs them in and opens the dashboard.
      await tutor.page.waitForURL((url) => url.pathname === '/admin')
      await tutor.page.locator('.collections__card-list li').first().waitFor()
      // And the new password is theirs from now on.
      const signedOut = await browser.newContext({ viewport })
      const again = await signedOut.newPage()
      await signInToAdmin(again, server.url, invited.contactEmail, NEW_PASSWORD)
      await signedOut.close()
    } catch (error) {
      throw new Error(`${(error as Error).message}\nAt: ${admin.page.url()} / ${tutor.page.url()}\nConsole: ${JSON.stringify([...admin.errors, ...tutor.errors])}\nServer output (end):\n${server.output().slice(-3000)}`)
    } finally {
      await admin.close()
      await tutor.close()
    }
    expect({ errors: [...admin.errors, ...tutor.errors], accessibility }).toEqual({ errors: [], accessibility: { profile: [], reset: [] } })
  }, TEST_TIMEOUT_MS)
})
