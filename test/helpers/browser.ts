import { chromium, type Browser } from 'playwright-core'

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core: Playwright's
 * own browser downloads cannot reach their servers here. CHROMIUM_PATH points elsewhere.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}
