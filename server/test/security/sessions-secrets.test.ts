/**
 * Sessions and secrets on the real app: sign-in brute force slowed across two instances on one database,
 * Orga cookie and LTI bearer expiry, one-time codes used once, tool private keys encrypted at rest, and no
 * secret in the logs (captured at trace level through launches, AGS deliveries, sign-ins, invitations, key
 * rotation and the pages that carry one-time tokens in their URL).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { existsSync } from 'node:fs'
import { CLIENT_DIST } from '../../src/http/client-assets'
import { decrypt, sha256 } from '../../src/lti/crypto'
import type { RunningJalon } from '../../src/main'
import { ORGA_SESSION_TTL_MS } from '../../src/organizations/orga-session'
import { BEARER_TTL_MS } from '../../src/lti/sessions'
import { createLogger } from '../../src/shared/logger'
import { exchangeCode, startJalonForTests, TEST_ADMIN_TOKEN, TEST_SECRET_KEY } from '../lti-rig'
import { client, createWorld, PASSWORD, type World } from './world'

const logLines: string[] = []
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString('utf8'))
    done()
  },
})
let w: World
const idTokens: string[] = []

beforeAll(async () => {
  w = await createWorld({ logger: createLogger('trace', 'jalon-secu', capture), clientDistDir: existsSync(CLIENT_DIST) ? CLIENT_DIST : undefined })
}, 120_000)
afterAll(async () => {
  await w?.close()
})

describe('sign-in brute force', () => {
  it('locks an account after 5 failures spread over two instances on one database, on both, with Retry-After', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jalon-secu-'))
    let second: RunningJalon | undefined
    try {
      second = await startJalonForTests(w.db.url, createLogger('silent'), { dataDir })
      const email = w.b.memberEmail
      const urls = [w.url, second.url, w.url, second.url, w.url]
      for (const url of urls) {
        const res = await client(url).call('POST', '/api/orga/auth/sign-in', { email, password: 'Mauvais-Mot-2026' })
        expect(res.status).toBe(401)
      }
      for (const url of [w.url, second.url]) {
        // Even the right password waits: the lock is shared through PostgreSQL.
        const res = await client(url).call('POST', '/api/orga/auth/sign-in', { email, password: PASSWORD })
        expect(res.status).toBe(429)
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      }
    } finally {
      await second?.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('session expiry', () => {
  it('the Orga cookie lives 8 hours at most and an expired session is refused', async () => {
    const c = client(w.url)
    const res = await c.call('POST', '/api/orga/auth/sign-in', { email: w.a.memberEmail, password: PASSWORD })
    const expires = /Expires=([^;]+)/i.exec(res.headers.get('set-cookie') ?? '')?.[1]
    expect(new Date(expires!).getTime() - Date.now()).toBeLessThanOrEqual(ORGA_SESSION_TTL_MS + 5_000)
    expect(ORGA_SESSION_TTL_MS).toBeLessThanOrEqual(8 * 3600_000)
    expect((await c.call('GET', '/api/orga/me')).status).toBe(200)
    await w.db.pool.query(`UPDATE orga_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [w.a.memberId])
    expect((await c.call('GET', '/api/orga/me')).status).toBe(401)
  })

  it('the learner bearer token lives 90 minutes at most and an expired one is refused', async () => {
    const r = await w.rig.emu.launch({ userId: w.rig.emu.users.noName.id, resourceLinkId: w.rig.emu.demoActivityId })
    const code = new URL(r.launchResponse.headers.get('location')!, w.url).searchParams.get('launch')!
    const res = await fetch(`${w.url}/api/lti/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })
    const { token, expiresAt } = (await res.json()) as { token: string; expiresAt: string }
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(BEARER_TTL_MS + 5_000)
    expect(BEARER_TTL_MS).toBeLessThanOrEqual(90 * 60_000)
    const me = () => fetch(`${w.url}/api/learner/home`, { headers: { authorization: `Bearer ${token}` } })
    expect((await me()).status).toBe(200)
    await w.db.pool.query(`UPDATE lti_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [sha256(token)])
    // The process's session cache hears of the change by LISTEN/NOTIFY, i.e. a few milliseconds later: the token is
    // refused within a second, never after the 5 s the cache would otherwise keep it.
    let status = (await me()).status
    for (const deadline = Date.now() + 1_000; status !== 401 && Date.now() < deadline; status = (await me()).status)
      await new Promise((r) => setTimeout(r, 20))
    expect(status).toBe(401)
  })
})

describe('one-time codes', () => {
  it('a launch code, an Orga link code and an invitation token each work once', async () => {
    const r = await w.rig.emu.launch({ userId: w.rig.emu.users.teacher.id, resourceLinkId: w.rig.emu.demoActivityId })
    if (r.idToken) idTokens.push(r.idToken)
    const location = r.launchResponse.headers.get('location')
    const { token } = await exchangeCode(w.url, location)
    await expect(exchangeCode(w.url, location)).rejects.toThrow(/401/)

    const link = await fetch(`${w.url}/api/lti/orga-link`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    const { url } = (await link.json()) as { url: string }
    const first = await fetch(`${w.url}${url}`, { redirect: 'manual' })
    expect(first.status).toBe(303)
    expect(first.headers.get('set-cookie')).toMatch(/^jalon_orga=/)
    const again = await fetch(`${w.url}${url}`, { redirect: 'manual' })
    expect(again.status).toBe(401)
    expect(again.headers.get('set-cookie')).toBeNull()

    const mail = (await w.db.pool.query(`SELECT text FROM demo_mails WHERE "to" = 'invite.a@secu.test' ORDER BY created_at DESC LIMIT 1`)).rows[0].text as string
    const invitation = decodeURIComponent(/token=([^\s&]+)/.exec(mail)![1]!)
    // The invitee opens the page (token in the URL: it must not reach the logs, checked below).
    await fetch(`${w.url}/orga/invitation?token=${encodeURIComponent(invitation)}`)
    const accept = () => client(w.url).call('POST', '/api/orga/invitations/accept', { token: invitation, password: 'Nouveau-Mot-2026!', firstName: 'Inv', lastName: 'Ité' })
    expect((await accept()).status).toBe(200)
    expect((await accept()).status).toBeGreaterThanOrEqual(400)
  })
})

describe('secrets', () => {
  const PRIVATE_MARKERS = [/"d"\s*:\s*"/, /"dp"\s*:\s*"/, /"qi"\s*:\s*"/, /PRIVATE KEY/, /"p"\s*:\s*"[A-Za-z0-9_-]{40}/]

  async function everyCell(): Promise<string> {
    const { rows } = await w.db.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
    const parts: string[] = []
    for (const { table_name } of rows) parts.push(...(await w.db.pool.query(`SELECT x::text AS t FROM "${table_name}" x`)).rows.map((r) => r.t as string))
    return parts.join('\n')
  }

  it('tool private keys are AES-GCM sealed at rest, before and after a rotation; nothing in the database holds private key material', async () => {
    const admin = await fetch(`${w.url}/lti/admin/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: TEST_ADMIN_TOKEN }) })
    const cookie = admin.headers.get('set-cookie')!.split(';')[0]!
    const rotate = await fetch(`${w.url}/lti/admin/rotate-keys`, { method: 'POST', redirect: 'manual', headers: { cookie } })
    expect(rotate.status).toBeLessThan(400)
    const keys = (await w.db.pool.query(`SELECT kid, private_jwk_encrypted AS sealed FROM lti_tool_keys`)).rows as { kid: string; sealed: string }[]
    expect(keys.length).toBeGreaterThanOrEqual(2)
    for (const k of keys) {
      expect(k.sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
      // Only the derived key opens it: a wrong secret gets nothing.
      expect(() => decrypt(k.sealed, Buffer.alloc(32, 7))).toThrow()
    }
    const dump = await everyCell()
    for (const marker of PRIVATE_MARKERS) expect([marker.source, marker.test(dump)]).toEqual([marker.source, false])
    // Sessions, codes and tokens are stored hashed: no bearer token in clear.
    for (const token of [w.lea.token, w.ines.token, w.teacherToken]) expect(dump.includes(token)).toBe(false)
  })

  it('the logs hold no private key, bearer token, password, id_token, one-time token or secret key', async () => {
    // More traffic that handles secrets: launches (id_tokens), a learner page load with the launch code.
    for (const who of [w.rig.emu.users.lea.id, w.rig.emu.users.teacher.id]) {
      const r = await w.rig.emu.launch({ userId: who, resourceLinkId: w.rig.emu.demoActivityId })
      if (r.idToken) idTokens.push(r.idToken)
      const location = r.launchResponse.headers.get('location')!
      await fetch(new URL(location, w.url))
    }
    await client(w.url).call('POST', '/api/orga/auth/sign-in', { email: w.a.adminEmail, password: 'Faux-Mot-De-Passe-1' })
    // AGS deliveries (Started at participation) must have gone through the client_credentials flow.
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline && Number((await w.db.pool.query(`SELECT count(*) FROM lti_score_outbox WHERE status = 'delivered'`)).rows[0].count) === 0)
      await new Promise((r) => setTimeout(r, 100))
    expect(Number((await w.db.pool.query(`SELECT count(*) FROM lti_score_outbox WHERE status = 'delivered'`)).rows[0].count)).toBeGreaterThan(0)

    const logs = logLines.join('')
    expect(logs.length).toBeGreaterThan(1000)
    expect(idTokens.length).toBeGreaterThan(0)
    const codes = [...logs.matchAll(/launch=([A-Za-z0-9_-]{20,})/g)].map((m) => m[1])
    const secrets: [string, string][] = [
      ['password', PASSWORD],
      ['wrong password', 'Faux-Mot-De-Passe-1'],
      ['new password', 'Nouveau-Mot-2026!'],
      ['admin token', TEST_ADMIN_TOKEN],
      ['secret key', TEST_SECRET_KEY],
      ['bearer lea', w.lea.token],
      ['bearer ines', w.ines.token],
      ['bearer teacher', w.teacherToken],
      ...idTokens.map((t, i): [string, string] => [`id_token ${i}`, t.split('.')[2]!]),
    ]
    expect(secrets.filter(([, s]) => logs.includes(s)).map(([name]) => name)).toEqual([])
    for (const marker of PRIVATE_MARKERS) expect([marker.source, marker.test(logs)]).toEqual([marker.source, false])
    expect([/"access_token"/.test(logs), /Bearer [A-Za-z0-9_-]{10,}/.test(logs)]).toEqual([false, false])
    // One-time codes and tokens in URLs (launch, Orga link, invitation, reset) are masked in request logs.
    expect([codes, /[?&](token|code)=[A-Za-z0-9_%-]{10,}/.test(logs)]).toEqual([[], false])
  })
})
