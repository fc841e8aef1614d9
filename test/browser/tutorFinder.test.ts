import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'

import { testPayload } from '../helpers/api'
import { sharedAppServer, type SharedAppServer } from '../helpers/appServer'
import { seriousFindings } from '../helpers/axe'
import { launchChromium } from '../helpers/browser'
import { createTutor } from '../helpers/fixtures'

/**
 * The tutor finder (`/`) on the production server: cards with the next free slot from the availability API,
 * search and subject filter, the empty state's way back, Spanish by Accept-Language, no console error, and no
 * serious or critical axe-core finding at phone (390 px) and desktop (1280 px) widths.
 */
let server: SharedAppServer
let browser: Browser
// Unique per run: the database is shared with the other test files, whose tutors are listed too.
const TAG = `Finder${Date.now().toString(36)}`
const tutors: Record<'zelda' | 'yusuf', { id: string; slug: string; name: string }> = {} as never

/** Screenshots of each page at each width, for people to look at (git-ignored). */
const SCREENSHOTS = path.resolve('test-artifacts', 'screenshots')
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const

beforeAll(async () => {
  server = sharedAppServer()
  browser = await launchChromium()
  const payload = await testPayload()
  const zelda = await createTutor(payload, { name: `Zelda ${TAG}`, subjects: ['music', 'english'], timeZone: 'Europe/Madrid', hourlyRate: 40 })
  const yusuf = await createTutor(payload, { name: `Yusuf ${TAG}`, subjects: ['physics'], timeZone: 'Asia/Tokyo' })
  await createTutor(payload, { name: `Xavier ${TAG}`, subjects: ['music'], active: false })
  tutors.zelda = { id: String(zelda.id), slug: zelda.slug, name: zelda.name }
  tutors.yusuf = { id: String(yusuf.id), slug: yusuf.slug, name: yusuf.name }
}, 300_000)

afterAll(async () => {
  await browser?.close()
})

async function openPage(options: BrowserContextOptions = {}): Promise<{ page: Page; consoleErrors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext(options)
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`))
  // Names what a "Failed to load resource" console error was about.
  page.on('response', (response) => {
    if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`)
  })
  return { page, consoleErrors, close: () => context.close() }
}

const cardNames = async (page: Page): Promise<string[]> => (await page.getByTestId('tutor-link').allTextContents()).map((name) => name.trim())
const cardOf = (page: Page, name: string) => page.locator('[data-testid=tutor-list] > li').filter({ hasText: name })
const spaces = (text: string): string => text.replace(/\s+/g, ' ')

/** The first slot GET /api/tutors/:id/availability offers now. */
async function apiFirstSlot(tutorId: string): Promise<number> {
  const body = (await (await fetch(`${server.url}/api/tutors/${tutorId}/availability`)).json()) as { slots: { start: string }[] }
  return Date.parse(body.slots[0]!.start)
}

const shown = (instant: number, timeZone: string): string =>
  spaces(new Intl.DateTimeFormat('en', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }).format(instant))

