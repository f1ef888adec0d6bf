/**
 * A real Chromium: the LMS emulator on 127.0.0.1 embeds Jalon (localhost, another site) in an iframe;
 * the launch goes through with third-party cookies dropped and reaches the learner app, which
 * exchanges its one-time code and removes it from the URL.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Frame } from 'playwright-core'
import { describeBrowser, launchBrowser } from '../../test/browser'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { testLogger } from '../../test/logger'
import { bindWithNewCampaign, startLtiRig, type LtiRig } from '../../test/lti-rig'

describeBrowser('LTI launch inside a cross-site iframe', () => {
  let db: TestDatabase
  let rig: LtiRig
  let clientDir: string
  let browser: Awaited<ReturnType<typeof launchBrowser>>

  beforeAll(async () => {
    clientDir = mkdtempSync(join(tmpdir(), 'jalon-client-'))
    execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.mts', '--outDir', clientDir, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: join(__dirname, '..', '..', '..'),
      stdio: 'inherit',
    })
    db = await createTestDatabase()
    rig = await startLtiRig(db.url, testLogger, { clientDistDir: clientDir })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await rig?.close()
    await db?.drop()
    rmSync(clientDir, { recursive: true, force: true })
  })

  test('a learner launches from the LMS and reaches the learner app', async () => {
    await bindWithNewCampaign(rig, rig.emu.demoActivityId)
    const page = await browser.context.newPage()
    expect(new URL(rig.jalon.url).hostname).toBe('localhost')
    expect(new URL(rig.emu.url).hostname).toBe('127.0.0.1')
    await page.goto(rig.emu.launchUrl(rig.emu.users.lea.id, rig.emu.demoActivityId))

    let app: Frame | undefined
    for (let i = 0; i < 100 && !app; i++) {
      app = page.frames().find((f) => f.url().startsWith(`${rig.jalon.url}/app/`))
      if (!app) await page.waitForTimeout(100)
    }
    expect(app).toBeDefined()
    await app!.waitForSelector('[data-launch-state="ready"]', { timeout: 15_000 })
    expect(app!.url()).not.toContain('launch=')
    // The bearer session works from inside the iframe (no cookie involved).
    const me = await app!.evaluate(async () => {
      // Runs in the page: the server tsconfig has no DOM types.
      const storage = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage
      const raw = storage.getItem('jalon.launchSession')
      const token = raw ? (JSON.parse(raw) as { token: string }).token : ''
      const res = await fetch('/api/lti/me', { headers: { authorization: `Bearer ${token}` } })
      return (await res.json()) as { launch: { role: string; firstName?: string } }
    })
    expect(me.launch).toMatchObject({ role: 'learner', firstName: 'Léa' })

    // Learner journey hook: the test (start, answer a question, share) continues here from this frame.
  })
})
