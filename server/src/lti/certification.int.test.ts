/**
 * 1EdTech certification cases (lti-notes §11) plus the replay, expiry, deployment, key-rotation and
 * clock cases, against the LMS emulator: bad payloads get the French error page with their reason,
 * valid launches get in.
 */
import { eq } from 'drizzle-orm'
import { CLAIM, parseForm } from '../../../scripts/lms-emulator'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { testLogger } from '../../test/logger'
import { ltiLoginStates } from '../db/schema'
import { startLtiRig, type LtiRig } from '../../test/lti-rig'

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

const learner = () => rig.emu.users.lea.id
const teacher = () => rig.emu.users.teacher.id
const reasonOf = (body: string) => /<code>([A-Z_]+)<\/code>/.exec(body)?.[1]

function expectRefused(r: { launchResponse: Response; launchBody: string }, reason: string) {
  expect(r.launchResponse.status).toBe(400)
  expect(r.launchBody).toContain('Impossible d’ouvrir Jalon')
  expect(reasonOf(r.launchBody)).toBe(reason)
}
function expectAccepted(r: { launchResponse: Response; launchBody: string }) {
  expect(reasonOf(r.launchBody)).toBeUndefined()
  expect([200, 303]).toContain(r.launchResponse.status)
}

describe('known bad payloads are refused with a friendly page', () => {
  const del = (key: string) => (c: Record<string, unknown>) => {
    delete c[key]
  }
  const cases: [string, Parameters<LtiRig['emu']['launch']>[0] extends infer I ? Omit<I & object, 'userId'> : never, string][] = [
    ['no kid in the header', { sign: { kid: null } }, 'MISSING_KID'],
    ['incorrect kid', { sign: { kid: 'not-a-known-kid' } }, 'UNKNOWN_KID'],
    ['key not in the JWKS', { sign: { foreignKey: true } }, 'BAD_SIGNATURE'],
    ['alg none', { sign: { alg: 'none' } }, 'BAD_ALGORITHM'],
    ['HS256 keyed with the public key', { sign: { alg: 'HS256-public-key' } }, 'BAD_ALGORITHM'],
    ['wrong LTI version', { tamper: (c) => void (c[CLAIM.version] = '11.3') }, 'BAD_VERSION'],
    ['no LTI version', { tamper: del(CLAIM.version) }, 'MISSING_VERSION'],
    ['missing aud', { tamper: del('aud') }, 'BAD_AUDIENCE'],
    ['missing iss', { tamper: del('iss') }, 'BAD_ISSUER'],
    ['missing sub', { tamper: del('sub') }, 'MISSING_SUB'],
    ['missing deployment_id', { tamper: del(CLAIM.deploymentId) }, 'MISSING_DEPLOYMENT_ID'],
    ['missing roles', { tamper: del(CLAIM.roles) }, 'MISSING_ROLES'],
    ['missing message_type', { tamper: del(CLAIM.messageType) }, 'MISSING_MESSAGE_TYPE'],
    ['missing resource_link id', { tamper: (c) => void (c[CLAIM.resourceLink] = { title: 'x' }) }, 'MISSING_RESOURCE_LINK'],
    ['expired token', { tamper: (c) => void ((c.iat = Math.floor(Date.now() / 1000) - 600), (c.exp = Math.floor(Date.now() / 1000) - 540)) }, 'TOKEN_EXPIRED'],
    ['iat in the future', { tamper: (c) => void ((c.iat = Math.floor(Date.now() / 1000) + 600), (c.exp = Math.floor(Date.now() / 1000) + 660)) }, 'BAD_TIMESTAMPS'],
    ['wrong audience', { tamper: (c) => void (c.aud = 'someone-else') }, 'BAD_AUDIENCE'],
    ['several audiences without azp', { tamper: (c) => void (c.aud = [String(c.aud), 'other']) }, 'BAD_AZP'],
    ['unregistered deployment', { tamper: (c) => void (c[CLAIM.deploymentId] = '999') }, 'UNKNOWN_DEPLOYMENT'],
    ['nonce not the one Jalon sent', { tamper: (c) => void (c.nonce = 'forged') }, 'NONCE_MISMATCH'],
    ['unknown message type', { tamper: (c) => void (c[CLAIM.messageType] = 'LtiFancyRequest') }, 'UNSUPPORTED_MESSAGE_TYPE'],
  ]
  test.each(cases)('%s', async (_name, input, reason) => {
    expectRefused(await rig.emu.launch({ userId: learner(), resourceLinkId: rig.emu.demoActivityId, ...input }), reason)
  })

  test('not a JWT at all', async () => {
    const init = rig.emu.buildLoginInitiation({ userId: learner(), resourceLinkId: rig.emu.demoActivityId })
    const login = await fetch(init.url, { method: 'POST', redirect: 'manual', body: new URLSearchParams(init.params) })
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!
    const res = await fetch(`${rig.jalon.url}/lti/launch`, { method: 'POST', body: new URLSearchParams({ id_token: 'not.a.jwt', state }) })
    expect(res.status).toBe(400)
    expect(reasonOf(await res.text())).toBe('INVALID_JWT')
  })
})

