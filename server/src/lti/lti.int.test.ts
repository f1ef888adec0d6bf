/** Learner and teacher launches from the LMS emulator over real HTTP, with real signed JWTs. */
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { testLogger } from '../../test/logger'
import { exchangeCode, startLtiRig, type LtiRig } from '../../test/lti-rig'

let db: TestDatabase
let rig: LtiRig

beforeAll(async () => {
  db = await createTestDatabase()
  rig = await startLtiRig(db.url, testLogger)
})
afterAll(async () => {
  await rig?.close()
  await db?.drop()
})

test('a learner opening an unconfigured activity gets the "pas encore configurée" page', async () => {
  const r = await rig.emu.launch({ userId: rig.emu.users.lea.id, resourceLinkId: rig.emu.demoActivityId })
  expect(r.launchResponse.status).toBe(200)
  expect(r.launchBody).toContain('pas encore configurée')
})

test('a teacher binds the unconfigured activity by creating a campaign, then a learner reaches the app', async () => {
  const t = await rig.emu.launch({ userId: rig.emu.users.teacher.id, resourceLinkId: rig.emu.demoActivityId })
  expect(t.launchResponse.status).toBe(200)
  expect(t.launchBody).toContain('Ajouter un test Jalon')
  const ticket = /name="ticket" value="([^"]+)"/.exec(t.launchBody)?.[1]
  expect(ticket).toBeTruthy()
  const created = await fetch(`${rig.jalon.url}/lti/picker`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket: ticket!, action: 'create', name: 'Positionnement L1', targetProfileId: 'tp_panorama_rentree' }).toString(),
  })
  expect(created.status).toBe(303)
  const teacherSession = await exchangeCode(rig.jalon.url, created.headers.get('location'))
  expect(teacherSession.launch).toMatchObject({ role: 'teacher', campaignId: expect.any(String) })

  const l = await rig.emu.launch({ userId: rig.emu.users.lea.id, resourceLinkId: rig.emu.demoActivityId, cookies: false })
  expect(l.launchResponse.status).toBe(303)
  const location = l.launchResponse.headers.get('location')!
  expect(location).toMatch(/^\/app\/\?launch=/)
  const session = await exchangeCode(rig.jalon.url, location)
  expect(session.launch).toMatchObject({
    role: 'learner',
    campaignId: teacherSession.launch.campaignId,
    externalId: '22400117',
    canReportScores: true,
    canReadRoster: true,
  })
  // The code works once.
  await expect(exchangeCode(rig.jalon.url, location)).rejects.toThrow(/401/)
  const me = await fetch(`${rig.jalon.url}/api/lti/me`, { headers: { authorization: `Bearer ${session.token}` } })
  expect(me.status).toBe(200)
  expect(((await me.json()) as { launch: { userId: string } }).launch.userId).toBe(session.launch.userId)
})
