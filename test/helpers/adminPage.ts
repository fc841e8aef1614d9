import type { BrowserContext, Page } from 'playwright-core'

/** Checks shared by browser tests of the admin panel (axe: test/helpers/payloadAxe.ts). */

/** Console errors and uncaught exceptions of a page, as a person would see something broken. */
export function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    // A failed load ("Failed to load resource: … 404") names its resource only in the message's location.
    const resource = /Failed to load resource/.test(message.text()) ? ` (${message.location().url})` : ''
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}${resource}`)
  })
  page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.message}`))
  return errors
}

/** Signs in through the admin panel's own login form and waits for the dashboard. */
export async function signInToAdmin(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin`)
  await page.waitForURL(/\/admin\/login/)
  await page.locator('#field-email').fill(email)
  await page.locator('#field-password').fill(password)
  await page.locator('form button[type=submit]').click()
  await page.waitForURL((url) => url.pathname === '/admin')
}

/**
 * Signs a browser context in as staff through Payload's REST login, which sets the same HttpOnly cookie its form does.
 * For tests about a view, not about signing in (adminPanel and tutorSignIn sign in through the form): the login page
 * and the dashboard it lands on are two of the heaviest page loads of the suite, and the view is opened next anyway.
 */
export async function signInByApi(context: BrowserContext, baseUrl: string, email: string, password: string): Promise<void> {
  const response = await context.request.post(`${baseUrl}/api/users/login`, { data: { email, password } })
  if (!response.ok()) throw new Error(`signing in as ${email} answered ${response.status()}: ${await response.text()}`)
  const cookies = await context.cookies(baseUrl)
  if (!cookies.some((cookie) => cookie.name === 'payload-token')) throw new Error(`signing in as ${email} set no payload-token cookie for ${baseUrl}`)
}
