import type { Page } from 'playwright-core'

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
