/**
 * Tenancy and access, route by route, on the real app built by startJalon: every route is classified
 * (public / learner / teacher / orga / orga-admin / lti-admin), every non-public route refuses callers without
 * the right credentials, organization A never reaches B's objects through any route that takes an id, a
 * learner never reaches another learner's assessment, and a member who does not own a campaign cannot
 * change, archive or delete it. Nothing any of these refused requests sends changes a row.
 */
import { existsSync } from 'node:fs'
import { CLIENT_DIST } from '../../src/http/client-assets'
import { fillPath, listRoutes, OPTIONAL_ROUTES, ROUTE_ACCESS, type Access, type RouteInfo } from './routes'
import { B_SECRET, client, createWorld, databaseFingerprint, type Client, type Tenant, type World } from './world'

let w: World
let routes: RouteInfo[]
let aliceA: Client
let marcA: Client
// Sessions and sign-in counters legitimately move; every other table must not.
const VOLATILE = ['orga_sessions', 'login_throttles', 'lti_sessions']

beforeAll(async () => {
  w = await createWorld({ clientDistDir: existsSync(CLIENT_DIST) ? CLIENT_DIST : undefined })
  routes = listRoutes(w.rig.jalon.app)
  aliceA = await client(w.url).signIn(w.a.adminEmail)
  marcA = await client(w.url).signIn(w.a.memberEmail)
}, 120_000)
afterAll(async () => {
  await w?.close()
})

const access = (r: RouteInfo): Access => ROUTE_ACCESS[r.key]!
const hasParams = (r: RouteInfo) => r.path.includes(':')

/** Path parameters pointing at a tenant's objects (`:id` depends on the resource). */
function paramsOf(t: Tenant, path: string, assessmentId: string, code: string): Record<string, string> {
  const id = path.includes('/invitations/') ? t.invitationId : path.includes('/lots/') ? t.lotId : assessmentId
  return { campaignId: t.campaignId, participationId: t.participationId, userId: t.adminId, id, code, tutorialId: 'tuto-inconnu', competenceCode: '1.1' }
}

/** A body valid enough to pass validation, so that the check under test is the one that answers. */
function plausibleBody(r: RouteInfo): unknown {
  if (r.key === 'PUT /api/orga/members/:userId/role') return { role: 'MEMBER' }
  if (r.key === 'PATCH /api/orga/campaigns/:campaignId') return { name: 'Détournée' }
  if (r.key.includes('/answers')) return { challengeId: 'rec-x', value: '1' }
  if (r.key.includes('/start-challenge')) return { challengeId: 'rec-x' }
  return r.method === 'GET' ? undefined : {}
}

