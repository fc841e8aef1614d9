import fs from 'node:fs'

import { chromium, type Browser } from 'playwright-core'

/**
 * Debian's Chromium, driven by playwright-core: Playwright's own browser downloads cannot reach their servers here.
 * Its headless shell (`apt-get install chromium-headless-shell`, the same Blink as `chromium`; .ci/run installs it)
 * when present, as Playwright itself runs headless tests: `chromium --headless` runs the whole browser with its window
 * UI, and measured on 7 Dec (booker + adminWeekEditor, 21 tests) Chromium took 212 CPU-s that way and 101 as the
 * shell. Otherwise `chromium`; CHROMIUM_PATH points elsewhere.
 */
const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell'

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium')
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}
