/**
 * Dynamic registration is not open in production: without LTI_REGISTRATION_KEY (and outside a DEMO_SEED demo) the
 * endpoint answers a French page saying how to open it, before fetching anything; with the key, the URL given to the
 * LMS administrator carries it. The outbound requests of a registration take http(s) URLs only, are bounded in time
 * and size, and the issuer must be the origin the openid configuration was served from.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLmsEmulator } from '../../../scripts/lms-emulator'
import { ltiPlatforms } from '../../src/db/schema'
import { registerDynamically } from '../../src/lti/dynamic-registration'
import { LtiRegistrationFailed } from '../../src/lti/errors'
import { toolUrls } from '../../src/lti/tool-configuration'
import { startJalon, type RunningJalon } from '../../src/main'
import { loadConfig } from '../../src/shared/config'
import { createTestDatabase, type TestDatabase } from '../db'
import { testLogger } from '../logger'
import { TEST_ADMIN_TOKEN, TEST_SECRET_KEY } from '../lti-rig'

const KEY = 'cle-enregistrement-0123456789'

let db: TestDatabase
let dataDir: string

beforeAll(async () => {
  db = await createTestDatabase()
  dataDir = mkdtempSync(join(tmpdir(), 'jalon-reg-'))
}, 60_000)
afterAll(async () => {
  await db?.drop()
  rmSync(dataDir, { recursive: true, force: true })
})

/** A small HTTP server whose handler the test chooses; counts the requests it gets. */
async function stub(handler: (req: IncomingMessage, res: ServerResponse, url: string) => void) {
  let hits = 0
  const server = createServer((req, res) => {
    hits++
    handler(req, res, url)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

const platformConfig = (base: string, issuer = base) => ({
  issuer,
  authorization_endpoint: `${base}/auth`,
  token_endpoint: `${base}/token`,
  jwks_uri: `${base}/certs`,
  registration_endpoint: `${base}/register`,
})

async function startProduction(extra: { env?: Record<string, string>; demoSeed?: boolean }): Promise<RunningJalon> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SERVE_CLIENT: 'false',
    SCORE_WORKER: 'false',
    ...(extra.demoSeed ? { DEMO_SEED: 'true' } : {}),
  })
  return startJalon(config, { logger: testLogger, env: { JALON_SECRET_KEY: TEST_SECRET_KEY, ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...extra.env } })
}

