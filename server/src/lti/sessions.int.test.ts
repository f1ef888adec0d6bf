/**
 * Bearer sessions with the per-process cache (session-cache.ts) and two Jalon instances on one database:
 * a session opened on one is valid on the other, a logout on either ends it on both at once (NOTIFY), and
 * single use of the launch code and of the login state survives concurrent requests.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunningJalon } from '../main'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { testLogger } from '../../test/logger'
import { bindWithNewCampaign, exchangeCode, startJalonForTests, startLtiRig, type LtiRig } from '../../test/lti-rig'

let db: TestDatabase
let rig: LtiRig
let other: RunningJalon
let otherDir: string
let activityId: string

beforeAll(async () => {
  db = await createTestDatabase()
  rig = await startLtiRig(db.url, testLogger)
  otherDir = mkdtempSync(join(tmpdir(), 'jalon-lti-b-'))
  other = await startJalonForTests(db.url, testLogger, { dataDir: otherDir })
  activityId = rig.emu.demoActivityId
  await bindWithNewCampaign(rig, activityId)
})
afterAll(async () => {
  await other?.close()
  await rig?.close()
  await db?.drop()
  if (otherDir) rmSync(otherDir, { recursive: true, force: true })
})

const me = (url: string, token: string) => fetch(`${url}/api/lti/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)
const logout = (url: string, token: string) => fetch(`${url}/api/lti/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)

async function learnerToken(): Promise<string> {
  const l = await rig.emu.launch({ userId: rig.emu.users.lea.id, resourceLinkId: activityId })
  expect(l.launchResponse.status).toBe(303)
  return (await exchangeCode(rig.jalon.url, l.launchResponse.headers.get('location'))).token
}

test('a logout on one instance ends the session on both at once, though both had it cached', async () => {
  const token = await learnerToken()
  expect(await me(rig.jalon.url, token)).toBe(200)
  expect(await me(other.url, token)).toBe(200)
  expect(await logout(other.url, token)).toBeLessThan(300)
  expect(await me(other.url, token)).toBe(401)
  expect(await me(rig.jalon.url, token)).toBe(401)

  const second = await learnerToken()
  expect(await me(other.url, second)).toBe(200)
  expect(await logout(rig.jalon.url, second)).toBeLessThan(300)
  expect(await me(rig.jalon.url, second)).toBe(401)
  expect(await me(other.url, second)).toBe(401)
})

test('an unknown or forged bearer token is refused', async () => {
  expect(await me(rig.jalon.url, 'not-a-token')).toBe(401)
  expect((await fetch(`${rig.jalon.url}/api/lti/me`)).status).toBe(401)
})

test('a launch code exchanged by two concurrent requests opens one session only', async () => {
  const l = await rig.emu.launch({ userId: rig.emu.users.lea.id, resourceLinkId: activityId })
  const location = l.launchResponse.headers.get('location')
  const results = await Promise.allSettled([exchangeCode(rig.jalon.url, location), exchangeCode(other.url, location), exchangeCode(rig.jalon.url, location)])
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
})

test('a state posted by two concurrent launches is used once', async () => {
  const r = await rig.emu.launch({ userId: rig.emu.users.lea.id, resourceLinkId: activityId })
  expect(r.launchResponse.status).toBe(303)
  // Replays of the same form, at the same time, on both instances: all refused (the state is spent).
  const again = await Promise.all(
    [rig.jalon.url, other.url, rig.jalon.url].map((u) => fetch(`${u}/lti/launch`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(r.posted) })),
  )
  for (const res of again) expect(res.status).toBe(400)

  const init = rig.emu.buildLoginInitiation({ userId: rig.emu.users.lea.id, resourceLinkId: activityId })
  const login = await fetch(init.url, { method: 'POST', redirect: 'manual', body: new URLSearchParams(init.params) })
  const auth = new URL(login.headers.get('location')!)
  const claims = rig.emu.buildIdTokenClaims({ userId: rig.emu.users.lea.id, resourceLinkId: activityId, nonce: auth.searchParams.get('nonce')! })
  const body = new URLSearchParams({ id_token: await rig.emu.signIdToken(claims), state: auth.searchParams.get('state')! })
  const racing = await Promise.all([rig.jalon.url, other.url, rig.jalon.url, other.url].map((u) => fetch(`${u}/lti/launch`, { method: 'POST', redirect: 'manual', body })))
  expect(racing.map((x) => x.status).sort()).toEqual([303, 400, 400, 400])
})
