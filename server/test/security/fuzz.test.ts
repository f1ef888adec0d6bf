/**
 * Input fuzzing (fast-check, fixed seed) of every JSON route of the wired app, with the credentials that
 * reach its validation: hostile bodies (wrong types, huge and odd strings, deep nesting, prototype-pollution
 * keys, SQL metacharacters, unicode oddities, numbers as strings, arrays for scalars), hostile path params and
 * queries. Never a 500; every error has the { error: { code, message } } shape and no stack; a refused
 * request changes no row (fingerprint of every table before and after).
 */
import fc from 'fast-check'
import { listRoutes, ROUTE_ACCESS, type RouteInfo } from './routes'
import { client, createWorld, databaseFingerprint, type Client, type World } from './world'

const SEED = 20260907
const RUNS = Number(process.env.JALON_FUZZ_RUNS ?? 30)
// Sessions and sign-in counters move on purpose (a failed sign-in counts); nothing else may.
const VOLATILE = ['orga_sessions', 'login_throttles', 'lti_sessions']

let w: World
let alice: Client

beforeAll(async () => {
  w = await createWorld()
  alice = await client(w.url).signIn(w.a.adminEmail)
}, 120_000)
afterAll(async () => {
  await w?.close()
})

const FIELDS = [
  'name', 'ownerId', 'type', 'targetProfileId', 'email', 'password', 'token', 'emails', 'role', 'organizationId', 'campaignIds', 'code',
  'challengeId', 'value', 'timedOut', 'competenceCode', 'participantExternalId', 'count', 'activationDate', 'expirationDate', 'firstName',
  'lastName', 'customLandingPageText', 'title', 'externalIdLabel', 'externalIdType', 'multipleSendings',
]
const QUERY_KEYS = ['page', 'pageSize', 'search', 'name', 'scope', 'status', 'ownerId', 'sort', 'stages', 'badges', 'certifiable', 'group', 'studentNumber', 'certificability', '__proto__', 'constructor']

const nasty = fc.constantFrom(
  "' OR '1'='1",
  "1; DROP TABLE users; --",
  "%' OR 1=1 --",
  "\\'; SELECT pg_sleep(5); --",
  '\\',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202Egnp.exe',
  '\uD800',
  'ﬁ',
  'Ａｄｍｉｎ',
  '🦊'.repeat(40),
  '<script>window.__pwned=1</script>',
  '=cmd|" /C calc"!A0',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
  '0x1F',
  '00000000-0000-0000-0000-000000000000',
  '',
  ' ',
  'null',
  'true',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '${7*7}',
  '{{7*7}}',
)
const hostileString = fc.oneof(
  { weight: 4, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.nat(60_000).map((n) => 'é'.repeat(n)) },
)
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', ...FIELDS), fc.string({ maxLength: 8 }))
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
}))

/** Raw bodies JSON.stringify cannot produce: own __proto__ keys, broken JSON, deep nesting, oversize. */
const rawBody = fc.constantFrom(
  '{"__proto__":{"isAdmin":true,"role":"ADMIN"},"constructor":{"prototype":{"polluted":1}}}',
  '{"name":"x","__proto__":{"organizationId":"00000000-0000-0000-0000-000000000000"}}',
  '{"a":',
  'null',
  '"just a string"',
  '12',
  '[' .repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
  JSON.stringify({ name: 'x'.repeat(200_000) }),
)

