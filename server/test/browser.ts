/**
 * Headless Debian Chromium driven by playwright-core (no browser download). Where Chromium is
 * missing, browser tests are skipped with a clear message — except under CI=true, where a missing
 * prerequisite is a failure.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const chromiumAvailable = existsSync(CHROMIUM_PATH)

if (!chromiumAvailable) {
  if (process.env.CI === 'true') {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: browser tests cannot run in CI (apt-get install -y chromium)`)
  }
  console.warn(`[browser tests skipped] Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`)
}

/** `describe` that runs only where Chromium exists (and fails in CI when it does not). */
export const describeBrowser = chromiumAvailable ? describe : describe.skip

export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<{
  context: BrowserContext
  close(): Promise<void>
}> {
  const profile = mkdtempSync(join(tmpdir(), 'jalon-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'fr-FR',
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