async function send(c: Client | undefined, r: RouteInfo, path: string, headers: Record<string, string> = {}) {
  const body = plausibleBody(r)
  if (c) return c.call(r.method, path, body, headers)
  return fetch(`${w.url}${path}`, {
    method: r.method,
    redirect: 'manual',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

test('every route of the wired app is classified, and every classified route exists', () => {
  expect(routes.length).toBeGreaterThan(60)
  expect(routes.filter((r) => !(r.key in ROUTE_ACCESS)).map((r) => r.key)).toEqual([])
  const present = new Set(routes.map((r) => r.key))
  expect(Object.keys(ROUTE_ACCESS).filter((k) => !present.has(k) && !OPTIONAL_ROUTES.has(k))).toEqual([])
})

test('every non-public route refuses anonymous callers and callers with the wrong kind of credentials', async () => {
  const before = await databaseFingerprint(w.db, VOLATILE)
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const failures: string[] = []
  const expectStatus = (label: string, r: RouteInfo, status: number, allowed: number[]) => {
    if (!allowed.includes(status)) failures.push(`${label} ${r.key} → ${status}`)
  }
  for (const r of routes) {
    const kind = access(r)
    if (kind === 'public' || kind === 'dev') continue
    const path = fillPath(r.path, paramsOf(w.a, r.path, w.lea.assessmentId, w.lea.code))
    const anonymous = await send(undefined, r, path)
    if (kind === 'lti-admin') {
      expectStatus('anonymous', r, anonymous.status, [303])
      expect(anonymous.headers.get('location')).toBe('/lti/admin/login')
      // An Orga administrator and an LMS teacher are not the LTI admin.
      expectStatus('orga admin + teacher', r, (await send(aliceA, r, path, bearer(w.teacherToken))).status, [303])
      continue
    }
    expectStatus('anonymous', r, anonymous.status, [401])
    expectStatus('forged bearer', r, (await send(undefined, r, path, bearer('forged-token-0123456789'))).status, [401])
    if (kind === 'learner' || kind === 'teacher') {
      // An Orga cookie opens nothing of the LTI bearer API.
      expectStatus('orga cookie', r, (await send(aliceA, r, path)).status, [401])
    }
    if (kind === 'teacher') expectStatus('learner bearer', r, (await send(undefined, r, path, bearer(w.lea.token))).status, [403])
    if (kind === 'orga' || kind === 'orga-admin') {
      // A bearer token from the LMS is not an Orga session, even a teacher's.
      expectStatus('teacher bearer', r, (await send(undefined, r, path, bearer(w.teacherToken))).status, [401])
    }
    if (kind === 'orga-admin') expectStatus('member', r, (await send(marcA, r, path)).status, [403])
  }
  expect(failures).toEqual([])
  expect(await databaseFingerprint(w.db, VOLATILE)).toEqual(before)
})

test('organization A gets 403/404 on every route that names an object of B, and nothing of B changes', async () => {
  const before = await databaseFingerprint(w.db, VOLATILE)
  const failures: string[] = []
  const orgaRoutes = routes.filter((r) => (access(r) === 'orga' || access(r) === 'orga-admin') && hasParams(r))
  expect(orgaRoutes.length).toBeGreaterThan(15)
  for (const r of orgaRoutes) {
    const targets = [fillPath(r.path, paramsOf(w.b, r.path, '', ''))]
    // A's own campaign with B's participation: the pair must match too.
    if (r.path.includes(':participationId')) targets.push(fillPath(r.path, { campaignId: w.a.campaignId, participationId: w.b.participationId }))
    for (const path of targets)
      for (const [who, c] of [
        ['admin of A', aliceA],
        ['member of A', marcA],
      ] as const) {
        const res = await send(c, r, path)
        const text = await res.text()
        if (![403, 404].includes(res.status)) failures.push(`${who}: ${r.method} ${path} → ${res.status}`)
        if (text.includes(B_SECRET)) failures.push(`${who}: ${r.method} ${path} leaks B`)
      }
  }
  // Ids of B inside bodies.
  const probes: [Client, string, string, unknown][] = [
    [aliceA, 'POST', '/api/orga/campaigns', { name: 'Pour B', ownerId: w.b.adminId, type: 'ASSESSMENT', targetProfileId: 'tp_kit_survie' }],
    [aliceA, 'PATCH', `/api/orga/campaigns/${w.a.campaignId}`, { ownerId: w.b.adminId }],
    [aliceA, 'POST', '/api/orga/campaigns/deletion', { campaignIds: [w.b.campaignId] }],
    [marcA, 'POST', '/api/orga/campaigns/deletion', { campaignIds: [w.b.campaignId] }],
    [aliceA, 'PUT', '/api/orga/me/organization', { organizationId: w.b.orgId }],
  ]
  for (const [c, method, path, body] of probes) {
    const res = await c.call(method, path, body)
    if (res.status < 400 || res.status >= 500) failures.push(`${method} ${path} ${JSON.stringify(body)} → ${res.status}`)
  }
  expect(failures).toEqual([])
  expect(await databaseFingerprint(w.db, VOLATILE)).toEqual(before)
})

test('no Orga read of A shows anything of B, whatever the filters', async () => {
  const bIds = [w.b.orgId, w.b.adminId, w.b.memberId, w.b.campaignId, w.b.participationId, w.b.learnerId, w.b.invitationId, w.b.lotId]
  const leaks: string[] = []
  const reads = routes.filter((r) => r.method === 'GET' && (access(r) === 'orga' || access(r) === 'orga-admin'))
  const query = `?scope=all&ownerId=${w.b.adminId}&search=Secu&name=Campagne&status=active&pageSize=100`
  for (const r of reads) {
    const path = fillPath(r.path, paramsOf(w.a, r.path, '', ''))
    for (const q of ['', query]) {
      const res = await aliceA.call('GET', path + q)
      const text = await res.text()
      // Unfiltered reads must succeed (or the check proves nothing); a filter a route does not know may be a 400.
      if (res.status >= 500 || (q === '' && res.status !== 200)) leaks.push(`${path}${q} → ${res.status}`)
      if (text.includes(B_SECRET) || bIds.some((id) => text.includes(id))) leaks.push(`${path}${q} leaks B`)
    }
  }
  expect(leaks).toEqual([])
  // Control: the marker and ids are visible to B itself, so their absence above means something.
  const bruno = await client(w.url).signIn(w.b.adminEmail)
  expect(await (await bruno.call('GET', '/api/orga/campaigns?scope=all')).text()).toContain(B_SECRET)
  expect(await (await bruno.call('GET', `/api/orga/campaigns/${w.b.campaignId}/export.csv`)).text()).toContain(B_SECRET)
})

test('a learner never reads or answers another learner’s assessment, answers or results', async () => {
  const inesRows = async () =>
    (
      await w.db.pool.query(
        `SELECT (SELECT md5(string_agg(p::text, '|' ORDER BY p.id)) FROM campaign_participations p WHERE p.user_id = $1)
              || (SELECT coalesce(md5(string_agg(a::text, '|' ORDER BY a.id)), '') FROM assessments a WHERE a.user_id = $1)
              || (SELECT coalesce(md5(string_agg(x::text, '|' ORDER BY x.id)), '') FROM answers x JOIN assessments a ON a.id = x.assessment_id WHERE a.user_id = $1) AS f`,
        [w.ines.userId],
      )
    ).rows[0].f as string
  const before = await inesRows()
  const inesIds = [w.ines.userId, w.ines.participationId, w.ines.assessmentId, w.b.participationId]
  const failures: string[] = []
  const leaRoutes = routes.filter((r) => access(r) === 'learner' || r.key === 'GET /api/lti/me')
  for (const r of leaRoutes) {
    const sets = r.path.includes(':id')
      ? [{ id: w.ines.assessmentId }]
      : [
          { code: w.lea.code, tutorialId: 'tuto-inconnu', competenceCode: '1.1' },
          { code: w.b.campaignCode, tutorialId: 'tuto-inconnu', competenceCode: '1.1' },
        ]
    for (const params of sets) {
      const path = fillPath(r.path, params)
      const res = await send(undefined, r, path, { authorization: `Bearer ${w.lea.token}` })
      const text = await res.text()
      if (r.path.includes(':id') && res.status !== 404) failures.push(`${r.method} ${path} → ${res.status}`)
      if (res.status >= 500) failures.push(`${r.method} ${path} → ${res.status}`)
      if (inesIds.some((id) => text.includes(id))) failures.push(`${r.method} ${path} shows another learner`)
    }
  }
  expect(failures).toEqual([])
  expect(await inesRows()).toBe(before)
  // Control: Inès reads her own assessment with her own token.
  const own = await fetch(`${w.url}/api/learner/assessments/${w.ines.assessmentId}`, { headers: { authorization: `Bearer ${w.ines.token}` } })
  expect(own.status).toBe(200)
})

test('a member who does not own a campaign cannot change, archive, unarchive or delete it', async () => {
  const before = await databaseFingerprint(w.db, VOLATILE)
  const writes = routes.filter((r) => r.method !== 'GET' && r.path.startsWith('/api/orga/campaigns/:campaignId'))
  expect(writes.map((r) => r.key).sort()).toEqual(
    ['PATCH /api/orga/campaigns/:campaignId', 'POST /api/orga/campaigns/:campaignId/archive', 'POST /api/orga/campaigns/:campaignId/unarchive'].sort(),
  )
  const failures: string[] = []
  for (const r of writes) {
    const res = await send(marcA, r, fillPath(r.path, { campaignId: w.a.campaignId }))
    if (res.status !== 403) failures.push(`${r.key} → ${res.status}`)
  }
  const del = await marcA.call('POST', '/api/orga/campaigns/deletion', { campaignIds: [w.a.campaignId] })
  if (del.status !== 403) failures.push(`deletion → ${del.status}`)
  // Giving the campaign to oneself is a change too.
  const take = await marcA.call('PATCH', `/api/orga/campaigns/${w.a.campaignId}`, { ownerId: w.a.memberId })
  if (take.status !== 403) failures.push(`take ownership → ${take.status}`)
  expect(failures).toEqual([])
  expect(await databaseFingerprint(w.db, VOLATILE)).toEqual(before)
})