/** A valid-looking body per route, so one mutated field reaches the deeper checks. */
function baseBody(r: RouteInfo, world: World): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /api/orga/auth/sign-in': { email: 'nobody@secu.test', password: 'Not-The-Password-1' },
    'POST /api/orga/auth/password-reset': { email: 'nobody@secu.test' },
    'POST /api/orga/auth/password-reset/confirm': { token: 'x'.repeat(40), password: 'Un-Mot-De-Passe-1' },
    'POST /api/orga/invitations/lookup': { token: 'x'.repeat(40) },
    'POST /api/orga/invitations/accept': { token: 'x'.repeat(40), password: 'Un-Mot-De-Passe-1' },
    'POST /api/orga/invitations': { emails: ['x@'], role: 'MEMBER' },
    'PUT /api/orga/members/:userId/role': { role: 'MEMBER' },
    'PUT /api/orga/me/organization': { organizationId: world.b.orgId },
    'POST /api/orga/places/lots': { count: 'x', activationDate: '2026-01-01' },
    'POST /api/orga/campaigns': { name: '', ownerId: world.a.adminId, type: 'ASSESSMENT', targetProfileId: 'tp_kit_survie' },
    'POST /api/orga/campaigns/deletion': { campaignIds: [world.b.campaignId] },
    'PATCH /api/orga/campaigns/:campaignId': { name: '' },
    'POST /api/lti/session': { code: 'not-a-code' },
    'POST /api/learner/assessments/:id/answers': { challengeId: 'rec-x', value: '1' },
    'POST /api/learner/assessments/:id/start-challenge': { challengeId: 'rec-x' },
    'POST /api/learner/competence-evaluations': { competenceCode: '9.9' },
    'POST /api/learner/campaigns/:code/participations': { participantExternalId: null },
  }
  return bodies[r.key] ?? {}
}

/** Credentials that reach the route's own validation (sign-out and logout without any: they would end ours). */
function credentials(r: RouteInfo, world: World): { c?: Client; headers: Record<string, string> } {
  const kind = ROUTE_ACCESS[r.key]
  if (kind === 'learner') return { headers: { authorization: `Bearer ${world.lea.token}` } }
  if (kind === 'teacher') return { headers: { authorization: `Bearer ${world.teacherToken}` } }
  if (kind === 'orga' || kind === 'orga-admin') return { c: alice, headers: {} }
  return { headers: {} }
}

/** Valid values for path params (mixed with hostile ones by the generator). */
function validParams(world: World): Record<string, string> {
  return { campaignId: world.a.campaignId, participationId: world.a.participationId, userId: world.a.memberId, id: world.lea.assessmentId, code: world.lea.code, tutorialId: 'tuto', competenceCode: '1.1' }
}

interface Probe {
  params: Record<string, string>
  query: [string, string][]
  body: string | undefined
  contentType: string
}

function probeOf(r: RouteInfo, world: World): fc.Arbitrary<Probe> {
  const names = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!)
  const valid = validParams(world)
  const params = fc.record(Object.fromEntries(names.map((n) => [n, fc.oneof(fc.constant(valid[n] ?? 'x'), hostileString.filter((s) => s.length > 0 && s.length < 2000))])))
  const query = fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), hostileString.filter((s) => s.length < 2000)), { maxLength: 4 })
  const base = baseBody(r, world)
  const keys = Object.keys(base)
  const body: fc.Arbitrary<string | undefined> =
    r.method === 'GET'
      ? fc.constant(undefined)
      : fc.oneof(
          hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
          fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 5 }).map((d) => JSON.stringify({ ...base, ...d })),
          keys.length ? fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => JSON.stringify({ ...base, [k]: v })) : hostileValue.map((v) => JSON.stringify(v) ?? 'null'),
          rawBody,
        )
  const contentType = fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded')
  return fc.record({ params, query, body, contentType })
}

const ERROR_SHAPE = (body: unknown) => {
  const e = (body as { error?: { code?: unknown; message?: unknown } }).error
  return typeof e?.code === 'string' && typeof e.message === 'string'
}

const jsonRoutes = () => listRoutes(w.rig.jalon.app).filter((r) => r.path.startsWith('/api/'))
/** Known before the app starts (test.each needs them); the tenancy suite fails on any route missing here. */
const JSON_KEYS = Object.keys(ROUTE_ACCESS).filter((k) => k.split(' ')[1]!.startsWith('/api/'))

test('the fuzzed routes are every JSON route of the app', () => {
  expect(jsonRoutes().map((r) => r.key).sort()).toEqual([...JSON_KEYS].sort())
})

