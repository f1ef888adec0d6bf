/** Orga sessions: requireOrgaSession, /api/orga/me, the organization switcher, sign-out, LTI take-over. */
import { and, eq, lt } from 'drizzle-orm'
import express from 'express'
import { createTestDatabase, type TestDatabase } from '../../../test/db'
import { listen, type TestServer } from '../../../test/http'
import { testLogger } from '../../../test/logger'
import { memberships, orgaSessions, organizations, users } from '../../db/schema'
import { createApp } from '../../http/app'
import { fixedClock } from '../../shared/clock'
import { createOrgaSession, createOrgaSessionMiddlewares, ORGA_COOKIE, type ForeignSessionLookup } from '../orga-session'
import { errorCode, readJson } from '../test-support'
import { purgeOrgaAccess } from '../orga-module'
import { orgaSessionRoutes, type OrgaMe } from './session.routes'

describe('Orga sessions', () => {
  let db: TestDatabase
  let server: TestServer
  const clock = fixedClock('2026-03-02T10:00:00Z')
  const foreign = new Map<string, { userId: string; organizationId: string; expiresAt: Date }>()
  const ids = { orgA: '', orgB: '', orgC: '', user: '' }

  beforeAll(async () => {
    db = await createTestDatabase()
    const [a, b, c] = await db.db
      .insert(organizations)
      .values([{ name: 'Université A' }, { name: 'Université B' }, { name: 'Université C' }])
      .returning()
    const [u] = await db.db.insert(users).values({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@a.test' }).returning()
    Object.assign(ids, { orgA: a!.id, orgB: b!.id, orgC: c!.id, user: u!.id })
    await db.db.insert(memberships).values([
      { organizationId: a!.id, userId: u!.id, role: 'ADMIN' },
      { organizationId: b!.id, userId: u!.id, role: 'MEMBER' },
    ])
    const lookup: ForeignSessionLookup = async (token) => foreign.get(token)
    const sessions = createOrgaSessionMiddlewares({ db: db.db, clock, foreignSession: lookup })
    const probe = express.Router().get('/api/orga/probe', sessions.requireOrgaSession, sessions.requireOrgaAdmin, (req, res) => {
      res.json(req.orga)
    })
    server = await listen(
      createApp({ logger: testLogger, version: 't', pingDatabase: async () => true, serveClient: false, routers: [orgaSessionRoutes({ db: db.db, sessions }), probe] }),
    )
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const cookie = (token: string) => ({ cookie: `${ORGA_COOKIE}=${token}` })

  it('refuses requests without a session', async () => {
    const res = await fetch(`${server.url}/api/orga/me`)
    expect(res.status).toBe(401)
    expect(await errorCode(res)).toBe('ORGA_SESSION_REQUIRED')
  })

  it('shows the user, the current organization and the organizations to switch to; switches', async () => {
    const { token } = await createOrgaSession(db.db, { userId: ids.user, organizationId: ids.orgA, origin: 'PASSWORD', now: clock.now() })
    const me = await readJson<OrgaMe>(await fetch(`${server.url}/api/orga/me`, { headers: cookie(token) }))
    expect(me.organization.name).toBe('Université A')
    expect(me.role).toBe('ADMIN')
    expect(me.organizations.map((o: { name: string }) => o.name)).toEqual(['Université A', 'Université B'])
    expect((await fetch(`${server.url}/api/orga/probe`, { headers: cookie(token) })).status).toBe(200)

    const switched = await fetch(`${server.url}/api/orga/me/organization`, {
      method: 'PUT',
      headers: { ...cookie(token), 'content-type': 'application/json' },
      body: JSON.stringify({ organizationId: ids.orgB }),
    })
    expect(switched.status).toBe(200)
    expect((await readJson<OrgaMe>(switched)).role).toBe('MEMBER')
    // Now a MEMBER of B: admin-only routes refuse.
    const probe = await fetch(`${server.url}/api/orga/probe`, { headers: cookie(token) })
    expect(probe.status).toBe(403)

    // Not a member of C: refused, and the session stays on B.
    const refused = await fetch(`${server.url}/api/orga/me/organization`, {
      method: 'PUT',
      headers: { ...cookie(token), 'content-type': 'application/json' },
      body: JSON.stringify({ organizationId: ids.orgC }),
    })
    expect(refused.status).toBe(403)
    expect((await readJson<OrgaMe>(await fetch(`${server.url}/api/orga/me`, { headers: cookie(token) }))).organization.id).toBe(ids.orgB)
  })

  it('signs out: the cookie is cleared and the token dies', async () => {
    const { token } = await createOrgaSession(db.db, { userId: ids.user, organizationId: ids.orgA, origin: 'PASSWORD', now: clock.now() })
    const out = await fetch(`${server.url}/api/orga/auth/sign-out`, { method: 'POST', headers: cookie(token) })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/jalon_orga=;/)
    expect((await fetch(`${server.url}/api/orga/me`, { headers: cookie(token) })).status).toBe(401)
  })

  it('expires sessions', async () => {
    const { token } = await createOrgaSession(db.db, { userId: ids.user, organizationId: ids.orgA, origin: 'PASSWORD', now: clock.now(), ttlMs: 1000 })
    clock.advance(2000)
    expect((await fetch(`${server.url}/api/orga/me`, { headers: cookie(token) })).status).toBe(401)
  })

  it('takes over a session opened by the LTI one-time link (same cookie)', async () => {
    foreign.set('lti-token', { userId: ids.user, organizationId: ids.orgB, expiresAt: new Date(clock.now().getTime() + 60_000) })
    const me = await readJson<OrgaMe>(await fetch(`${server.url}/api/orga/me`, { headers: cookie('lti-token') }))
    expect(me.organization.id).toBe(ids.orgB)
    foreign.delete('lti-token')
    // Still valid without the foreign store: it is an Orga session now.
    expect((await fetch(`${server.url}/api/orga/me`, { headers: cookie('lti-token') })).status).toBe(200)
  })

  it('purges expired sessions in housekeeping', async () => {
    await createOrgaSession(db.db, { userId: ids.user, organizationId: ids.orgA, origin: 'PASSWORD', now: clock.now(), ttlMs: 1 })
    await purgeOrgaAccess(db.db, new Date(clock.now().getTime() + 1000))
    const left = await db.db.select().from(orgaSessions).where(lt(orgaSessions.expiresAt, new Date(clock.now().getTime() + 1000)))
    expect(left).toEqual([])
  })

  it('moves a removed member to another of their organizations, then ends the session', async () => {
    const [u] = await db.db.insert(users).values({ firstName: 'Bob' }).returning()
    await db.db.insert(memberships).values([
      { organizationId: ids.orgA, userId: u!.id, role: 'MEMBER' },
      { organizationId: ids.orgC, userId: u!.id, role: 'MEMBER' },
    ])
    const { token } = await createOrgaSession(db.db, { userId: u!.id, organizationId: ids.orgA, origin: 'PASSWORD', now: clock.now() })
    await db.db.delete(memberships).where(and(eq(memberships.userId, u!.id), eq(memberships.organizationId, ids.orgA)))
    expect((await readJson<OrgaMe>(await fetch(`${server.url}/api/orga/me`, { headers: cookie(token) }))).organization.id).toBe(ids.orgC)
    await db.db.delete(memberships).where(eq(memberships.userId, u!.id))
    expect((await fetch(`${server.url}/api/orga/me`, { headers: cookie(token) })).status).toBe(401)
  })
})