describe('the tutor finder', () => {
  it('lists tutors as cards; search and subject narrow the list; each card links to the tutor’s page', async () => {
    const { page, consoleErrors, close } = await openPage()
    await page.goto(`${server.url}/`)
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Find a tutor')
    expect((await cardNames(page)).length).toBeGreaterThan(0)

    await page.getByLabel('Name').fill(TAG)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('q') === TAG)
    // The inactive tutor is not shown.
    await expect(cardNames(page)).resolves.toEqual([tutors.yusuf.name, tutors.zelda.name])
    await expect(page.getByTestId('result-count').textContent()).resolves.toBe('2 tutors')

    const zelda = spaces((await cardOf(page, tutors.zelda.name).textContent()) ?? '')
    expect(zelda).toContain('Music, English')
    expect(zelda).toContain('$40 per hour')
    expect(zelda).toContain('Europe/Madrid')
    await expect(cardOf(page, tutors.zelda.name).locator('[aria-hidden=true]').textContent()).resolves.toBe('Z' + TAG[0])
    await expect(cardOf(page, tutors.zelda.name).getByRole('link').getAttribute('href')).resolves.toBe(`/tutors/${tutors.zelda.slug}`)
    expect(spaces((await cardOf(page, tutors.yusuf.name).textContent()) ?? '')).toContain('Ask the tutor')

    await page.getByLabel('Subject').selectOption('music')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('subject') === 'music')
    await expect(cardNames(page)).resolves.toEqual([tutors.zelda.name])
    await expect(page.getByTestId('result-count').textContent()).resolves.toBe('1 tutor')

    // The card opens the tutor's page: their name and free times, in the zone the browser reported on the
    // finder (the booker's own tests are in booker.test.ts).
    await cardOf(page, tutors.zelda.name).click()
    await page.waitForURL((url) => url.pathname === `/tutors/${tutors.zelda.slug}`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(tutors.zelda.name)
    expect(await page.getByTestId('day-times').locator('a').count()).toBeGreaterThan(0)
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
    await expect(page.getByTestId('zone-note').textContent()).resolves.toBe(`Times are shown in your time zone, ${browserZone}.`)
    await close()
    expect(consoleErrors).toEqual([])
  })

  it('shows the next free slot the availability API serves, in the tutor’s zone or the visitor’s, with the zone named', async () => {
    const { page, consoleErrors, close } = await openPage()
    const before = await apiFirstSlot(tutors.yusuf.id)
    await page.goto(`${server.url}/?q=${TAG}&subject=physics`)
    const tutorZone = spaces((await page.getByTestId('next-free').textContent()) ?? '')
    await page.goto(`${server.url}/?q=${TAG}&subject=physics&tz=America/Los_Angeles`)
    const visitorZone = spaces((await page.getByTestId('next-free').textContent()) ?? '')
    const after = await apiFirstSlot(tutors.yusuf.id)
    // Read twice around the page loads: a slot start passing meanwhile moves the first slot on.
    expect([before, after].map((slot) => `${shown(slot, 'Asia/Tokyo')} (tutor's time, Asia/Tokyo)`)).toContain(tutorZone)
    expect([before, after].map((slot) => `${shown(slot, 'America/Los_Angeles')} (your time, America/Los_Angeles)`)).toContain(visitorZone)
    await expect(page.getByText('Free times are shown in your time zone, America/Los_Angeles.').count()).resolves.toBe(1)
    // A search keeps the zone.
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL((url) => url.searchParams.get('tz') === 'America/Los_Angeles')
    await close()
    expect(consoleErrors).toEqual([])
  })

  it('says so when nothing matches, and its link clears the filters', async () => {
    const { page, consoleErrors, close } = await openPage()
    await page.goto(`${server.url}/?q=${TAG}&subject=chemistry`)
    const empty = page.getByTestId('empty-state')
    await expect(empty.getByRole('heading').textContent()).resolves.toBe('No tutor matches')
    await expect(page.getByTestId('tutor-list').count()).resolves.toBe(0)
    await empty.getByRole('link', { name: 'Show all tutors' }).click()
    await page.waitForURL((url) => url.pathname === '/' && url.search === '')
    expect((await cardNames(page)).length).toBeGreaterThan(0)
    await expect(page.getByLabel('Name').inputValue()).resolves.toBe('')
    await close()
    expect(consoleErrors).toEqual([])
  })

  it('speaks Spanish to a browser that asks for it, times and rates included', async () => {
    const { page, consoleErrors, close } = await openPage({ locale: 'es-ES', extraHTTPHeaders: { 'Accept-Language': 'es-ES,es;q=0.9,en;q=0.5' } })
    await page.goto(`${server.url}/?q=${TAG}&subject=music`)
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es')
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Encuentra un tutor')
    await expect(page.getByTestId('result-count').textContent()).resolves.toBe('1 tutor')
    const card = spaces((await cardOf(page, tutors.zelda.name).textContent()) ?? '')
    expect(card).toContain('Música, Inglés')
    expect(card).toMatch(/40 US\$ por hora/)
    expect(card).toContain('(hora del tutor, Europe/Madrid)')
    await expect(page.getByRole('button', { name: 'Buscar' }).count()).resolves.toBe(1)
    // The profile language (cookie) wins over the browser's.
    await page.context().addCookies([{ name: 'tt-lang', value: 'en', url: server.url }])
    await page.reload()
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en')
    await close()
    expect(consoleErrors).toEqual([])
  })

  it.each(Object.entries(WIDTHS))('has no serious or critical axe finding at %s width', async (_name, viewport) => {
    const findings: Record<string, string[]> = {}
    for (const [label, address, headers] of [
      ['list', '/', {}],
      ['filtered', `/?q=${TAG}`, {}],
      ['empty', `/?q=${TAG}&subject=chemistry`, {}],
      ['spanish', `/?q=${TAG}`, { 'Accept-Language': 'es' }],
      ['tutor', `/tutors/${tutors.zelda.slug}`, {}],
    ] as const) {
      const { page, consoleErrors, close } = await openPage({ viewport, extraHTTPHeaders: headers })
      await page.goto(`${server.url}${address}`)
      findings[label] = [...(await seriousFindings(page)), ...consoleErrors]
      await page.screenshot({ path: path.join(SCREENSHOTS, `finder-${label}-${viewport.width}.png`), fullPage: true })
      // Nothing wider than the viewport (no sideways scrolling on a phone).
      findings[label].push(...(await page.evaluate(() => (document.documentElement.scrollWidth > window.innerWidth ? [`scrolls sideways: ${document.documentElement.scrollWidth}px`] : []))))
      await close()
    }
    expect(findings).toEqual({ list: [], filtered: [], empty: [], spanish: [], tutor: [] })
  })
})
