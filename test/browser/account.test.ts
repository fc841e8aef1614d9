import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'

import { testPayload, uniqueEmail } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { seriousFindings } from '../helpers/axe'
import { launchChromium } from '../helpers/browser'
import { createTutor } from '../helpers/fixtures'
import { waitForEmail, type StoredEmail } from '../helpers/mailbox'

/**
 * The student's account pages on the production server, driven as a person would: register (zone and language
 * from the browser) → the verification mail → its link → sign in; the pending choice (`?next=`) carried through
 * the mail; sign in and out; forgot → reset; the profile (zone, language, password); Spanish by Accept-Language;
 * and every page at phone and desktop widths, signed in and out, with no console error and no serious or
 * critical axe-core finding.
 */
let server: SharedAppServer
let browser: Browser
let tutorSlug: string

const PASSWORD = 'correct horse battery staple'
const NEW_PASSWORD = 'a brand new passphrase 42'
const SCREENSHOTS = path.resolve('test-artifacts', 'screenshots')
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
  tutorSlug = (await createTutor(await testPayload(), { name: `Nadia Account${Date.now().toString(36)}` })).slug
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

type Opened = { page: Page; consoleErrors: string[]; close: () => Promise<void> }

async function openPage(options: BrowserContextOptions = {}, expectedStatuses: number[] = []): Promise<Opened> {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Lisbon', ...options })
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    // A refused form submission the test provokes on purpose is logged by Chromium as a failed resource load.
    if (message.type() === 'error' && !(expectedStatuses.length > 0 && /Failed to load resource/.test(message.text()))) consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400 && !expectedStatuses.includes(response.status())) consoleErrors.push(`${response.status()} ${response.url()}`)
  })
  return { page, consoleErrors, close: () => context.close() }
}

/** The one link of this kind in the plain-text part, starting at the server's own address. */
function linkIn(email: StoredEmail, pattern: RegExp): string {
  const links = [...new Set((email.body.text ?? '').match(new RegExp(pattern.source, 'g')) ?? [])]
  expect(links).toHaveLength(1)
  expect(links[0]!.startsWith(`${server.url}/`)).toBe(true)
  return links[0]!
}

async function createVerifiedStudent(label: string, data: Record<string, unknown> = {}): Promise<string> {
  const email = uniqueEmail(label)
  await (await testPayload()).create({
    collection: 'students',
    data: { email, password: PASSWORD, fullName: 'Sam Account', timeZone: 'UTC', _verified: true, ...data },
    disableVerificationEmail: true,
  })
  return email
}

async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click()
}

/** The header's navigation, in whichever language the page is. */
const header = (page: Page) => page.locator('header nav')
const studentByEmail = async (email: string) =>
  (await (await testPayload()).find({ collection: 'students', where: { email: { equals: email } }, limit: 1, overrideAccess: true })).docs[0]!