async function adminPage(jalonUrl: string): Promise<string> {
  const login = await fetch(`${jalonUrl}/lti/admin/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }) })
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  return (await fetch(`${jalonUrl}/lti/admin`, { headers: { cookie } })).text()
}

const platformCount = async () => (await db.db.select().from(ltiPlatforms)).length

describe('dynamic registration in production', () => {
  it('without LTI_REGISTRATION_KEY nor DEMO_SEED: a French page says how to open it, nothing is fetched or registered', async () => {
    const lms = await stub((_req, res, url) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(platformConfig(url))))
    const jalon = await startProduction({})
    try {
      const before = await platformCount()
      const res = await fetch(`${jalon.url}/lti/register?openid_configuration=${encodeURIComponent(`${lms.url}/openid`)}&registration_token=t`)
      const page = await res.text()
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toMatch(/html/)
      expect(page).toContain('Enregistrement dynamique fermé')
      expect(page).toContain('LTI_REGISTRATION_KEY')
      expect(page).toContain('/lti/register?key=')
      expect(lms.hits()).toBe(0)
      expect(await platformCount()).toBe(before)
      // The admin page says it is closed rather than showing a URL that cannot work.
      expect(await adminPage(jalon.url)).toMatch(/Enregistrement dynamique : fermé/)
    } finally {
      await jalon.close()
      await lms.close()
    }
  })

  it('with LTI_REGISTRATION_KEY: refused without the key, registered with it; the admin page gives the URL with the key, the public sheet never', async () => {
    const jalon = await startProduction({ env: { LTI_REGISTRATION_KEY: KEY } })
    const emu = await startLmsEmulator({ toolUrl: jalon.url })
    try {
      const withoutKey = await fetch((await emu.startDynamicRegistration(`${jalon.url}/lti/register`)).url)
      expect(withoutKey.status).toBe(400)
      expect(await withoutKey.text()).toContain('Clé d’enregistrement absente ou incorrecte')
      const wrongKey = await fetch((await emu.startDynamicRegistration(`${jalon.url}/lti/register?key=mauvaise-cle-123`)).url)
      expect(wrongKey.status).toBe(400)

      const admin = await adminPage(jalon.url)
      const given = /Enregistrement dynamique : <code>([^<]+)<\/code>/.exec(admin)?.[1]
      expect(given).toBe(`${jalon.url}/lti/register?key=${KEY}`)
      const start = await emu.startDynamicRegistration(given!)
      const ok = await fetch(start.url)
      expect([ok.status, await ok.text()]).toEqual([200, expect.stringContaining('Jalon est enregistré')])
      expect(emu.tools().some((t) => t.clientId === start.clientId)).toBe(true)

      expect(await (await fetch(`${jalon.url}/lti/config.json`)).text()).not.toContain(KEY)
    } finally {
      await emu.close()
      await jalon.close()
    }
  })

  it('a public demo (DEMO_SEED) keeps it open without a key', async () => {
    const jalon = await startProduction({ demoSeed: true })
    const emu = await startLmsEmulator({ toolUrl: jalon.url })
    try {
      const res = await fetch((await emu.startDynamicRegistration(`${jalon.url}/lti/register`)).url)
      expect(res.status).toBe(200)
    } finally {
      await emu.close()
      await jalon.close()
    }
  }, 120_000)
})

describe('outbound requests of a registration', () => {
  const deps = (extra: { fetch?: typeof fetch; timeoutMs?: number } = {}) => ({ db: db.db, urls: toolUrls('http://jalon.test'), toolName: 'Jalon', ...extra })
  const refused = async (openidConfiguration: string, extra: { fetch?: typeof fetch; timeoutMs?: number } = {}) => {
    const before = await platformCount()
    const err = await registerDynamically({ openidConfiguration, registrationToken: 't' }, deps(extra)).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(LtiRegistrationFailed)
    expect(await platformCount()).toBe(before)
    return (err as LtiRegistrationFailed).message
  }

  it('only http(s) URLs: the openid_configuration and every endpoint it names', async () => {
    const spy = jest.fn<ReturnType<typeof fetch>, Parameters<typeof fetch>>()
    for (const url of ['file:///etc/passwd', 'ftp://lms.test/openid', 'data:application/json,{}', 'gopher://lms.test/', 'javascript:alert(1)']) {
      expect(await refused(url, { fetch: spy })).toMatch(/invalide/)
    }
    expect(spy).not.toHaveBeenCalled()
    const lms = await stub((req, res, url) => {
      if (req.url === '/openid') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...platformConfig(url), registration_endpoint: 'file:///etc/passwd' }))
      res.writeHead(500).end()
    })
    try {
      expect(await refused(`${lms.url}/openid`)).toMatch(/incomplète/)
      expect(lms.hits()).toBe(1)
    } finally {
      await lms.close()
    }
  })

  it('a response larger than 64 kB is refused, announced (Content-Length) or streamed (chunked), configuration or registration answer', async () => {
    const big = JSON.stringify({ ...platformConfig('http://x'), padding: 'x'.repeat(200_000) })
    const lms = await stub((req, res, url) => {
      if (req.url === '/announced') return void res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(big.length) }).end(big)
      if (req.url === '/streamed') {
        res.writeHead(200, { 'content-type': 'application/json' })
        // No Content-Length: an endless body, cut by the reader once past the limit.
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('x'.repeat(16_384))), 1)
        return
      }
      if (req.url === '/ok') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(platformConfig(url)))
      if (req.url === '/register') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: 'c', padding: 'x'.repeat(200_000) }))
      res.writeHead(404).end()
    })
    try {
      expect(await refused(`${lms.url}/announced`)).toMatch(/trop volumineuse/)
      expect(await refused(`${lms.url}/streamed`)).toMatch(/trop volumineuse/)
      expect(await refused(`${lms.url}/ok`)).toMatch(/trop volumineuse/)
    } finally {
      await lms.close()
    }
  })

  it('a platform that never answers, or never finishes its body, is given up after the timeout', async () => {
    const lms = await stub((req, res) => {
      if (req.url === '/dribble') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"issuer":')
      }
      // '/silent': no answer at all.
    })
    try {
      const t0 = Date.now()
      expect(await refused(`${lms.url}/silent`, { timeoutMs: 300 })).toMatch(/Impossible de lire/)
      expect(await refused(`${lms.url}/dribble`, { timeoutMs: 300 })).toMatch(/Impossible de lire/)
      expect(Date.now() - t0).toBeLessThan(5_000)
    } finally {
      await lms.close()
    }
  })

  it('the issuer must be the origin the configuration was served from (scheme, host, port), redirects included', async () => {
    let lmsUrl = ''
    // Another site: for /claims-lms, a file that claims to be the LMS's configuration.
    const other = await stub((req, res, url) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.url === '/claims-lms' ? platformConfig(lmsUrl) : platformConfig(url))),
    )
    const lms = await stub((req, res, url) => {
      const json = (body: unknown): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      if (req.url === '/other-issuer') return json(platformConfig(url, other.url))
      if (req.url === '/other-port') return json(platformConfig(url, 'http://127.0.0.1:1'))
      if (req.url === '/other-scheme') return json(platformConfig(url, url.replace('http:', 'https:')))
      if (req.url === '/not-a-url') return json(platformConfig(url, 'moodle'))
      // An open redirect on the platform, to a file elsewhere that claims this platform's issuer.
      if (req.url === '/redirect') return void res.writeHead(302, { location: `${other.url}/claims-lms` }).end()
      res.writeHead(404).end()
    })
    lmsUrl = lms.url
    try {
      expect(await refused(`${lms.url}/other-issuer`)).toMatch(/ne correspond pas/)
      expect(await refused(`${lms.url}/other-port`)).toMatch(/ne correspond pas/)
      expect(await refused(`${lms.url}/other-scheme`)).toMatch(/ne correspond pas/)
      expect(await refused(`${lms.url}/not-a-url`)).toMatch(/incomplète/)
      expect(await refused(`${lms.url}/redirect`)).toMatch(/ne correspond pas/)
      // Nothing was posted to any registration endpoint.
      expect(other.hits()).toBe(1)
    } finally {
      await lms.close()
      await other.close()
    }
  })
})
