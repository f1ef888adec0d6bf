/**
 * Shared tools of the fault suites: Jalon as killable OS processes on a fixed port (the LMS emulator keeps
 * its URLs across a restart), the emulator registered both ways, learners launched through real LTI
 * launches, and bounded waits.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLmsEmulator, type LmsEmulator, type PlatformDetails } from '../../../scripts/lms-emulator'
import type { Db } from '../../src/db/client'
import { freePort } from '../../src/db/embedded-postgres'
import { registerPlatform } from '../../src/lti/register-platform'
import { exchangeCode, TEST_SECRET_KEY } from '../lti-rig'
import { spawnJalon, type JalonProcess } from '../process'

/** Fast outbox timings for the tests: the lease (a killed worker's row due again) stays above the request timeout. */
export const FAST_OUTBOX = {
  SCORE_DELIVERY_INTERVAL_MS: '50',
  SCORE_DELIVERY_TIMEOUT_MS: '3000',
  SCORE_DELIVERY_LEASE_MS: '4000',
  SCORE_DELIVERY_BASE_BACKOFF_MS: '100',
  SCORE_DELIVERY_MAX_BACKOFF_MS: '400',
}

export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 50): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

export interface JalonNode {
  url: string
  port: number
  process: JalonProcess
  /** SIGKILL: no shutdown hook runs, requests in flight are cut. */
  kill(): Promise<void>
  /** Starts Jalon again on the same port and database. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** One Jalon process on a fixed port, against `databaseUrl`. */
export async function startJalonNode(databaseUrl: string, env: Record<string, string> = {}): Promise<JalonNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jalon-fault-'))
  const port = await freePort()
  const fullEnv = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(port), JALON_SECRET_KEY: TEST_SECRET_KEY, NODE_ENV: 'test', ...FAST_OUTBOX, ...env }
  let proc = await spawnJalon(fullEnv)
  let alive = true
  const node: JalonNode = {
    url: proc.url,
    port,
    get process() {
      return proc
    },
    async kill() {
      if (alive) await proc.stop('SIGKILL')
      alive = false
    },
    async restart() {
      if (alive) await proc.stop('SIGKILL')
      proc = await spawnJalon(fullEnv)
      alive = true
    },
    async stop() {
      if (alive) await proc.stop('SIGTERM')
      alive = false
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return node
}

export interface LmsSide {
  emu: LmsEmulator
  details: PlatformDetails
  /** Emulator user ids of enrolled students made for the test. */
  learners: string[]
}

/** The emulator pointing at Jalon's URL, `learnerCount` extra students enrolled, the platform registered in Jalon's database. */
export async function startLms(jalonUrl: string, db: Db, learnerCount: number): Promise<LmsSide> {
  const emu = await startLmsEmulator({ toolUrl: jalonUrl })
  const details = emu.registerTool({
    name: 'Jalon',
    initiateLoginUrl: `${jalonUrl}/lti/login`,
    targetLinkUri: `${jalonUrl}/lti/launch`,
    jwksUrl: `${jalonUrl}/.well-known/jwks.json`,
    deepLinkingUrl: `${jalonUrl}/lti/launch`,
    sendName: true,
    sendEmail: true,
    gradeSync: 'sync-and-columns',
    nrps: true,
  })
  await registerPlatform(
    {
      name: 'Moodle (émulateur)',
      issuer: details.issuer,
      clientId: details.clientId,
      authLoginUrl: details.authLoginUrl,
      authTokenUrl: details.accessTokenUrl,
      jwksUrl: details.keysetUrl,
      deploymentIds: [details.deploymentId],
      organizationName: 'Université des pannes',
    },
    { db },
  )
  return { emu, details, learners: addLearners(emu, learnerCount) }
}

/** Enrols `count` extra students in the emulator's course; returns their user ids. */
export function addLearners(emu: LmsEmulator, count: number): string[] {
  const learners: string[] = []
  const base = 100 + emu.state.users.size
  for (let i = 0; i < count; i++) {
    const id = String(base + i)
    emu.state.users.set(id, {
      id,
      username: `etu${id}`,
      givenName: `Étudiant${id}`,
      familyName: 'Panne',
      email: `etu${id}@univ.test`,
      idnumber: `2240${id}`,
      courseRole: 'student',
      siteAdmin: false,
      label: `Étudiant ${id}`,
    })
    learners.push(id)
  }
  return learners
}

/** A launch through the emulator, then the one-time code exchanged for a bearer token. */
export async function launchLearner(emu: LmsEmulator, jalonUrl: string, userId: string, resourceLinkId: string) {
  const r = await emu.launch({ userId, resourceLinkId, cookies: false })
  if (r.launchResponse.status !== 303) throw new Error(`launch answered ${r.launchResponse.status}: ${r.launchBody.slice(0, 300)}`)
  return exchangeCode(jalonUrl, r.launchResponse.headers.get('location'))
}

/** Teacher launch on the demo activity, campaign created in the picker: returns the campaign id and the activity id. */
export async function bindDemoActivity(emu: LmsEmulator, jalonUrl: string): Promise<{ campaignId: string; activityId: string }> {
  const activityId = emu.demoActivityId
  const t = await emu.launch({ userId: emu.users.teacher.id, resourceLinkId: activityId, cookies: false })
  const ticket = /name="ticket" value="([^"]+)"/.exec(t.launchBody)?.[1]
  if (!ticket) throw new Error(`no picker: ${t.launchResponse.status}`)
  const res = await fetch(`${jalonUrl}/lti/picker`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ticket, action: 'create', name: 'Campagne des pannes', targetProfileId: 'tp_panorama_rentree' }),
  })
  const session = await exchangeCode(jalonUrl, res.headers.get('location'))
  return { campaignId: String(session.launch.campaignId), activityId }
}

/** fetch with a hard deadline: a fault test must never hang on a request. */
export async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown; cookie?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown; headers: Headers; ms: number }> {
  const started = Date.now()
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
    redirect: 'manual',
  })
  const text = await res.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers, ms: Date.now() - started }
}
