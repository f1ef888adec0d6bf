/**
 * Activité tab × LMS, over real HTTP against the LMS emulator: enrolled learners who have not started
 * (NRPS read server-side from a standalone Orga session, across pages, cached), an LMS failure that does not
 * break the tab, tenancy, and each participant's grade delivery status.
 */
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertMember, insertOrganization } from '../../test/factories'
import { testLogger } from '../../test/logger'
import { bindWithNewCampaign, exchangeCode, startLtiRig, type LtiRig } from '../../test/lti-rig'
import { createRosterCache } from '../lti/roster-cache'
import { createOrgaSession } from '../organizations/orga-session'
import { fixedClock } from '../shared/clock'

let db: TestDatabase
let rig: LtiRig
let campaignId: string
let teacherCookie: string
let outsiderCookie: string

interface ActivityJson {
  participantsCount: number
  notStarted: { learners: { firstName: string | null; lastName: string | null; name: string | null; email: string | null; externalId: string | null }[]; unavailable: boolean } | null
}
interface ParticipantsJson {
  participants: { participationId: string; firstName: string; lastName: string; gradeDelivery: { status: string; reason: string | null } | null }[]
}

async function orga<T>(cookie: string, path: string): Promise<{ status: number; json: T }> {
  const res = await fetch(`${rig.jalon.url}/api/orga${path}`, { headers: { cookie: `jalon_orga=${cookie}` } })
  return { status: res.status, json: (await res.json()) as T }
}

async function launchToken(userId: string, tamper?: (c: Record<string, unknown>) => void): Promise<string> {
  const r = await rig.emu.launch({ userId, resourceLinkId: rig.emu.demoActivityId, cookies: false, tamper })
  expect(r.launchResponse.status).toBe(303)
  return (await exchangeCode(rig.jalon.url, r.launchResponse.headers.get('location'))).token
}

