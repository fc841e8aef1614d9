import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

/**
 * Checks shared by browser tests of the admin panel. PAYLOAD_UI_FINDINGS is the list from
 * test/browser/adminPanel.test.ts (Payload 3.90.1's own components; see there for why each is tolerated): kept in
 * step with it, so a finding outside it fails here too.
 */
export const PAYLOAD_UI_FINDINGS = [
  { rule: 'label', markup: /^<input [^>]*id="react-select-/ },
  { rule: 'aria-hidden-focus', markup: /^<(button|div) class="(dropdown|clear)-indicator" aria-hidden="true"/ },
  { rule: 'label', markup: /^<input aria-label="" id="[^"]+" type="checkbox">$/ },
  { rule: 'label-title-only', markup: /^<input aria-label="" aria-labelledby="select-all" id="select-all"/ },
  { rule: 'button-name', markup: /^<button class="popup-button[ "]/ },
  { rule: 'aria-command-name', markup: /^<div class="collapsible__drag" role="button"/ },
  { rule: 'nested-interactive', markup: /^<div class="multi-value draggable rs__multi-value[^"]*" role="button"/ },
  { rule: 'list', markup: /^<ul class="doc-tabs__tabs">/ },
] as const

/** axe-core's serious and critical findings outside PAYLOAD_UI_FINDINGS, each naming its rule and element. */
export async function seriousAccessibilityFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  const findings: string[] = []
  for (const violation of results.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue
    for (const node of violation.nodes) {
      if (PAYLOAD_UI_FINDINGS.some((entry) => entry.rule === violation.id && entry.markup.test(node.html))) continue
      findings.push(`${violation.id} (${violation.impact}): ${violation.help} — ${node.target.join(' ')}: ${node.html}`)
    }
  }
  return findings
}

/** Console errors and uncaught exceptions of a page, as a person would see something broken. */
export function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`)
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
