/**
 * A real Chromium: the LMS emulator on 127.0.0.1 embeds Jalon (localhost, another site) in an iframe;
 * the launch goes through with third-party cookies dropped and reaches the learner app, which
 * exchanges its one-time code and removes it from the URL; and the same through a platform that offers
 * postMessage storage (lti-notes §9), the state put in and read back from the platform's frame.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeBrowser, launchBrowser } from '../../test/browser'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { testLogger } from '../../test/logger'
import { bindWithNewCampaign, openActivityInLms, startLtiRig, type LtiRig } from '../../test/lti-rig'

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
    const app = await openActivityInLms(page, rig, rig.emu.users.lea.id, rig.emu.demoActivityId)
    await app.waitForSelector('[data-launch-state="ready"]', { timeout: 15_000 })
    expect(app.url()).not.toContain('launch=')
    // The browser gives the cross-site frame no storage (third-party storage blocked): the session lives in memory.
    expect(await app.evaluate('(() => { try { sessionStorage.length; return "allowed" } catch { return "denied" } })()')).toBe('denied')
    // The bearer session works from inside the iframe (no cookie, no storage involved): the app reads the campaign.
    await app.waitForSelector('button:has-text("Je commence")', { timeout: 15_000 })
    const me = (await app.evaluate('fetch("/api/lti/me").then((r) => r.status)')) as number
    expect(me).toBe(401) // without the bearer token: nothing is reachable by cookie either

    // Learner journey hook: the test (start, answer a question, share) continues here from this frame.
  })

  test('with a platform that offers postMessage storage (Canvas, D2L, Sakai; not Moodle), the state goes through it', async () => {
    const activity = rig.emu.createResourceLink({ name: 'Jalon (stockage plateforme)' })
    await bindWithNewCampaign(rig, activity.id)
    rig.emu.settings.platformStorage = true
    try {
      const page = await browser.context.newPage()
      // What the LMS's frames receive from the tool frame, recorded before any script of theirs runs.
      await page.addInitScript({
        content: `if (location.origin === ${JSON.stringify(new URL(rig.emu.url).origin)}) {
          window.__ltiMessages = []
          window.addEventListener('message', (e) => {
            if (e.data && typeof e.data.subject === 'string') window.__ltiMessages.push({ origin: e.origin, subject: e.data.subject, key: e.data.key })
          })
        }`,
      })
      const app = await openActivityInLms(page, rig, rig.emu.users.lea.id, activity.id)
      await app.waitForSelector('[data-launch-state="ready"]', { timeout: 15_000 })
      const messages: { origin: string; subject: string; key: string }[] = []
      for (const frame of page.frames()) messages.push(...(((await frame.evaluate('window.__ltiMessages').catch(() => undefined)) ?? []) as typeof messages))
      const jalonOrigin = new URL(rig.jalon.url).origin
      // The login page put the state in the platform's frame, the launch page read it back, under the same key.
      const put = messages.find((m) => m.subject === 'lti.put_data')
      expect(put).toMatchObject({ origin: jalonOrigin, key: expect.stringMatching(/^lti_state_/) })
      expect(messages).toContainEqual({ origin: jalonOrigin, subject: 'lti.get_data', key: put!.key })
      await page.close()
    } finally {
      rig.emu.settings.platformStorage = false
    }
  })
})