test.each(JSON_KEYS)('%s: never a 500, errors keep their shape, a refused request changes nothing', async (key) => {
  const r = jsonRoutes().find((x) => x.key === key)!
  const problems: string[] = []
  let baseline = await databaseFingerprint(w.db, VOLATILE)
  const { c, headers } = credentials(r, w)
  await fc.assert(
    fc.asyncProperty(probeOf(r, w), async (p) => {
      const path = r.path.replace(/:([A-Za-z]+)/g, (_m, n: string) => encodeURIComponent(p.params[n]!))
      const qs = new URLSearchParams(p.query).toString()
      const url = `${path}${qs ? `?${qs}` : ''}`
      const h = { ...headers, ...(p.body !== undefined ? { 'content-type': p.contentType } : {}) }
      let res: Response
      let text: string
      try {
        res = c ? await c.call(r.method, url, p.body, h) : await fetch(`${w.url}${url}`, { method: r.method, headers: h, body: p.body, redirect: 'manual' })
        text = await res.text()
      } catch (err) {
        // A dropped connection is a failure too (fast-check's own errors are swallowed below).
        problems.push(`no answer (${(err as Error).message}): ${url.slice(0, 120)} ${String(p.body).slice(0, 120)}`)
        return false
      }
      const label = `${res.status} ${url.slice(0, 120)} ${String(p.body).slice(0, 120)}`
      if (res.status >= 500) problems.push(`500: ${label}`)
      if (/\bat .+\(.+:\d+:\d+\)|node_modules|\/src\//.test(text)) problems.push(`stack: ${label}`)
      if (res.status >= 400) {
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          parsed = undefined
        }
        if (!parsed || !ERROR_SHAPE(parsed)) problems.push(`shape: ${label} ${text.slice(0, 80)}`)
        const now = await databaseFingerprint(w.db, VOLATILE)
        const changed = Object.keys(now).filter((t) => now[t] !== baseline[t])
        if (changed.length) problems.push(`changed ${changed.join(',')}: ${label}`)
        baseline = now
      } else {
        baseline = await databaseFingerprint(w.db, VOLATILE)
      }
      return problems.length === 0
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  ).catch(() => undefined)
  expect(problems).toEqual([])
})

test('prototype-pollution keys pollute nothing in the server process', async () => {
  // Same process as the app: a polluted Object.prototype would show here.
  const res = await alice.call('PATCH', `/api/orga/campaigns/${w.a.campaignId}`, '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}', {
    'content-type': 'application/json',
  })
  expect(res.status).toBeLessThan(500)
  expect(({} as { polluted?: string }).polluted).toBeUndefined()
  const learners = await alice.call('GET', '/api/orga/learners?__proto__[polluted]=yes&constructor[prototype][polluted]=yes')
  expect(learners.status).toBeLessThan(500)
  expect(({} as { polluted?: string }).polluted).toBeUndefined()
})

test('HTML routes of the LTI flow answer hostile forms and queries without a 500 or a stack', async () => {
  const pages = listRoutes(w.rig.jalon.app).filter((r) => r.path.startsWith('/lti/') && !r.path.startsWith('/lti/admin/') && r.path !== '/lti/admin' && r.key !== 'GET /lti/register')
  const problems: string[] = []
  for (const r of pages) {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('iss', 'login_hint', 'target_link_uri', 'lti_message_hint', 'client_id', 'lti_deployment_id', 'id_token', 'state', 'ticket', 'action', 'name', 'code', 'error', 'lti_storage_target', '__proto__'), hostileString.filter((s) => s.length < 3000), { maxKeys: 5 }), async (form) => {
        const params = new URLSearchParams(Object.entries(form))
        const res =
          r.method === 'GET'
            ? await fetch(`${w.url}${r.path}?${params}`, { redirect: 'manual' })
            : await fetch(`${w.url}${r.path}`, { method: 'POST', body: params, redirect: 'manual' })
        const text = await res.text()
        if (res.status >= 500 || /\bat .+\(.+:\d+:\d+\)|node_modules/.test(text)) problems.push(`${r.key} ${res.status} ${params.toString().slice(0, 160)}`)
        return problems.length === 0
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    ).catch(() => undefined)
  }
  expect(problems).toEqual([])
})
