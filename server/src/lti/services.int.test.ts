/**
 * Deep linking, grade passback through the outbox (with faults and a restart), NRPS and dynamic
 * registration, against the LMS emulator over real HTTP.
 */
import { eq } from 'drizzle-orm'
import { parseForm } from '../../../scripts/lms-emulator'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { testLogger } from '../../test/logger'
import { ltiPlatforms } from '../db/schema'
import type { LaunchContext } from './launch-context'
import { listScoreDeliveries, reportFinalScore, reportProgress } from './score-outbox'
import { exchangeCode, startLtiRig, type LtiRig } from '../../test/lti-rig'
import { systemClock } from '../shared/clock'

let db: TestDatabase
let rig: LtiRig
let activityId: string
let campaignId: string

beforeAll(async () => {
  db = await createTestDatabase()
  rig = await startLtiRig(db.url, testLogger, { emulator: { nrpsPageSize: 2 } })
})
afterAll(async () => {
  await rig?.close()
  await db?.drop()
})

async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function launchSession(userId: string, resourceLinkId: string): Promise<{ token: string; launch: LaunchContext }> {
  const r = await rig.emu.launch({ userId, resourceLinkId, cookies: false })
  expect(r.launchResponse.status).toBe(303)
  const s = await exchangeCode(rig.jalon.url, r.launchResponse.headers.get('location'))
  return { token: s.token, launch: s.launch as unknown as LaunchContext }
}

const deps = () => ({ db: rig.jalon.database.db, clock: systemClock })

test('deep linking: the teacher creates a campaign, Moodle gets a signed item with a line item', async () => {
  const dl = await rig.emu.launch({ userId: rig.emu.users.teacher.id, deepLinking: true })
  expect(dl.launchResponse.status).toBe(200)
  const ticket = /name="ticket" value="([^"]+)"/.exec(dl.launchBody)![1]!
  const picked = await fetch(`${rig.jalon.url}/lti/picker`, {
    method: 'POST',
    body: new URLSearchParams({ ticket, action: 'create', name: 'Panorama de rentrée', targetProfileId: 'tp_panorama_rentree', externalIdLabel: 'Numéro étudiant' }),
  })
  expect(picked.status).toBe(200)
  const form = parseForm(await picked.text())!
  expect(form.action).toContain('/mod/lti/contentitem_return.php')
  expect(Object.keys(form.fields)).toEqual(['JWT'])
  const before = rig.emu.activities().length
  const back = await fetch(form.action, { method: 'POST', redirect: 'manual', body: new URLSearchParams(form.fields) })
  expect(back.status).toBeLessThan(400)
  const created = rig.emu.activities().slice(before)
  expect(created).toHaveLength(1)
  activityId = created[0]!.id
  expect(created[0]!.customParameters).toMatch(/jalon_campaign=/)
  const column = rig.emu.lineItems().find((l) => l.resourceId && l.label === 'Panorama de rentrée')
  expect(column).toMatchObject({ scoreMaximum: 100, tag: 'jalon' })
  campaignId = column!.resourceId!

  // The learner's first launch of the new activity is bound through the custom parameter.
  const { launch } = await launchSession(rig.emu.users.lea.id, activityId)
  expect(launch).toMatchObject({ role: 'learner', campaignId, canReportScores: true })
})

test('progress and the final score arrive in the gradebook, once each', async () => {
  const { launch } = await launchSession(rig.emu.users.lea.id, activityId)
  expect((await reportProgress(launch, 'Started', deps())).status).toBe('pending')
  expect((await reportProgress(launch, 'Started', deps())).status).toBe('duplicate')
  expect((await reportFinalScore(launch, 73, deps())).status).toBe('pending')
  rig.jalon.lti.scoreDelivery.kick()
  const grade = await waitFor(() => rig.emu.gradebook.grades({ userId: rig.emu.users.lea.id }).find((g) => g.grade !== null), 'the grade')
  expect(grade).toMatchObject({ grade: 73, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })
  const posts = rig.emu.gradebook.scores({ userId: rig.emu.users.lea.id })
  expect(posts.map((p) => p.body.activityProgress)).toEqual(['Started', 'Completed'])
  // The gradebook stores the score before Jalon records the delivery: wait for that write too.
  await waitFor(async () => (await listScoreDeliveries({ campaignId }, deps())).every((s) => s.status === 'delivered'), 'delivered statuses')
})