describe('the account pages', () => {
  it('register (zone from the browser, field errors in sentences) → mail → verify → sign in → My bookings in the header', async () => {
    const { page, consoleErrors, close } = await openPage({ timezoneId: 'Asia/Tokyo' }, [400])
    const email = uniqueEmail('account-register')
    await page.goto(`${server.url}/register`)
    // The browser's zone is filled in once the form is live (the server cannot know it).
    await page.waitForFunction(() => (document.getElementById('register-zone') as HTMLSelectElement | null)?.value === 'Asia/Tokyo')
    await expect(page.getByLabel('Language for the site and your emails').inputValue()).resolves.toBe('en')

    await page.getByLabel('Full name').fill('Rita Register')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Phone (optional)').fill('call me maybe')
    await page.getByRole('button', { name: 'Create my account' }).click()
    // Each refusal beside its own field, as a sentence (no field path), and the field marked invalid.
    const phone = page.getByLabel('Phone (optional)')
    await expect(page.locator('#register-phone-error').textContent()).resolves.toMatch(/^Enter a phone number of digits/)
    await expect(phone.getAttribute('aria-invalid')).resolves.toBe('true')
    await expect(page.locator('main [role=alert]').textContent()).resolves.toBe('Please correct the fields marked below.')
    expect(await page.locator('main').textContent()).not.toMatch(/following field|invalid: phone/)

    await phone.fill('+81 3 1234 5678')
    await page.getByLabel('Password', { exact: true }).fill('password1234')
    await page.getByRole('button', { name: 'Create my account' }).click()
    await expect(page.locator('#register-password-error').textContent()).resolves.toMatch(/^This password is on a list of common passwords/)
    await expect(page.locator('#register-phone-error').count()).resolves.toBe(0)

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create my account' }).click()
    await page.waitForURL(`${server.url}/check-email`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your email')
    const stored = await studentByEmail(email)
    expect([stored.timeZone, stored.language, stored.phone, stored._verified]).toEqual(['Asia/Tokyo', 'en', '+81 3 1234 5678', false])

    const verification = await waitForEmail(email, (mail) => /Confirm your email/.test(mail.subject))
    expect(verification.body.text).not.toContain('next=')
    const link = linkIn(verification, /https?:\/\/[^\s\]"]+\/verify\?token=[0-9a-f]{40}/)
    await page.goto(link)
    await page.getByRole('button', { name: 'Confirm my email' }).click()
    await expect(page.locator('main [role=status]').textContent()).resolves.toMatch(/Your email address is confirmed/)
    await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/login`)
    await signIn(page, email)
    await page.waitForURL(`${server.url}/`)
    await expect(header(page).getByRole('link', { name: 'My bookings' }).getAttribute('href')).resolves.toBe('/bookings')
    await expect(header(page).getByRole('link', { name: 'Account' }).count()).resolves.toBe(1)
    await expect(header(page).getByRole('link', { name: 'Sign in' }).count()).resolves.toBe(0)
    await close()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('a booking started signed out: register with ?next → the mail link carries it → verify → sign in → back on that page', async () => {
    const { page, consoleErrors, close } = await openPage()
    const email = uniqueEmail('account-next')
    const next = `/tutors/${tutorSlug}`
    await page.goto(`${server.url}/register?next=${encodeURIComponent(next)}`)
    await expect(page.getByText('Create an account to finish your booking.', { exact: false }).count()).resolves.toBe(1)
    // The sign-in link keeps the pending choice too.
    await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' }).getAttribute('href')).resolves.toBe(`/login?next=${encodeURIComponent(next)}`)
    await page.getByLabel('Full name').fill('Nico Next')
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Create my account' }).click()
    await page.waitForURL(`${server.url}/check-email`)

    const link = linkIn(await waitForEmail(email, (mail) => /Confirm your email/.test(mail.subject)), /https?:\/\/[^\s\]"]+\/verify\?token=[0-9a-f]{40}&next=[^\s\]"]+/)
    expect(new URL(link).searchParams.get('next')).toBe(next)
    await page.goto(link)
    await page.getByRole('button', { name: 'Confirm my email' }).click()
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === next)
    await expect(page.locator('main [role=status]').textContent()).resolves.toMatch(/Your email address is confirmed. Sign in to continue/)
    await signIn(page, email)
    await page.waitForURL(`${server.url}${next}`)
    await expect(header(page).getByRole('link', { name: 'My bookings' }).count()).resolves.toBe(1)
    await close()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('refuses a `next` that leaves the site: the API says why, the pages drop it', async () => {
    const refused = await fetch(`${server.url}/api/students?next=${encodeURIComponent('//evil.example/x')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail('account-evil'), password: PASSWORD, fullName: 'Eve Evil', timeZone: 'UTC' }),
    })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/must be a page of this site/)

    const { page, consoleErrors, close } = await openPage()
    const email = await createVerifiedStudent('account-evil-login')
    await page.goto(`${server.url}/login?next=${encodeURIComponent('https://evil.example/')}`)
    await signIn(page, email)
    await page.waitForURL(`${server.url}/`)
    await close()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('sign in (the profile language becomes the site’s), sign out; /account asks a signed-out visitor to sign in first', async () => {
    const { page, consoleErrors, close } = await openPage({}, [401])
    const email = await createVerifiedStudent('account-login', { language: 'es' })
    await page.goto(`${server.url}/account`)
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/account')
    await signIn(page, email, 'not my password at all')
    await expect(page.locator('main [role=alert]').textContent()).resolves.toMatch(/\S/)
    await signIn(page, email)
    await page.waitForURL(`${server.url}/account`)
    // The student's language (es) now drives the site.
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Tu cuenta')
    expect((await page.context().cookies()).find((cookie) => cookie.name === 'tt-lang')?.value).toBe('es')

    await header(page).getByRole('button', { name: 'Cerrar sesión' }).click()
    await page.waitForURL(`${server.url}/`)
    await expect(header(page).getByRole('link', { name: 'Iniciar sesión' }).count()).resolves.toBe(1)
    await expect(header(page).getByRole('link', { name: 'Mis reservas' }).count()).resolves.toBe(0)
    await page.goto(`${server.url}/account`)
    await page.waitForURL((url) => url.pathname === '/login')
    await close()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('forgot password → the mail → the reset link → sign in with the new password', async () => {
    const { page, consoleErrors, close } = await openPage({}, [401])
    const email = await createVerifiedStudent('account-forgot')
    await page.goto(`${server.url}/login`)
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.waitForURL(`${server.url}/forgot-password`)
    await page.getByLabel('Email', { exact: true }).fill(email)
    await page.getByRole('button', { name: 'Send me a link' }).click()
    await expect(page.locator('main [role=status]').textContent()).resolves.toMatch(/If an account uses that address/)

    const link = linkIn(await waitForEmail(email, (mail) => /Reset your/.test(mail.subject)), /https?:\/\/[^\s\]"]+\/reset-password\?token=[0-9a-f]{40}/)
    await page.goto(link)
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Repeat it').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Save my new password' }).click()
    // Payload's reset signs the student in; the page's way on is their account.
    await page.getByRole('link', { name: 'Go to your account' }).click()
    await page.waitForURL(`${server.url}/account`)
    await header(page).getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${server.url}/`)
    await header(page).getByRole('link', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/login`)
    await signIn(page, email, PASSWORD)
    await expect(page.locator('main [role=alert]').textContent()).resolves.toMatch(/\S/)
    await signIn(page, email, NEW_PASSWORD)
    await page.waitForURL(`${server.url}/`)
    await expect(header(page).getByRole('link', { name: 'My bookings' }).count()).resolves.toBe(1)
    await close()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('the profile: zone and language (the site turns Spanish), and a password change that checks the current one', async () => {
    const { page, consoleErrors, close } = await openPage({}, [400])
    const email = await createVerifiedStudent('account-profile', { timeZone: 'Europe/London', language: 'en' })
    await page.goto(`${server.url}/login?next=/account`)
    await signIn(page, email)
    await page.waitForURL(`${server.url}/account`)
    await expect(page.getByLabel('Time zone').inputValue()).resolves.toBe('Europe/London')

    await page.getByLabel('Full name').fill('Sam Profiled')
    await page.getByLabel('Time zone').selectOption('America/Los_Angeles')
    await page.getByRole('button', { name: 'Save profile' }).click()
    await expect(page.locator('main [role=status]').textContent()).resolves.toBe('Your profile is saved.')
    let stored = await studentByEmail(email)
    expect([stored.fullName, stored.timeZone]).toEqual(['Sam Profiled', 'America/Los_Angeles'])

    // Password: the current one is checked, then the policy, each beside its field.
    await page.getByLabel('Current password').fill('not my password at all')
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect(page.locator('#password-current-error').textContent()).resolves.toMatch(/current password is not the one you typed/)
    await page.getByLabel('Current password').fill(PASSWORD)
    await page.getByLabel('New password', { exact: true }).fill('password1234')
    await page.getByLabel('Repeat the new password').fill('password1234')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect(page.locator('#password-new-error').textContent()).resolves.toMatch(/^This password is on a list of common passwords/)
    await page.getByLabel('Current password').fill(PASSWORD)
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor()
    const login = async (password: string) =>
      (await fetch(`${server.url}/api/students/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) })).status
    await expect(login(PASSWORD)).resolves.toBe(401)
    await expect(login(NEW_PASSWORD)).resolves.toBe(200)

    // Language last: the page reloads in it.
    await page.getByLabel('Language for the site and your emails').selectOption('es')
    await page.getByRole('button', { name: 'Save profile' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tu cuenta' }).waitFor()
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es')
    await expect(header(page).getByRole('link', { name: 'Mis reservas' }).count()).resolves.toBe(1)
    stored = await studentByEmail(email)
    expect(stored.language).toBe('es')
    await close()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('a browser asking for Spanish gets the register and sign-in pages in Spanish; the header switch changes it', async () => {
    const { page, consoleErrors, close } = await openPage({ locale: 'es-ES', extraHTTPHeaders: { 'Accept-Language': 'es-ES,es;q=0.9' } })
    await page.goto(`${server.url}/register`)
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Crea tu cuenta')
    await expect(page.getByLabel('Idioma del sitio y de tus correos').inputValue()).resolves.toBe('es')
    await expect(page.getByRole('button', { name: 'Crear mi cuenta' }).count()).resolves.toBe(1)
    await page.goto(`${server.url}/login`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Iniciar sesión')
    await expect(page.getByRole('link', { name: '¿Has olvidado tu contraseña?' }).count()).resolves.toBe(1)
    await header(page).getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en')
    await close()
    expect(consoleErrors).toEqual([])
  }, 240_000)

  it('every account page, signed out and in, at 390 and 1280 px: no console error, no serious or critical axe finding', async () => {
    const email = await createVerifiedStudent('account-axe')
    const token = 'a'.repeat(40)
    const signedOut = ['/register', '/register?next=%2Faccount', '/login', '/check-email', '/forgot-password', `/verify?token=${token}`, '/verify', `/reset-password?token=${token}`, '/']
    const signedIn = ['/account', `/verify?token=${token}`, '/check-email', '/forgot-password', `/reset-password?token=${token}`, '/']
    const findings: Record<string, string[]> = {}
    for (const [widthName, viewport] of Object.entries(WIDTHS)) {
      const { page, consoleErrors, close } = await openPage({ viewport })
      const visit = async (state: string, pathName: string) => {
        await page.goto(`${server.url}${pathName}`)
        await page.waitForLoadState('networkidle')
        const found = await seriousFindings(page)
        if (found.length > 0) findings[`${state} ${widthName} ${pathName}`] = found
        const name = `account-${state}-${pathName.replace(/\?.*$/, '').replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'home'}-${widthName}.png`
        await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true })
      }
      for (const pathName of signedOut) await visit('signed-out', pathName)
      await page.goto(`${server.url}/login`)
      await signIn(page, email)
      await page.waitForURL(`${server.url}/`)
      for (const pathName of signedIn) await visit('signed-in', pathName)
      await close()
      expect(consoleErrors).toEqual([])
    }
    expect(findings).toEqual({})
  }, 600_000)
})
