import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'

import { testPayload, uniqueEmail } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { launchChromium } from '../helpers/browser'
import { createTutor, futureUtc } from '../helpers/fixtures'
import { waitForEmail, type StoredEmail } from '../helpers/mailbox'

/**
 * The links in TutorTrack's emails, followed in a real browser against the production server: the app builds
 * them from its SERVER_URL, so the server here is started with its own address as SERVER_URL.
 */
let server: SharedAppServer
let browser: Browser

const PASSWORD = 'correct horse battery staple'
const NEW_PASSWORD = 'a brand new passphrase 42'

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `JWT ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.json().catch(() => undefined) }
}

/** The one link of this kind in the plain-text part, which must start at the server's own address. */
function linkIn(email: StoredEmail, pattern: RegExp): string {
  const links = (email.body.text ?? '').match(new RegExp(pattern.source, 'g')) ?? []
  expect(new Set(links).size).toBe(1)
  const [link] = links as [string]
  expect(link.startsWith(`${server.url}/`)).toBe(true)
  return link
}

describe('email links in a browser', () => {
  it('the verification link confirms the address once; the student can then sign in', async () => {
    const email = uniqueEmail('browser-verify')
    expect((await post('/api/students', { email, password: PASSWORD, fullName: 'Vera Browser', timeZone: 'Asia/Tokyo' })).status).toBe(201)
    expect((await post('/api/students/login', { email, password: PASSWORD })).status).toBe(403)

    const link = linkIn(await waitForEmail(email, (mail) => /Confirm your email/.test(mail.subject)), /https?:\/\/[^\s\]"]+\/verify\?token=[0-9a-f]{40}/)
    const page = await browser.newPage()
    await page.goto(link)
    await page.getByRole('button', { name: 'Confirm my email' }).click()
    await expect(page.locator('main [role=status]').textContent()).resolves.toMatch(/Your email address is confirmed/)
    expect((await post('/api/students/login', { email, password: PASSWORD })).status).toBe(200)

    // The link works once: a second visit gets the server's reason, shown to the person.
    await page.goto(link)
    await page.getByRole('button', { name: 'Confirm my email' }).click()
    await expect(page.locator('main [role=alert]').textContent()).resolves.toMatch(/invalid or has expired/)
    await page.goto(`${server.url}/verify`)
    await expect(page.locator('main [role=alert]').textContent()).resolves.toMatch(/link is incomplete/)
    await page.close()
  })

  it('the reset link sets a new password: the form explains refusals, the old password stops working', async () => {
    const payload = await testPayload()
    const email = uniqueEmail('browser-reset')
    await payload.create({ collection: 'students', data: { email, password: PASSWORD, fullName: 'Ray Browser', timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
    expect((await post('/api/students/forgot-password', { email })).status).toBe(200)
    const link = linkIn(await waitForEmail(email, (mail) => /Reset your/.test(mail.subject)), /https?:\/\/[^\s\]"]+\/reset-password\?token=[0-9a-f]{40}/)

    const page = await browser.newPage()
    await page.goto(link)
    const password = page.getByLabel('New password')
    const repeat = page.getByLabel('Repeat it')
    const save = page.getByRole('button', { name: 'Save my new password' })
    await password.fill(NEW_PASSWORD)
    await repeat.fill('something else entirely 7')
    await save.click()
    await expect(page.locator('main [role=alert]').textContent()).resolves.toMatch(/not the same/)
    // The server's password policy, in its own words.
    await password.fill('password')
    await repeat.fill('password')
    await save.click()
    await expect(page.locator('main [role=alert]').textContent()).resolves.toMatch(/Use at least \d+ characters \(this one has 8\)/)
    expect((await post('/api/students/login', { email, password: PASSWORD })).status).toBe(200)

    await password.fill(NEW_PASSWORD)
    await repeat.fill(NEW_PASSWORD)
    await save.click()
    await expect(page.locator('main [role=status]').textContent()).resolves.toMatch(/Your password is changed/)
    // Payload's reset also signs the student in: the link goes on to their account, which must exist.
    await page.getByRole('link', { name: 'Go to your account' }).click()
    await page.waitForURL(`${server.url}/account`)
    expect((await post('/api/students/login', { email, password: PASSWORD })).status).toBe(401)
    expect((await post('/api/students/login', { email, password: NEW_PASSWORD })).status).toBe(200)
    await page.close()
  })

  it('the “account exists” mail links to the sign-in and forgot-password pages, which exist and keep the pending choice', async () => {
    const payload = await testPayload()
    const email = uniqueEmail('browser-exists')
    await payload.create({ collection: 'students', data: { email, password: PASSWORD, fullName: 'Axel Exists', timeZone: 'UTC', _verified: true }, disableVerificationEmail: true })
    expect((await post(`/api/students?next=${encodeURIComponent('/account')}`, { email, password: NEW_PASSWORD, fullName: 'Axel Again', timeZone: 'UTC' })).status).toBe(201)
    const mail = await waitForEmail(email, (message) => /already have a TutorTrack account/.test(message.subject))
    const login = linkIn(mail, /https?:\/\/[^\s\]"]+\/login(?:\?next=[^\s\]"]+)?/)
    expect(login).toBe(`${server.url}/login?next=${encodeURIComponent('/account')}`)
    const forgot = linkIn(mail, /https?:\/\/[^\s\]"]+\/forgot-password/)

    const page = await browser.newPage()
    const forgotPage = await page.goto(forgot)
    expect(forgotPage?.status()).toBe(200)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Forgot your password?')
    const loginPage = await page.goto(login)
    expect(loginPage?.status()).toBe(200)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/account`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your account')
    await page.close()
  })

  it('the pages the account mails and pages link to answer 200 (not 404)', async () => {
    const page = await browser.newPage()
    for (const pathName of ['/login', '/register', '/forgot-password', '/check-email', '/']) {
      expect((await page.goto(`${server.url}${pathName}`))?.status()).toBe(200)
    }
    await page.close()
  })

  it('the manage link shows the booking after sign-in, in the student’s zone, and cancels it', async () => {
    const payload = await testPayload()
    const tutor = await createTutor(payload, { name: 'Ada Browser' })
    const email = uniqueEmail('browser-manage')
    await payload.create({ collection: 'students', data: { email, password: PASSWORD, fullName: 'Manny Browser', timeZone: 'America/New_York', _verified: true }, disableVerificationEmail: true })
    const token = (await post('/api/students/login', { email, password: PASSWORD })).body.token as string
    const start = futureUtc(6, 15)
    const booked = await post('/api/appointments', { tutor: tutor.id, start, duration: 60 }, token)
    expect(booked.status).toBe(201)
    const appointmentId = String(booked.body.doc.id)

    const confirmation = await waitForEmail(email, (mail) => /^Booked:/.test(mail.subject))
    const link = linkIn(confirmation, /https?:\/\/[^\s\]"]+\/bookings\/[0-9a-f]{24}/)
    expect(link).toBe(`${server.url}/bookings/${appointmentId}`)

    const page = await browser.newPage()
    await page.goto(link)
    await expect(page.locator('[data-testid=booking]').count()).resolves.toBe(0)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill('not my password at all')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.locator('main [role=alert]').textContent()).resolves.toMatch(/\S/)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()

    const details = page.locator('[data-testid=booking]')
    await details.waitFor()
    const text = await details.textContent()
    expect(text).toContain('Ada Browser')
    // 15:00–16:00 UTC shown in New York time (10:00 or 11:00 depending on DST), with the zone named.
    const newYorkHour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' }).format(new Date(start)))
    const hh = (hour: number) => String(hour).padStart(2, '0')
    expect(text).toContain(`${hh(newYorkHour)}:00–${hh(newYorkHour + 1)}:00 (America/New_York)`)
    await expect(page.getByText('Times are shown in America/New_York.').count()).resolves.toBe(1)

    await page.getByLabel('Reason (optional)').fill('Exam moved')
    await page.getByRole('button', { name: 'Cancel this session' }).click()
    await page.getByTestId('booking-status').filter({ hasText: 'Cancelled' }).waitFor()
    const stored = await payload.findByID({ collection: 'appointments', id: appointmentId, depth: 0 })
    expect(stored.status).toBe('cancelled')
    expect(stored.cancellation?.reason).toBe('Exam moved')
    await page.close()
  })
})