async function startParticipation(token: string, code: string): Promise<void> {
  const res = await fetch(`${rig.jalon.url}/api/learner/campaigns/${code}/participations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  expect(res.status).toBeLessThan(300)
}

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const nameOf = (l: { firstName: string | null; lastName: string | null; name: string | null }) => l.name ?? `${l.firstName ?? ''} ${l.lastName ?? ''}`.trim()

beforeAll(async () => {
  db = await createTestDatabase()
  // Two members per NRPS page: the five enrolled users come in three pages.
  rig = await startLtiRig(db.url, testLogger, { emulator: { nrpsPageSize: 2 } })
  campaignId = await bindWithNewCampaign(rig, rig.emu.demoActivityId, 'Rentrée L1')

  // The teacher opens Orga in a new tab: a standalone session, no launch in the dashboard's requests.
  const teacherToken = await launchToken(rig.emu.users.teacher.id)
  const link = await fetch(`${rig.jalon.url}/api/lti/orga-link`, { method: 'POST', headers: { authorization: `Bearer ${teacherToken}` } })
  const { url } = (await link.json()) as { url: string }
  const enter = await fetch(`${rig.jalon.url}${url}`, { redirect: 'manual' })
  teacherCookie = /jalon_orga=([^;]+)/.exec(enter.headers.get('set-cookie') ?? '')![1]!

  const orgB = await insertOrganization(db.db, { name: 'Université B' })
  const outsider = await insertMember(db.db, orgB.id, 'ADMIN')
  outsiderCookie = (await createOrgaSession(db.db, { userId: outsider.id, organizationId: orgB.id, origin: 'PASSWORD', now: new Date() })).token

  const { json: campaign } = await orga<{ code: string }>(teacherCookie, `/campaigns/${campaignId}`)
  // Léa starts; the site admin (not enrolled, posing as a learner) starts too: Moodle refuses their scores.
  await startParticipation(await launchToken(rig.emu.users.lea.id), campaign.code)
  const asLearner = (c: Record<string, unknown>) => void (c['https://purl.imsglobal.org/spec/lti/claim/roles'] = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'])
  await startParticipation(await launchToken(rig.emu.users.admin.id, asLearner), campaign.code)
  rig.jalon.lti.scoreDelivery.kick()
})

afterAll(async () => {
  await rig?.close()
  await db?.drop()
})

test('the enrolled learners who have not started, read across NRPS pages from a standalone Orga session', async () => {
  const before = rig.emu.gradebook.counters.nrpsRequests
  const { status, json } = await orga<ActivityJson>(teacherCookie, `/campaigns/${campaignId}/activity`)
  expect(status).toBe(200)
  expect(json.participantsCount).toBe(2)
  expect(json.notStarted?.unavailable).toBe(false)
  const learners = json.notStarted!.learners
  // Hugo (no e-mail), the student without names and Inès; not Léa (started), not Claire (teacher), not the admin (not enrolled).
  expect(learners).toHaveLength(3)
  const names = learners.map(nameOf).join(' | ')
  expect(names).toMatch(new RegExp(rig.emu.users.ines.givenName!))
  expect(names).toMatch(new RegExp(rig.emu.users.noEmail.givenName!))
  expect(names).not.toMatch(new RegExp(rig.emu.users.lea.givenName!))
  expect(names).not.toMatch(new RegExp(rig.emu.users.teacher.givenName!))
  // The student without names still shows up, by student number and e-mail.
  expect(learners).toContainEqual(expect.objectContaining({ externalId: '22400119', email: 'etu22400119@etu.univ-demo.example' }))
  expect(rig.emu.gradebook.counters.nrpsRequests - before).toBeGreaterThanOrEqual(3)

  // The 10-second refresh is served from the cache.
  const again = rig.emu.gradebook.counters.nrpsRequests
  await orga<ActivityJson>(teacherCookie, `/campaigns/${campaignId}/activity`)
  expect(rig.emu.gradebook.counters.nrpsRequests).toBe(again)
})

test('another organization gets 404 on the tab and its participant list', async () => {
  expect((await orga(outsiderCookie, `/campaigns/${campaignId}/activity`)).status).toBe(404)
  expect((await orga(outsiderCookie, `/campaigns/${campaignId}/activity/participants`)).status).toBe(404)
})

test('each participant shows its grade delivery: delivered, or rejected with the reason', async () => {
  const rows = await waitFor(async () => {
    const { json } = await orga<ParticipantsJson>(teacherCookie, `/campaigns/${campaignId}/activity/participants`)
    return json.participants.length === 2 && json.participants.every((p) => p.gradeDelivery && p.gradeDelivery.status !== 'pending') ? json.participants : undefined
  }, 'terminal delivery statuses')
  const lea = rows.find((p) => p.firstName === rig.emu.users.lea.givenName)!
  const admin = rows.find((p) => p !== lea)!
  expect(lea.gradeDelivery).toMatchObject({ status: 'delivered' })
  expect(admin.gradeDelivery).toMatchObject({ status: 'rejected', reason: 'NOT_GRADABLE' })

  const { status, json: detail } = await orga<{ gradeDelivery: unknown }>(teacherCookie, `/campaigns/${campaignId}/participations/${admin.participationId}`)
  expect(status).toBe(200)
  expect(detail.gradeDelivery).toMatchObject({ status: 'rejected', reason: 'NOT_GRADABLE' })
})

test('a failing LMS does not break the tab: the rest is shown, the roster is marked unavailable', async () => {
  rig.jalon.lti.rosters.clear()
  rig.emu.failAgs({ mode: '500', times: 1000, endpoints: 'all' })
  const { status, json } = await orga<ActivityJson>(teacherCookie, `/campaigns/${campaignId}/activity`)
  expect(status).toBe(200)
  expect(json.participantsCount).toBe(2)
  expect(json.notStarted).toEqual({ learners: [], unavailable: true })
  rig.emu.clearFaults()
  rig.jalon.lti.rosters.clear()
  expect((await orga<ActivityJson>(teacherCookie, `/campaigns/${campaignId}/activity`)).json.notStarted?.learners).toHaveLength(3)
})

test('roster cache: reused while fresh, the last roster kept when a refresh fails, the LMS left alone for a while after a failure', async () => {
  const clock = fixedClock(new Date())
  const cache = createRosterCache({ db: db.db, services: rig.jalon.lti.services, clock, logger: testLogger, ttlMs: 60_000, failureTtlMs: 10_000 })
  const campaign = { id: campaignId, organizationId: (await orga<{ organizationId: string }>(teacherCookie, `/campaigns/${campaignId}`)).json.organizationId }
  const requests = () => rig.emu.gradebook.counters.nrpsRequests
  const n0 = requests()
  // Every active learner of the course (Léa included: who started is the dashboard's business).
  expect((await cache.campaignLearners(campaign))?.learners).toHaveLength(4)
  const n1 = requests()
  expect(n1).toBeGreaterThan(n0)
  expect((await cache.campaignLearners(campaign))?.learners).toHaveLength(4)
  expect(requests()).toBe(n1)

  clock.advance(61_000)
  const faults = () => rig.emu.gradebook.counters.faultsInjected
  const f0 = faults()
  rig.emu.failAgs({ mode: '500', times: 1000, endpoints: 'all' })
  expect(await cache.campaignLearners(campaign)).toMatchObject({ unavailableCourses: 0, learners: expect.any(Array) })
  expect((await cache.campaignLearners(campaign))?.learners).toHaveLength(4)
  expect(faults()).toBe(f0 + 1) // one failed attempt, then no retry within failureTtlMs
  const n2 = requests()

  rig.emu.clearFaults()
  clock.advance(11_000)
  expect((await cache.campaignLearners(campaign))?.learners).toHaveLength(4)
  expect(requests()).toBeGreaterThan(n2)

  // Another organization's id never reaches the roster.
  expect(await cache.campaignLearners({ id: campaignId, organizationId: '00000000-0000-4000-8000-000000000000' })).toBeNull()
})

test('an LMS that is gone: the last roster read is still shown; without one, the tab says it is unavailable', async () => {
  await rig.emu.close()
  // Cached (even past its freshness the last roster read would be kept).
  expect((await orga<ActivityJson>(teacherCookie, `/campaigns/${campaignId}/activity`)).json.notStarted?.learners).toHaveLength(3)
  rig.jalon.lti.rosters.clear()
  const { status, json } = await orga<ActivityJson>(teacherCookie, `/campaigns/${campaignId}/activity`)
  expect(status).toBe(200)
  expect(json.notStarted?.unavailable).toBe(true)
})
