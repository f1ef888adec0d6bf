/**
 * Response headers on the real app: CSP (frame-ancestors = registered platforms only, no inline or eval
 * script), HSTS only behind a TLS proxy (TRUST_PROXY), cookies with the right flags (Orga: HttpOnly
 * SameSite=Lax, Secure behind TLS; LTI iframe flow: SameSite=None Secure Partitioned; LTI admin: Strict),
 * no X-Powered-By and no stack in any error.
 */
import { existsSync } from 'node:fs'
import { createApp } from '../../src/http/app'
import { CLIENT_DIST } from '../../src/http/client-assets'
import { registerPlatform } from '../../src/lti/register-platform'
import { createOrgaModule } from '../../src/organizations/orga-module'
import { systemClock } from '../../src/shared/clock'
import { listen } from '../http'
import { testLogger } from '../logger'
import { TEST_ADMIN_TOKEN } from '../lti-rig'
import { fillPath, listRoutes } from './routes'
import { client, createWorld, PASSWORD, type World } from './world'

let w: World

beforeAll(async () => {
  w = await createWorld({ clientDistDir: existsSync(CLIENT_DIST) ? CLIENT_DIST : undefined })
}, 120_000)
afterAll(async () => {
  await w?.close()
})

const directives = (csp: string | null) =>
  Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  )

describe('Content-Security-Policy', () => {
  it('frame-ancestors lists the registered platforms only, and a newly registered one at once', async () => {
    const before = directives((await fetch(`${w.url}/`)).headers.get('content-security-policy'))
    const emulatorOrigin = new URL(w.rig.details.issuer).origin
    expect(before['frame-ancestors']).toEqual(expect.arrayContaining(["'self'", emulatorOrigin]))
    expect(before['frame-ancestors']).not.toContain('https://lms.nouveau.test')
    expect(before['frame-ancestors']).not.toContain('*')
    await registerPlatform(
      {
        name: 'Nouveau Moodle',
        issuer: 'https://lms.nouveau.test',
        clientId: 'client-nouveau',
        authLoginUrl: 'https://lms.nouveau.test/mod/lti/auth.php',
        authTokenUrl: 'https://lms.nouveau.test/mod/lti/token.php',
        jwksUrl: 'https://lms.nouveau.test/mod/lti/certs.php',
        deploymentIds: ['1'],
        organizationName: 'Lycée nouveau',
      },
      { db: w.db.db },
    )
    await w.rig.jalon.lti.refreshPlatforms()
    const after = directives((await fetch(`${w.url}/`)).headers.get('content-security-policy'))
    expect(after['frame-ancestors']).toEqual(expect.arrayContaining(["'self'", emulatorOrigin, 'https://lms.nouveau.test']))
    expect(after['frame-ancestors']).not.toContain('https://evil.test')
  })

  it('no inline or eval script on any kind of response: pages, API, errors, the client apps', async () => {
    const paths = ['/', '/healthz', '/lti/launch', '/lti/admin/login', '/api/orga/me', '/nope', '/app/', '/orga/', '/.well-known/jwks.json']
    for (const path of paths) {
      const res = await fetch(`${w.url}${path}`, { redirect: 'manual' })
      const csp = directives(res.headers.get('content-security-policy'))
      expect([path, csp['script-src']]).toEqual([path, ["'self'"]])
      expect([path, csp['default-src']]).toEqual([path, ["'self'"]])
      expect([path, csp['object-src']]).toEqual([path, ["'none'"]])
      const html = res.headers.get('content-type')?.includes('html') ? await res.text() : ''
      // Pages carry no inline script either (the CSP would block it; this catches it before a browser does).
      expect([path, /<script(?![^>]*\bsrc=)[^>]*>/i.test(html)]).toEqual([path, false])
    }
  })
})

