/**
 * LTI test rig: Jalon started with startJalon against a given database,
 * the LMS emulator on 127.0.0.1 (another site), Jalon registered in it manually and the emulator's
 * platform registered in Jalon.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Frame, Page } from 'playwright-core'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLmsEmulator, type LmsEmulator, type LmsEmulatorOptions, type PlatformDetails, type RegisterToolInput } from '../../scripts/lms-emulator'
import { startJalon, type RunningJalon } from '../src/main'
import { loadConfig } from '../src/shared/config'
import type { Logger } from '../src/shared/logger'
import { registerPlatform } from '../src/lti/register-platform'
import { jalonPlatformRegistration, registerJalonTool } from '../../scripts/lms-emulator/jalon-registration'

export const TEST_SECRET_KEY = 'test-secret-key-for-jalon-lti-0123456789'
export const TEST_ADMIN_TOKEN = 'admin-token-for-tests-0123456789'

export interface LtiRig {
  jalon: RunningJalon
  emu: LmsEmulator
  details: PlatformDetails
  platformId: string
  /** Stops Jalon and starts it again on the same database (restart tests). */
  restartJalon(): Promise<void>
  close(): Promise<void>
}

export async function startJalonForTests(
  databaseUrl: string,
  logger: Logger,
  options: { dataDir: string; port?: number; clientDistDir?: string },
): Promise<RunningJalon> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    PORT: String(options.port ?? 0),
    HOST: '0.0.0.0',
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'silent',
    SERVE_CLIENT: options.clientDistDir ? 'true' : 'false',
  })
  return startJalon(config, {
    logger,
    clientDistDir: options.clientDistDir,
    env: { JALON_SECRET_KEY: TEST_SECRET_KEY, ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    scoreDelivery: { intervalMs: 50, baseBackoffMs: 100, maxBackoffMs: 400, timeoutMs: 1500, leaseMs: 5_000 },
  })
}

export async function startLtiRig(
  databaseUrl: string,
  logger: Logger,
  options: { emulator?: Partial<LmsEmulatorOptions>; tool?: Partial<RegisterToolInput>; register?: boolean; clientDistDir?: string } = {},
): Promise<LtiRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jalon-lti-'))
  let jalon = await startJalonForTests(databaseUrl, logger, { dataDir, clientDistDir: options.clientDistDir })
  const port = jalon.port
  const emu = await startLmsEmulator({ toolUrl: jalon.url, ...options.emulator })
  const details = registerJalonTool(emu, jalon.url, options.tool)
  let platformId = ''
  if (options.register !== false) {
    const platform = await registerPlatform(jalonPlatformRegistration(details, { organizationName: 'Université de l’émulateur' }), {
      db: jalon.database.db,
    })
    platformId = platform.id
    await jalon.lti.refreshPlatforms()
  }
  const rig: LtiRig = {
    get jalon() {
      return jalon
    },
    emu,
    details,
    platformId,
    async restartJalon() {
      await jalon.close()
      // Same port: the emulator knows Jalon's URLs.
      jalon = await startJalonForTests(databaseUrl, logger, { dataDir, port, clientDistDir: options.clientDistDir })
    },
    async close() {
      await emu.close()
      await jalon.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return rig
}

/** POST /api/lti/session with the one-time code found in the launch redirect. */
export async function exchangeCode(jalonUrl: string, location: string | null): Promise<{ token: string; launch: Record<string, unknown> }> {
  const code = new URL(location ?? '', jalonUrl).searchParams.get('launch')
  if (!code) throw new Error(`no launch code in ${location}`)
  const res = await fetch(`${jalonUrl}/api/lti/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  })
  if (res.status !== 200) throw new Error(`session exchange: ${res.status} ${await res.text()}`)
  return (await res.json()) as { token: string; launch: Record<string, unknown> }
}

/** A teacher launch on an unbound link, then the picker: creates a campaign and binds the link. */
export async function bindWithNewCampaign(rig: LtiRig, resourceLinkId: string, name = 'Campagne de test'): Promise<string> {
  const t = await rig.emu.launch({ userId: rig.emu.users.teacher.id, resourceLinkId })
  const ticket = /name="ticket" value="([^"]+)"/.exec(t.launchBody)?.[1]
  if (!ticket) throw new Error(`no picker: ${t.launchResponse.status}`)
  const res = await fetch(`${rig.jalon.url}/lti/picker`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ticket, action: 'create', name, targetProfileId: 'tp_panorama_rentree' }),
  })
  const session = await exchangeCode(rig.jalon.url, res.headers.get('location'))
  return String(session.launch.campaignId)
}

/** The Jalon learner app's frame in a page (after a launch or a reload), waited for up to 15 s. */
export async function jalonAppFrame(page: Page, jalonUrl: string): Promise<Frame> {
  for (let i = 0; i < 150; i++) {
    const f = page.frames().find((fr) => fr.url().startsWith(`${jalonUrl}/app/`))
    if (f) return f
    await page.waitForTimeout(100)
  }
  throw new Error('no Jalon frame')
}

/**
 * As a learner does: signs in to the LMS and opens the activity page (Moodle's view.php), which embeds Jalon in
 * a cross-site iframe (so the browser gives it no third-party cookies or storage). Returns Jalon's frame.
 */
export async function openActivityInLms(page: Page, rig: LtiRig, userId: string, resourceLinkId: string): Promise<Frame> {
  await page.request.post(`${rig.emu.url}/login/switch`, { form: { user: userId, return: '/' } })
  const activity = rig.emu.activities().find((a) => a.id === resourceLinkId)
  if (!activity) throw new Error(`no activity ${resourceLinkId}`)
  await page.goto(`${rig.emu.url}/mod/lti/view.php?id=${activity.cmid}`)
  const app = await jalonAppFrame(page, rig.jalon.url)
  if (app === page.mainFrame()) throw new Error('Jalon opened as the top page, not in the LMS iframe')
  return app
}
