import { MEDIA, SCOPE } from './claims'
import { startRig, type Rig } from './test-helpers'

const ALL = [SCOPE.lineItem, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score]

describe('LMS emulator: AGS like Moodle’s gradebookservices', () => {
  let rig: Rig
  let token: string
  let lineItemUrl: string
  beforeAll(async () => {
    rig = await startRig()
    const t = await rig.tool.accessToken(ALL)
    token = String(t.body.access_token)
    lineItemUrl = rig.emu.lineItems()[0]?.url ?? ''
  })
  afterAll(() => rig.close())

  const scoresUrl = (url: string): string => url.replace('/lineitem?', '/lineitem/scores?')
  const post = (url: string, body: unknown, contentType: string = MEDIA.score, bearer = token): Promise<Response> =>
    fetch(scoresUrl(url), { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': contentType }, body: JSON.stringify(body) })
  const score = (userId: string, timestamp: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    userId,
    scoreGiven: 85,
    scoreMaximum: 100,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    timestamp,
    ...extra,
  })

  test('token endpoint: client_credentials with a signed assertion; granted = requested ∩ permitted; 3600 s', async () => {
    const t = await rig.tool.accessToken([SCOPE.score, 'https://example.invalid/other'])
    expect(t.status).toBe(200)
    expect(t.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPE.score })
    expect((await rig.tool.accessToken(['https://example.invalid/other'])).body).toEqual({ error: 'invalid_scope' })
  })

  test('token endpoint rejects a bad assertion: foreign key, wrong audience, wrong grant', async () => {
    const { tool, details } = rig
    const send = async (fields: Record<string, string>): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(details.accessTokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          scope: SCOPE.score,
          ...fields,
        }).toString(),
      })
      return { status: res.status, body: await res.json() }
    }
    const now = Math.floor(Date.now() / 1000)
    const claims = { iss: details.clientId, sub: details.clientId, aud: details.accessTokenUrl, iat: now, exp: now + 60, jti: 'j1' }
    expect(await send({ client_assertion: await tool.sign(claims) })).toMatchObject({ status: 200 })
    expect(await send({ client_assertion: await tool.sign(claims, { key: 'other' }) })).toMatchObject({ status: 400, body: { error: 'invalid_client' } })
    expect(await send({ client_assertion: await tool.sign({ ...claims, aud: 'https://elsewhere.example' }) })).toMatchObject({ status: 400, body: { error: 'invalid_client' } })
    expect(await send({ client_assertion: await tool.sign({ ...claims, exp: now - 300, iat: now - 400 }) })).toMatchObject({ status: 400, body: { error: 'invalid_client' } })
    expect(await send({ client_assertion: await tool.sign(claims), grant_type: 'password' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } })
    expect(await send({ client_assertion: 'not-a-jwt' })).toMatchObject({ status: 400 })
  })

  test('line item URLs carry ?type_id=; the container lists the activity’s column; readonly token cannot create', async () => {
    const { emu, details } = rig
    expect(lineItemUrl).toMatch(new RegExp(`^${emu.url}/mod/lti/services.php/2/lineitems/\\d+/lineitem\\?type_id=${details.typeId}$`))
    const res = await fetch(`${emu.url}/mod/lti/services.php/2/lineitems?type_id=${details.typeId}`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain(MEDIA.lineItemContainer)
    const items = (await res.json()) as Array<Record<string, unknown>>
    expect(items).toContainEqual({ id: lineItemUrl, label: 'Positionnement numérique (Jalon)', scoreMaximum: 100, resourceId: '', tag: '', resourceLinkId: emu.demoActivityId, ltiLinkId: emu.demoActivityId })
    expect((await fetch(`${emu.url}/mod/lti/services.php/2/lineitems?type_id=${details.typeId}`)).status).toBe(401)
    const ro = String((await rig.tool.accessToken([SCOPE.lineItemReadonly])).body.access_token)
    const denied = await fetch(`${emu.url}/mod/lti/services.php/2/lineitems?type_id=${details.typeId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ro}`, 'content-type': MEDIA.lineItem },
      body: JSON.stringify({ label: 'x', scoreMaximum: 10 }),
    })
    expect(denied.status).toBe(401)
  })

  test('tool-created line items: POST 201, GET, PUT, DELETE; the activity’s own item cannot be deleted; bad resourceLinkId 403', async () => {
    const { emu, details } = rig
    const container = `${emu.url}/mod/lti/services.php/2/lineitems?type_id=${details.typeId}`
    const h = { authorization: `Bearer ${token}`, 'content-type': MEDIA.lineItem }
    const created = await fetch(container, { method: 'POST', headers: h, body: JSON.stringify({ label: 'Cert', scoreMaximum: 1, resourceId: 'r1', tag: 'jalon' }) })
    expect(created.status).toBe(201)
    const item = (await created.json()) as { id: string }
    expect(item.id).toMatch(/\/lineitems\/\d+\/lineitem\?type_id=\d+$/)
    expect((await fetch(container, { method: 'POST', headers: h, body: JSON.stringify({ scoreMaximum: 1 }) })).status).toBe(400)
    expect((await fetch(container, { method: 'POST', headers: h, body: JSON.stringify({ label: 'x', scoreMaximum: 1, resourceLinkId: '999' }) })).status).toBe(403)
    const put = await fetch(item.id, { method: 'PUT', headers: h, body: JSON.stringify({ label: 'Cert 2', scoreMaximum: 20 }) })
    expect(await put.json()).toMatchObject({ label: 'Cert 2', scoreMaximum: 20, tag: 'jalon' })
    const filtered = (await (await fetch(`${container}&tag=jalon`, { headers: h })).json()) as unknown[]
    expect(filtered).toHaveLength(1)
    expect((await fetch(item.id, { method: 'DELETE', headers: h })).status).toBe(204)
    expect((await fetch(item.id, { headers: h })).status).toBe(404)
    expect((await fetch(lineItemUrl, { method: 'DELETE', headers: h })).status).toBe(403)
  })

  test('scores: 200 with an empty body, rescaled, read back through results', async () => {
    const { emu } = rig
    const res = await post(lineItemUrl, score(emu.users.lea.id, '2026-11-24T01:14:14.943Z', { scoreGiven: 17, scoreMaximum: 20, comment: 'Bien' }))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
    const results = await fetch(lineItemUrl.replace('/lineitem?', '/lineitem/results?'), { headers: { authorization: `Bearer ${token}` } })
    expect(results.headers.get('content-type')).toContain(MEDIA.resultContainer)
    expect(await results.json()).toEqual([
      {
        id: `${lineItemUrl.replace('/lineitem?', '/lineitem/results?')}&user_id=4`,
        userId: '4',
        resultScore: 85,
        resultMaximum: 100,
        comment: 'Bien',
        scoreOf: lineItemUrl,
        timestamp: '2026-11-24T01:14:14+00:00',
      },
    ])
    expect(emu.gradebook.grades({ userId: '4' })[0]?.grade).toBe(85)
  })

  test('409 when the timestamp is not later — at Moodle’s one-second resolution', async () => {
    const { emu } = rig
    const u = emu.users.ines.id
    expect((await post(lineItemUrl, score(u, '2026-11-24T10:00:00.100Z'))).status).toBe(200)
    expect((await post(lineItemUrl, score(u, '2026-11-24T10:00:00.100Z'))).status).toBe(409)
    const sameSecond = await post(lineItemUrl, score(u, '2026-11-24T10:00:00.900Z'))
    expect(sameSecond.status).toBe(409)
    expect(await sameSecond.text()).toMatch(/^Refusing score with an earlier timestamp for item \d+ and user 7$/)
    expect((await post(lineItemUrl, score(u, '2026-11-24T09:59:59Z'))).status).toBe(409)
    expect((await post(lineItemUrl, score(u, '2026-11-24T10:00:01Z'))).status).toBe(200)
    emu.settings.scoreTimestampResolution = 'millisecond'
    expect((await post(lineItemUrl, score(u, '2026-11-24T10:00:01.500Z'))).status).toBe(200)
    emu.settings.scoreTimestampResolution = 'second'
  })

  test('scoreGiven is discarded unless gradingProgress is FullyGraded (and clears the grade)', async () => {
    const { emu } = rig
    const u = emu.users.noName.id
    expect((await post(lineItemUrl, score(u, '2026-11-24T11:00:00Z'))).status).toBe(200)
    expect(emu.gradebook.grades({ userId: u })[0]?.grade).toBe(85)
    expect((await post(lineItemUrl, score(u, '2026-11-24T11:00:05Z', { gradingProgress: 'Pending', activityProgress: 'InProgress' }))).status).toBe(200)
    expect(emu.gradebook.grades({ userId: u })[0]?.grade).toBeNull()
    expect(emu.gradebook.scores({ userId: u }).map((s) => s.keptScore)).toEqual([85, null])
  })

  test('Moodle’s 400s: not a gradebook role (teacher, admin), wrong content type, missing fields, scoreGiven without scoreMaximum', async () => {
    const { emu } = rig
    const ts = '2026-11-24T12:00:00Z'
    expect((await post(lineItemUrl, score(emu.users.teacher.id, ts))).status).toBe(400)
    const admin = await post(lineItemUrl, score(emu.users.admin.id, ts))
    expect(admin.status).toBe(400)
    expect(await admin.text()).toMatch(/^Incorrect score received/)
    expect((await post(lineItemUrl, score(emu.users.lea.id, '2026-11-25T00:00:00Z'), 'application/json')).status).toBe(400)
    expect((await post(lineItemUrl, { userId: emu.users.lea.id, timestamp: ts })).status).toBe(400)
    expect((await post(lineItemUrl, score(emu.users.lea.id, '2026-11-25T00:00:00Z', { scoreMaximum: undefined }))).status).toBe(400)
    expect((await post(lineItemUrl, score(emu.users.lea.id, 'yesterday'))).status).toBe(400)
    expect((await post(lineItemUrl, score(emu.users.lea.id, ts), MEDIA.score, 'bad-token')).status).toBe(401)
  })

  test('fault injection: 500 then 409 then a hanging request, then recovery; counters count every POST', async () => {
    const { emu } = rig
    const u = emu.users.lea.id
    const before = { ...emu.gradebook.counters }
    emu.failAgs({ mode: '500', times: 2 })
    emu.failAgs({ mode: '409', times: 1 })
    emu.failAgs({ mode: 'timeout', times: 1, delayMs: 200 })
    expect((await post(lineItemUrl, score(u, '2026-12-01T00:00:00Z'))).status).toBe(500)
    expect((await post(lineItemUrl, score(u, '2026-12-01T00:00:00Z'))).status).toBe(500)
    expect((await post(lineItemUrl, score(u, '2026-12-01T00:00:00Z'))).status).toBe(409)
    await expect(post(lineItemUrl, score(u, '2026-12-01T00:00:00Z'))).rejects.toThrow()
    expect((await post(lineItemUrl, score(u, '2026-12-01T00:00:00Z'))).status).toBe(200)
    const c = emu.gradebook.counters
    expect(c.scorePosts - before.scorePosts).toBe(5)
    expect(c.faultsInjected - before.faultsInjected).toBe(4)
    expect(c.scoresAccepted - before.scoresAccepted).toBe(1)
    expect(emu.gradebook.scores({ userId: u }).filter((s) => s.body.timestamp === '2026-12-01T00:00:00Z')).toHaveLength(1)
  })
})