test('a teacher is never sent to the gradebook; a user the platform refuses gets a terminal status', async () => {
  const { launch: teacher } = await launchSession(rig.emu.users.teacher.id, activityId)
  expect(await reportFinalScore(teacher, 50, deps())).toMatchObject({ status: 'skipped', reason: 'NOT_A_LEARNER' })

  // The site admin claims to be a learner but is not enrolled: Moodle answers 400.
  const r = await rig.emu.launch({
    userId: rig.emu.users.admin.id,
    resourceLinkId: activityId,
    tamper: (c) => void (c['https://purl.imsglobal.org/spec/lti/claim/roles'] = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner']),
  })
  const admin = (await exchangeCode(rig.jalon.url, r.launchResponse.headers.get('location'))).launch as unknown as LaunchContext
  await reportFinalScore(admin, 40, deps())
  rig.jalon.lti.scoreDelivery.kick()
  const row = await waitFor(
    async () => (await listScoreDeliveries({ userId: admin.userId }, deps())).find((d) => d.status !== 'pending'),
    'a terminal status',
  )
  expect(row).toMatchObject({ status: 'rejected', reason: 'NOT_GRADABLE', attempts: 1 })
})

test.each([
  ['500', { mode: '500' as const, times: 2 }],
  ['409', { mode: '409' as const, times: 2 }],
  ['timeout', { mode: 'timeout' as const, times: 1, delayMs: 2500 }],
])('AGS failing with %s then recovering: the score arrives exactly once', async (_name, fault) => {
  const user = rig.emu.users.ines.id
  const { launch } = await launchSession(user, activityId)
  const before = rig.emu.gradebook.scores({ userId: user }).length
  rig.emu.failAgs(fault)
  const key = `fault-${fault.mode}`
  await reportFinalScore(launch, 61 + fault.times, deps(), { key })
  rig.jalon.lti.scoreDelivery.kick()
  const delivered = await waitFor(
    async () => (await listScoreDeliveries({ userId: launch.userId }, deps())).find((d) => d.status === 'delivered' && d.scoreGiven === 61 + fault.times),
    'delivery',
  )
  expect(delivered.attempts).toBeGreaterThan(1)
  await new Promise((r) => setTimeout(r, 300))
  const posts = rig.emu.gradebook.scores({ userId: user }).slice(before)
  expect(posts.filter((p) => p.keptScore === 61 + fault.times)).toHaveLength(1)
  rig.emu.clearFaults()
})

test('a score queued while the platform is down survives a Jalon restart and arrives once', async () => {
  const user = rig.emu.users.noEmail.id
  const { launch } = await launchSession(user, activityId)
  rig.emu.failAgs({ mode: '500', times: 1000 })
  await reportFinalScore(launch, 88, deps())
  rig.jalon.lti.scoreDelivery.kick()
  await waitFor(async () => (await listScoreDeliveries({ userId: launch.userId }, deps()))[0]?.attempts, 'a failed attempt')
  await rig.restartJalon()
  rig.emu.clearFaults()
  rig.jalon.lti.scoreDelivery.kick()
  await waitFor(() => rig.emu.gradebook.grades({ userId: user }).find((g) => g.grade === 88), 'the grade after restart')
  await new Promise((r) => setTimeout(r, 300))
  expect(rig.emu.gradebook.scores({ userId: user }).filter((p) => p.keptScore === 88)).toHaveLength(1)
})

test('NRPS: the teacher gets every course member across pages', async () => {
  const { token } = await launchSession(rig.emu.users.teacher.id, activityId)
  const res = await fetch(`${rig.jalon.url}/api/lti/roster`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  const { members } = (await res.json()) as { members: { platformUserId: string; role: string; userId?: string }[] }
  const enrolled = rig.emu.users.all().filter((u) => u.id !== rig.emu.users.admin.id)
  expect(members.length).toBe(enrolled.length)
  expect(members.find((m) => m.platformUserId === rig.emu.users.teacher.id)?.role).toBe('teacher')
  expect(members.find((m) => m.platformUserId === rig.emu.users.lea.id)).toMatchObject({ role: 'learner', userId: expect.any(String) })
  expect(rig.emu.gradebook.counters.nrpsRequests).toBeGreaterThan(1)
  // Learners may not read it.
  const { token: learnerToken } = await launchSession(rig.emu.users.lea.id, activityId)
  expect((await fetch(`${rig.jalon.url}/api/lti/roster`, { headers: { authorization: `Bearer ${learnerToken}` } })).status).toBe(403)
})

test('dynamic registration stores the platform and the deployment Moodle returns', async () => {
  const start = await rig.emu.startDynamicRegistration(`${rig.jalon.url}/lti/register`)
  const res = await fetch(start.url)
  const body = await res.text()
  expect(res.status).toBe(200)
  expect(body).toContain('/lti/static/registration-close.js')
  const [platform] = await db.db.select().from(ltiPlatforms).where(eq(ltiPlatforms.clientId, start.clientId))
  expect(platform).toMatchObject({ issuer: rig.emu.issuer, jwksUrl: rig.emu.urls.jwks })
  const tool = rig.emu.tools().find((t) => t.clientId === start.clientId)
  expect(tool).toBeTruthy()
  // The registration token works once.
  expect((await fetch(start.url)).status).toBe(400)
})

test('the teacher opens Orga in a new tab through a one-time link', async () => {
  const { token } = await launchSession(rig.emu.users.teacher.id, activityId)
  const link = await fetch(`${rig.jalon.url}/api/lti/orga-link`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  const { url } = (await link.json()) as { url: string }
  const enter = await fetch(`${rig.jalon.url}${url}`, { redirect: 'manual' })
  expect(enter.status).toBe(303)
  expect(enter.headers.get('location')).toBe('/orga/')
  expect(enter.headers.get('set-cookie')).toMatch(/jalon_orga=.*HttpOnly.*SameSite=Lax/i)
  expect((await fetch(`${rig.jalon.url}${url}`, { redirect: 'manual' })).status).toBe(401)
})

test('JWKS and frame-ancestors', async () => {
  const jwks = (await (await fetch(`${rig.jalon.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] }
  expect(jwks.keys.length).toBeGreaterThan(0)
  expect(jwks.keys.every((k) => k.kid && k.d === undefined)).toBe(true)
  const csp = (await fetch(`${rig.jalon.url}/healthz`)).headers.get('content-security-policy')
  expect(csp).toContain(`frame-ancestors 'self' ${rig.emu.url}`)
})
