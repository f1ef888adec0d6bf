/**
 * CSRF defence in depth on the real app: every Jalon Orga write (cookie-authenticated, plus sign-in/out,
 * invitations, resets) must name Jalon's own origin in Origin, or in Referer when Origin is absent. Safe
 * methods, bearer-authenticated routes and the LMS's cross-site form posts (login, launch, picker) are untouched.
 */
import { createApp } from '../../src/http/app'
import { createOrgaModule } from '../../src/organizations/orga-module'
import { systemClock } from '../../src/shared/clock'
import { listen } from '../http'
import { testLogger } from '../logger'
import { fillPath, listRoutes } from './routes'
import { client, createWorld, databaseFingerprint, PASSWORD, type Client, type World } from './world'

const VOLATILE = ['orga_sessions', 'login_throttles', 'lti_sessions']
const EVIL = 'https://evil.test'

let w: World
let admin: Client

beforeAll(async () => {
  w = await createWorld()
  admin = await client(w.url).signIn(w.a.adminEmail)
}, 120_000)
afterAll(async () => {
  await w?.close()
})

const errorCode = async (res: Response) => ((await res.json()) as { error?: { code?: string } }).error?.code

describe('Orga writes from another origin', () => {
  it('every Orga write route answers 403 CROSS_ORIGIN_REFUSED to a foreign Origin, a null Origin, a foreign Referer or a cross-site fetch, and nothing changes', async () => {
    const own = new URL(w.url)
    const hostile: Record<string, string>[] = [
      { origin: EVIL },
      { origin: 'null' },
      // Same site, another origin: SameSite=Lax would still send the cookie.
      { origin: `${own.protocol}//lms.${own.host}` },
      { origin: `https://${own.host}` },
      { origin: `${own.protocol}//${own.hostname}:1` },
      { referer: `${EVIL}/page?x=1` },
      { referer: 'not a url' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]
    const writes = listRoutes(w.rig.jalon.app).filter((r) => r.path.startsWith('/api/orga/') && r.method !== 'GET')
    expect(writes.length).toBeGreaterThan(15)
    const ids = { campaignId: w.a.campaignId, userId: w.a.memberId, id: w.a.invitationId }
    const before = await databaseFingerprint(w.db, VOLATILE)
    const problems: string[] = []
    for (const r of writes) {
      for (const headers of hostile) {
        const res = await admin.call(r.method, fillPath(r.path, ids), r.path.endsWith('/sign-in') ? { email: w.a.adminEmail, password: PASSWORD } : {}, headers)
        const code = await errorCode(res)
        if (res.status !== 403 || code !== 'CROSS_ORIGIN_REFUSED') problems.push(`${r.key} ${JSON.stringify(headers)}: ${res.status} ${code}`)
      }
    }
    // Express routing ignores case: so does the guard.
    const upper = await admin.call('POST', '/API/ORGA/campaigns', {}, { origin: EVIL })
    if (upper.status !== 403) problems.push(`POST /API/ORGA/campaigns: ${upper.status}`)
    expect(problems).toEqual([])
    expect(await databaseFingerprint(w.db, VOLATILE)).toEqual(before)
    // The refused sign-out did not end the session.
    expect((await admin.call('GET', '/api/orga/me')).status).toBe(200)
  })

  it('same-origin writes work: Origin of Jalon, Referer of a Jalon page, or no browser header at all (scripts)', async () => {
    const rename = (name: string, headers: Record<string, string>) => admin.call('PATCH', `/api/orga/campaigns/${w.a.campaignId}`, { name }, headers)
    expect((await rename('Campagne A (origin)', { origin: w.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    expect((await rename('Campagne A (referer)', { referer: `${w.url}/orga/campagnes/${w.a.campaignId}` })).status).toBe(200)
    // Browsers always send Origin on a cross-origin write; without any hint it is not a browser carrying a victim's cookie.
    expect((await rename('Campagne A', {})).status).toBe(200)
    const signIn = await client(w.url).call('POST', '/api/orga/auth/sign-in', { email: w.a.memberEmail, password: PASSWORD }, { origin: w.url })
    expect(signIn.status).toBe(200)
  })

  it('safe methods are not checked', async () => {
    expect((await admin.call('GET', '/api/orga/me', undefined, { origin: EVIL, 'sec-fetch-site': 'cross-site' })).status).toBe(200)
    expect((await admin.call('GET', `/api/orga/campaigns/${w.a.campaignId}`, undefined, { origin: EVIL })).status).toBe(200)
  })
})

describe('routes that are not Orga writes are unaffected', () => {
  it('the LMS’s cross-site form posts (login, launch, picker) still work, even when the browser also holds an Orga cookie', async () => {
    const lms = new URL(w.rig.emu.url).origin
    // What a browser adds to the LMS's auto-posted forms (and a same-site LMS would carry the Lax Orga cookie).
    const crossSite: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers)
      headers.set('origin', lms)
      headers.set('sec-fetch-site', 'cross-site')
      headers.set('cookie', [headers.get('cookie'), admin.cookie].filter(Boolean).join('; '))
      return fetch(input, { ...init, headers })
    }
    const learner = await w.rig.emu.launch({ userId: w.rig.emu.users.lea.id, resourceLinkId: w.rig.emu.demoActivityId, fetch: crossSite })
    expect(learner.loginResponse.status).toBeLessThan(400)
    expect(learner.launchResponse.status).toBe(303)
    expect(learner.launchResponse.headers.get('location')).toMatch(/^\/app\/\?launch=/)

    const link = w.rig.emu.createResourceLink({ name: 'Activité CSRF' })
    const teacher = await w.rig.emu.launch({ userId: w.rig.emu.users.teacher.id, resourceLinkId: link.id, fetch: crossSite })
    const ticket = /name="ticket" value="([^"]+)"/.exec(teacher.launchBody)?.[1]
    expect(ticket).toBeDefined()
    const picked = await crossSite(`${w.url}/lti/picker`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ ticket: ticket!, action: 'create', name: 'Campagne CSRF', targetProfileId: 'tp_panorama_rentree' }),
    })
    expect(picked.status).toBe(303)
    expect(picked.headers.get('location')).toMatch(/^\/app\/\?launch=/)
  })

  it('bearer-authenticated routes (learner, teacher) ignore Origin: no ambient credential to abuse', async () => {
    const headers = { authorization: `Bearer ${w.teacherToken}`, origin: EVIL, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }
    const res = await fetch(`${w.url}/api/lti/orga-link`, { method: 'POST', headers, body: '{}' })
    expect(res.status).toBe(200)
    const learner = await fetch(`${w.url}/api/learner/saved-tutorials/t-unknown`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${w.lea.token}`, origin: EVIL, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(learner.status === 403 && (await errorCode(learner)) === 'CROSS_ORIGIN_REFUSED').toBe(false)
  })
})

describe('which origin is Jalon’s', () => {
  const orgaApp = async (options: { trustProxy: boolean; publicUrl?: string }) => {
    const orga = createOrgaModule({ db: w.db.db, clock: systemClock, publicUrl: () => options.publicUrl ?? 'http://x', mailFrom: 'x@jalon.test', showDemoMailbox: false })
    return listen(
      createApp({
        logger: testLogger,
        version: 't',
        pingDatabase: async () => true,
        trustProxy: options.trustProxy,
        publicUrl: () => options.publicUrl,
        serveClient: false,
        routers: orga.routers,
      }),
    )
  }
  const signIn = (url: string, headers: Record<string, string>) =>
    client(url).call('POST', '/api/orga/auth/sign-in', { email: w.a.adminEmail, password: PASSWORD }, headers)

  it('behind a TLS proxy (TRUST_PROXY) the forwarded scheme and host are Jalon’s; without TRUST_PROXY forged forwarded headers are ignored', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'jalon.test' }
    const trusted = await orgaApp({ trustProxy: true })
    try {
      expect((await signIn(trusted.url, { ...forwarded, origin: 'https://jalon.test' })).status).toBe(200)
      expect((await signIn(trusted.url, { ...forwarded, origin: 'http://jalon.test' })).status).toBe(403)
      expect((await signIn(trusted.url, { ...forwarded, origin: trusted.url })).status).toBe(403)
    } finally {
      await trusted.close()
    }
    const plain = await orgaApp({ trustProxy: false })
    try {
      const forged = await signIn(plain.url, { ...forwarded, origin: 'https://jalon.test' })
      expect([forged.status, await errorCode(forged)]).toEqual([403, 'CROSS_ORIGIN_REFUSED'])
      expect((await signIn(plain.url, { ...forwarded, origin: plain.url })).status).toBe(200)
    } finally {
      await plain.close()
    }
  })

  it('PUBLIC_URL is accepted when a proxy hides the public origin from the request', async () => {
    const app = await orgaApp({ trustProxy: false, publicUrl: 'https://jalon.example/' })
    try {
      expect((await signIn(app.url, { origin: 'https://jalon.example' })).status).toBe(200)
      expect((await signIn(app.url, { referer: 'https://jalon.example/orga/connexion' })).status).toBe(200)
      expect((await signIn(app.url, { origin: 'https://jalon.example.evil.test' })).status).toBe(403)
    } finally {
      await app.close()
    }
  })
})