describe('valid launches are accepted', () => {
  const setRoles = (roles: string[]) => (c: Record<string, unknown>) => void (c[CLAIM.roles] = roles)
  const cases: [string, () => string, ((c: Record<string, unknown>) => void) | undefined][] = [
    ['as an instructor', teacher, undefined],
    ['as a student', learner, undefined],
    ['with several roles', learner, setRoles(['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner', 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student'])],
    ['with a short role', learner, setRoles(['Learner'])],
    ['with an unknown role', learner, setRoles(['http://example.com/roles#Wizard'])],
    ['with no role', learner, setRoles([''])],
    ['with only an e-mail', learner, (c) => void (delete c.name, delete c.given_name, delete c.family_name)],
    ['with only names', learner, (c) => void delete c.email],
    ['with no personal data', learner, (c) => void (delete c.name, delete c.given_name, delete c.family_name, delete c.email)],
    ['with an e-mail but no context', learner, (c) => void delete c[CLAIM.context]],
    ['with several audiences and azp', learner, (c) => void ((c.azp = c.aud), (c.aud = [String(c.aud), 'other']))],
  ]
  test.each(cases)('%s', async (_name, user, tamper) => {
    expectAccepted(await rig.emu.launch({ userId: user(), resourceLinkId: rig.emu.demoActivityId, tamper }))
  })
})

describe('replay, expiry and keys', () => {
  test('a replayed id_token (same state and nonce) is refused', async () => {
    const r = await rig.emu.launch({ userId: learner(), resourceLinkId: rig.emu.demoActivityId })
    expectAccepted(r)
    const again = await fetch(`${rig.jalon.url}/lti/launch`, { method: 'POST', body: new URLSearchParams(r.posted) })
    expect(again.status).toBe(400)
    expect(reasonOf(await again.text())).toBe('STATE_ALREADY_USED')
  })

  async function loginOnly() {
    const init = rig.emu.buildLoginInitiation({ userId: learner(), resourceLinkId: rig.emu.demoActivityId })
    const login = await fetch(init.url, { method: 'POST', redirect: 'manual', body: new URLSearchParams(init.params) })
    expect(login.status).toBe(302)
    const auth = new URL(login.headers.get('location')!)
    return { state: auth.searchParams.get('state')!, nonce: auth.searchParams.get('nonce')!, auth }
  }

  test('an expired state is refused', async () => {
    const { auth, state } = await loginOnly()
    const answer = parseForm(await (await fetch(auth)).text())!
    await db.db.update(ltiLoginStates).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(ltiLoginStates.state, state))
    const res = await fetch(answer.action, { method: 'POST', body: new URLSearchParams(answer.fields) })
    expect(res.status).toBe(400)
    expect(reasonOf(await res.text())).toBe('STATE_EXPIRED')
  })

  test('a nonce already used with another state is refused', async () => {
    const first = await loginOnly()
    const claims = rig.emu.buildIdTokenClaims({ userId: learner(), resourceLinkId: rig.emu.demoActivityId, nonce: first.nonce })
    const token = await rig.emu.signIdToken(claims)
    const ok = await fetch(`${rig.jalon.url}/lti/launch`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ id_token: token, state: first.state }) })
    expect(reasonOf(await ok.text())).toBeUndefined()
    const second = await loginOnly()
    const replay = await fetch(`${rig.jalon.url}/lti/launch`, { method: 'POST', body: new URLSearchParams({ id_token: token, state: second.state }) })
    expect(reasonOf(await replay.text())).toBe('NONCE_MISMATCH')
  })

  test('a token 59 s old is accepted (Moodle tokens live 60 s)', async () => {
    const { state, nonce } = await loginOnly()
    const claims = rig.emu.buildIdTokenClaims({ userId: learner(), resourceLinkId: rig.emu.demoActivityId, nonce, now: Math.floor(Date.now() / 1000) - 59 })
    const res = await fetch(`${rig.jalon.url}/lti/launch`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ id_token: await rig.emu.signIdToken(claims), state }),
    })
    expect(reasonOf(await res.text())).toBeUndefined()
    expect(res.status).toBe(200)
  })

  test('an unknown kid is refused, then a rotated platform key is fetched and accepted', async () => {
    expectRefused(await rig.emu.launch({ userId: learner(), resourceLinkId: rig.emu.demoActivityId, sign: { kid: 'rotated-later' } }), 'UNKNOWN_KID')
    await rig.emu.rotateKey()
    expectAccepted(await rig.emu.launch({ userId: learner(), resourceLinkId: rig.emu.demoActivityId }))
  })

  test('a launch without any cookie works (third-party cookies blocked)', async () => {
    expectAccepted(await rig.emu.launch({ userId: learner(), resourceLinkId: rig.emu.demoActivityId, cookies: false }))
  })

  test('a GET login initiation works too', async () => {
    expectAccepted(await rig.emu.launch({ userId: learner(), resourceLinkId: rig.emu.demoActivityId, initiationMethod: 'GET' }))
  })

  test('an unknown issuer gets a friendly login page', async () => {
    const res = await fetch(`${rig.jalon.url}/lti/login?iss=https://unknown.example&login_hint=1&target_link_uri=x`)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Plateforme non enregistrée')
  })
})