describe('HSTS and cookies', () => {
  it('no HSTS on plain HTTP; the Orga cookie is HttpOnly, SameSite=Lax, not Secure over HTTP', async () => {
    const res = await client(w.url).call('POST', '/api/orga/auth/sign-in', { email: w.a.adminEmail, password: PASSWORD })
    expect(res.headers.get('strict-transport-security')).toBeNull()
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^jalon_orga=/)
    expect(cookie).toMatch(/; HttpOnly/i)
    expect(cookie).toMatch(/; SameSite=Lax/i)
    expect(cookie).not.toMatch(/; Secure/i)
    // Without TRUST_PROXY a forged X-Forwarded-Proto changes nothing.
    const forged = await client(w.url).call('POST', '/api/orga/auth/sign-in', { email: w.a.adminEmail, password: PASSWORD }, { 'x-forwarded-proto': 'https' })
    expect(forged.headers.get('strict-transport-security')).toBeNull()
    expect(forged.headers.get('set-cookie')).not.toMatch(/; Secure/i)
  })

  it('behind a TLS proxy (TRUST_PROXY): HSTS, and the Orga cookie gets Secure', async () => {
    const orga = createOrgaModule({ db: w.db.db, clock: systemClock, publicUrl: () => 'https://jalon.test', mailFrom: 'x@jalon.test', showDemoMailbox: false })
    const server = await listen(createApp({ logger: testLogger, version: 't', pingDatabase: async () => true, trustProxy: true, serveClient: false, routers: orga.routers }))
    try {
      const res = await client(server.url).call('POST', '/api/orga/auth/sign-in', { email: w.a.adminEmail, password: PASSWORD }, { 'x-forwarded-proto': 'https' })
      expect(res.status).toBe(200)
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/)
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/i)
      expect(res.headers.get('set-cookie')).toMatch(/; HttpOnly/i)
      expect(directives(res.headers.get('content-security-policy'))['upgrade-insecure-requests']).toBeDefined()
    } finally {
      await server.close()
    }
  })

  it('the LTI login cookie (set inside the LMS iframe) is SameSite=None; Secure; Partitioned; HttpOnly', async () => {
    const init = w.rig.emu.buildLoginInitiation({ userId: w.rig.emu.users.lea.id, resourceLinkId: w.rig.emu.demoActivityId })
    const res = await fetch(init.url, { method: 'POST', redirect: 'manual', body: new URLSearchParams(init.params) })
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^jalon_lti_/)
    for (const flag of [/; SameSite=None/i, /; Secure/i, /; Partitioned/i, /; HttpOnly/i]) expect([flag.source, flag.test(cookie)]).toEqual([flag.source, true])
  })

  it('the LTI admin cookie is HttpOnly and SameSite=Strict', async () => {
    const res = await fetch(`${w.url}/lti/admin/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }) })
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/; HttpOnly/i)
    expect(cookie).toMatch(/; SameSite=Strict/i)
  })
})

describe('no fingerprinting, no stack', () => {
  it('no route answers with X-Powered-By or a stack trace, whatever it answers', async () => {
    const problems: string[] = []
    const ids = { campaignId: w.a.campaignId, participationId: w.a.participationId, userId: w.a.memberId, id: w.lea.assessmentId, code: w.lea.code, tutorialId: 't', competenceCode: '1.1' }
    for (const r of listRoutes(w.rig.jalon.app)) {
      if (r.path.includes('{')) continue
      for (const body of ['{"broken":', '{}']) {
        const res = await fetch(`${w.url}${fillPath(r.path, ids)}`, {
          method: r.method,
          redirect: 'manual',
          headers: r.method === 'GET' ? {} : { 'content-type': 'application/json' },
          body: r.method === 'GET' ? undefined : body,
        })
        const text = await res.text()
        if (res.headers.get('x-powered-by')) problems.push(`${r.key}: X-Powered-By`)
        if (/\bat .+\(.+:\d+:\d+\)|node_modules|SyntaxError|\/src\//.test(text)) problems.push(`${r.key} ${res.status}: stack or internals`)
      }
    }
    expect(problems).toEqual([])
  })
})
