/**
 * Jalon Orga access over HTTP with a real SMTP server: sign-in and its rate limiting, invitations
 * (invite, resend, cancel, accept), password reset (single use), team roles, tenancy between A and B.
 */
import { eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/db'
import { listen, type TestServer } from '../../../test/http'
import { testLogger } from '../../../test/logger'
import { linkIn, startTestSmtp, type TestSmtp } from '../../../test/smtp'
import { loginThrottles, memberships } from '../../db/schema'
import { createApp } from '../../http/app'
import { fixedClock } from '../../shared/clock'
import { createOrgaSessionMiddlewares } from '../orga-session'
import { orgaRouters } from '../orga-routes'
import { errorCode, orgaClient, PASSWORD, readJson, seedTwoOrganizations } from '../test-support'
import { THROTTLE } from './login-throttle'
import { createSmtpMailer } from './mailer'
import type { OrgaMe } from './session.routes'

describe('Jalon Orga access API', () => {
  let db: TestDatabase
  let server: TestServer
  let smtp: TestSmtp
  let ids: Awaited<ReturnType<typeof seedTwoOrganizations>>
  const clock = fixedClock('2026-03-02T10:00:00Z')

  beforeAll(async () => {
    db = await createTestDatabase()
    smtp = await startTestSmtp()
    ids = await seedTwoOrganizations(db.db)
    const sessions = createOrgaSessionMiddlewares({ db: db.db, clock })
    const mailer = createSmtpMailer({ url: smtp.url, from: 'Jalon <no-reply@jalon.test>' })
    server = await listen(
      createApp({
        logger: testLogger,
        version: 't',
        pingDatabase: async () => true,
        serveClient: false,
        routers: orgaRouters({ db: db.db, clock, mailer, publicUrl: () => 'http://jalon.test', sessions }),
      }),
    )
  })
  afterAll(async () => {
    await server?.close()
    await smtp?.close()
    await db?.drop()
  })

  const client = (ip?: string) => orgaClient(server.url, ip ? { 'x-test-ip': ip } : {})
  const tokenOf = (link: string) => new URL(link).searchParams.get('token')!

  describe('sign-in', () => {
    it('signs in with e-mail and password (case-insensitive e-mail) and sets a safe cookie', async () => {
      const res = await client().signIn('  Alice@A.test ')
      const cookie = res.headers.get('set-cookie')!
      expect(cookie).toMatch(/HttpOnly/i)
      expect(cookie).toMatch(/SameSite=Lax/i)
      expect(cookie).not.toMatch(/Secure/i) // plain http in tests; Secure behind TLS
      const me = await readJson<OrgaMe>(res)
      expect(me.organization.name).toBe('Université A')
      expect(me.role).toBe('ADMIN')
    })

    it('gives the same answer for a wrong password and an unknown e-mail', async () => {
      const c = client()
      const wrong = await c.post('/api/orga/auth/sign-in', { email: 'marc@a.test', password: 'nope' })
      const unknown = await c.post('/api/orga/auth/sign-in', { email: 'nobody@a.test', password: 'nope' })
      expect([wrong.status, unknown.status]).toEqual([401, 401])
      expect(await errorCode(wrong)).toBe('INVALID_CREDENTIALS')
      expect(await errorCode(unknown)).toBe('INVALID_CREDENTIALS')
    })

    it('locks an account after repeated failures, even with the right password, then lets it in later', async () => {
      await db.db.delete(loginThrottles)
      const c = client()
      for (let i = 0; i < THROTTLE.accountThreshold; i++) {
        expect((await c.post('/api/orga/auth/sign-in', { email: 'bruno@b.test', password: `wrong-${i}` })).status).toBe(401)
      }
      const locked = await c.post('/api/orga/auth/sign-in', { email: 'bruno@b.test', password: PASSWORD })
      expect(locked.status).toBe(429)
      expect(await errorCode(locked)).toBe('TOO_MANY_ATTEMPTS')
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
      // Another account from the same address is not locked by this one.
      expect((await c.post('/api/orga/auth/sign-in', { email: 'marc@a.test', password: PASSWORD })).status).toBe(200)
      clock.advance(THROTTLE.baseLockSeconds * 1000 + 1000)
      expect((await c.post('/api/orga/auth/sign-in', { email: 'bruno@b.test', password: PASSWORD })).status).toBe(200)
      // Success cleared the account's counter.
      const [row] = await db.db.select().from(loginThrottles).where(eq(loginThrottles.key, 'email:bruno@b.test'))
      expect(row).toBeUndefined()
    })

    it('doubles the lock with every further failure', async () => {
      await db.db.delete(loginThrottles)
      const c = client()
      for (let i = 0; i < THROTTLE.accountThreshold + 2; i++) {
        clock.advance(120_000) // wait out each lock, keep counting
        await c.post('/api/orga/auth/sign-in', { email: 'marc@a.test', password: 'bad' })
      }
      const [row] = await db.db.select().from(loginThrottles).where(eq(loginThrottles.key, 'email:marc@a.test'))
      const lockSeconds = (row!.lockedUntil!.getTime() - clock.now().getTime()) / 1000
      expect(lockSeconds).toBe(THROTTLE.baseLockSeconds * 4)
      await db.db.delete(loginThrottles)
    })

    it('locks an address that tries many accounts', async () => {
      await db.db.delete(loginThrottles)
      const c = client()
      for (let i = 0; i < THROTTLE.ipThreshold; i++) await c.post('/api/orga/auth/sign-in', { email: `probe${i}@x.test`, password: 'x' })
      const res = await c.post('/api/orga/auth/sign-in', { email: 'alice@a.test', password: PASSWORD })
      expect(res.status).toBe(429)
      await db.db.delete(loginThrottles)
    })
  })

  describe('invitations and team', () => {
    it('lets an administrator invite several colleagues; the e-mail arrives; the colleague creates an account and lands in the organization', async () => {
      const alice = client()
      await alice.signIn('alice@a.test')
      const before = smtp.mails.length
      const res = await alice.post('/api/orga/invitations', { emails: 'new.one@a.test, Second@A.test ; marc@a.test' })
      expect(res.status).toBe(201)
      expect(await readJson(res)).toEqual({ invited: ['new.one@a.test', 'second@a.test'], alreadyMembers: ['marc@a.test'] })
      const mail = await smtp.waitFor('new.one@a.test', { after: before })
      expect(mail.decoded).toContain('Université A')
      const link = linkIn(mail, '/orga/invitation')
      expect(link.startsWith('http://jalon.test/orga/invitation?token=')).toBe(true)

      const pending = await readJson<{ invitations: { email: string }[] }>(await alice.get('/api/orga/invitations'))
      expect(pending.invitations.map((i) => i.email)).toEqual(['new.one@a.test', 'second@a.test'])

      const invitee = client()
      const info = await readJson<{ organizationName: string; hasAccount: boolean }>(await invitee.post('/api/orga/invitations/lookup', { token: tokenOf(link) }))
      expect(info).toMatchObject({ organizationName: 'Université A', email: 'new.one@a.test', role: 'MEMBER', hasAccount: false })
      const weak = await invitee.post('/api/orga/invitations/accept', { token: tokenOf(link), password: 'short', firstName: 'Nina', lastName: 'Nouvelle' })
      expect(await errorCode(weak)).toBe('WEAK_PASSWORD')
      const accepted = await invitee.post('/api/orga/invitations/accept', { token: tokenOf(link), password: 'Nouvelle-2026', firstName: 'Nina', lastName: 'Nouvelle' })
      expect(accepted.status).toBe(200)
      expect((await readJson<OrgaMe>(accepted)).organization.id).toBe(ids.orgA)
      expect((await invitee.get('/api/orga/me')).status).toBe(200)
      // Used once.
      expect(await errorCode(await client().post('/api/orga/invitations/accept', { token: tokenOf(link), password: 'Nouvelle-2026' }))).toBe('INVITATION_INVALID')
      // The new account signs in.
      await client().signIn('new.one@a.test', 'Nouvelle-2026')
      const members = await readJson<{ members: { email: string; role: string }[] }>(await alice.get('/api/orga/members'))
      expect(members.members).toContainEqual(expect.objectContaining({ email: 'new.one@a.test', role: 'MEMBER' }))
    })

    it('adds an existing account to another organization when its password is given', async () => {
      const bruno = client()
      await bruno.signIn('bruno@b.test')
      const before = smtp.mails.length
      await bruno.post('/api/orga/invitations', { emails: ['marc@a.test'], role: 'ADMIN' })
      const link = linkIn(await smtp.waitFor('marc@a.test', { after: before }), '/orga/invitation')
      const marc = client()
      expect((await readJson<{ hasAccount: boolean }>(await marc.post('/api/orga/invitations/lookup', { token: tokenOf(link) }))).hasAccount).toBe(true)
      expect((await marc.post('/api/orga/invitations/accept', { token: tokenOf(link), password: 'wrong' })).status).toBe(401)
      const ok = await marc.post('/api/orga/invitations/accept', { token: tokenOf(link), password: PASSWORD })
      const me = await readJson<OrgaMe>(ok)
      expect(me.organization.id).toBe(ids.orgB)
      expect(me.role).toBe('ADMIN')
      expect(me.organizations.map((o) => o.name)).toEqual(['Université A', 'Université B'])
      await db.db.delete(memberships).where(eq(memberships.organizationId, ids.orgB)).then(() =>
        db.db.insert(memberships).values({ organizationId: ids.orgB, userId: ids.bruno, role: 'ADMIN' }),
      )
    })

    it('resends (the old link dies) and cancels invitations', async () => {
      const alice = client()
      await alice.signIn('alice@a.test')
      let before = smtp.mails.length
      await alice.post('/api/orga/invitations', { emails: 'resend@a.test' })
      const first = linkIn(await smtp.waitFor('resend@a.test', { after: before }), '/orga/invitation')
      const { invitations } = await readJson<{ invitations: { id: string; email: string }[] }>(await alice.get('/api/orga/invitations'))
      const id = invitations.find((i) => i.email === 'resend@a.test')!.id
      before = smtp.mails.length
      expect((await alice.post(`/api/orga/invitations/${id}/resend`)).status).toBe(204)
      const second = linkIn(await smtp.waitFor('resend@a.test', { after: before }), '/orga/invitation')
      expect(second).not.toBe(first)
      expect((await client().post('/api/orga/invitations/lookup', { token: tokenOf(first) })).status).toBe(410)
      expect((await client().post('/api/orga/invitations/lookup', { token: tokenOf(second) })).status).toBe(200)
      expect((await alice.delete(`/api/orga/invitations/${id}`)).status).toBe(204)
      expect((await client().post('/api/orga/invitations/lookup', { token: tokenOf(second) })).status).toBe(410)
      expect((await alice.delete(`/api/orga/invitations/${id}`)).status).toBe(404)
    })

    it('refuses invalid addresses with the list of what is wrong', async () => {
      const alice = client()
      await alice.signIn('alice@a.test')
      const res = await alice.post('/api/orga/invitations', { emails: 'ok@a.test, not-an-email, also@bad' })
      expect(res.status).toBe(400)
      expect((await readJson<{ error: { message: string } }>(res)).error.message).toContain('not-an-email')
      expect((await alice.post('/api/orga/invitations', { emails: ' , ' })).status).toBe(400)
    })

    it('lets only administrators invite, see invitations or change roles; nobody changes or removes themselves', async () => {
      const marc = client()
      await marc.signIn('marc@a.test')
      expect((await marc.get('/api/orga/members')).status).toBe(200)
      expect(await errorCode(await marc.post('/api/orga/invitations', { emails: 'x@a.test' }))).toBe('ORGA_ADMIN_REQUIRED')
      expect((await marc.get('/api/orga/invitations')).status).toBe(403)
      expect((await marc.put(`/api/orga/members/${ids.alice}/role`, { role: 'MEMBER' })).status).toBe(403)
      expect((await marc.delete(`/api/orga/members/${ids.alice}`)).status).toBe(403)

      const alice = client()
      await alice.signIn('alice@a.test')
      expect(await errorCode(await alice.put(`/api/orga/members/${ids.alice}/role`, { role: 'MEMBER' }))).toBe('CANNOT_CHANGE_OWN_MEMBERSHIP')
      expect((await alice.delete(`/api/orga/members/${ids.alice}`)).status).toBe(409)
      expect((await alice.put(`/api/orga/members/${ids.marc}/role`, { role: 'ADMIN' })).status).toBe(204)
      // The new role applies at once to Marc's open session.
      expect((await readJson<OrgaMe>(await marc.get('/api/orga/me'))).role).toBe('ADMIN')
      expect((await alice.put(`/api/orga/members/${ids.marc}/role`, { role: 'MEMBER' })).status).toBe(204)
    })

    it('keeps organizations apart: A never reaches B’s members or invitations', async () => {
      const bruno = client()
      await bruno.signIn('bruno@b.test')
      await bruno.post('/api/orga/invitations', { emails: 'b-only@b.test' })
      const bInvitation = (await readJson<{ invitations: { id: string }[] }>(await bruno.get('/api/orga/invitations'))).invitations[0]!.id

      const alice = client()
      await alice.signIn('alice@a.test')
      const members = await readJson<{ members: { userId: string }[] }>(await alice.get('/api/orga/members'))
      expect(members.members.map((m) => m.userId)).not.toContain(ids.bruno)
      expect((await readJson<{ invitations: { id: string }[] }>(await alice.get('/api/orga/invitations'))).invitations.map((i) => i.id)).not.toContain(bInvitation)
      expect((await alice.put(`/api/orga/members/${ids.bruno}/role`, { role: 'MEMBER' })).status).toBe(404)
      expect((await alice.delete(`/api/orga/members/${ids.bruno}`)).status).toBe(404)
      expect((await alice.post(`/api/orga/invitations/${bInvitation}/resend`)).status).toBe(404)
      expect((await alice.delete(`/api/orga/invitations/${bInvitation}`)).status).toBe(404)
      expect((await alice.put('/api/orga/me/organization', { organizationId: ids.orgB })).status).toBe(403)
      // Bruno's invitation is intact.
      expect((await readJson<{ invitations: { id: string }[] }>(await bruno.get('/api/orga/invitations'))).invitations[0]!.id).toBe(bInvitation)
    })

    it('removes a member: their session stops working at once', async () => {
      const alice = client()
      await alice.signIn('alice@a.test')
      const marc = client()
      await marc.signIn('marc@a.test')
      expect((await alice.delete(`/api/orga/members/${ids.marc}`)).status).toBe(204)
      expect((await marc.get('/api/orga/members')).status).toBe(401)
      expect(await errorCode(await client().post('/api/orga/auth/sign-in', { email: 'marc@a.test', password: PASSWORD }))).toBe('NOT_A_MEMBER')
      await db.db.insert(memberships).values({ organizationId: ids.orgA, userId: ids.marc, role: 'MEMBER' })
    })
  })

  describe('password reset', () => {
    it('sends a single-use link, changes the password, ends open sessions', async () => {
      const open = client()
      await open.signIn('bruno@b.test')
      const before = smtp.mails.length
      expect((await client().post('/api/orga/auth/password-reset', { email: 'Bruno@b.test' })).status).toBe(202)
      const link = linkIn(await smtp.waitFor('bruno@b.test', { after: before }), '/orga/nouveau-mot-de-passe')
      const token = tokenOf(link)
      expect(await errorCode(await client().post('/api/orga/auth/password-reset/confirm', { token, password: 'weak' }))).toBe('WEAK_PASSWORD')
      expect((await client().post('/api/orga/auth/password-reset/confirm', { token, password: 'Changed-2026' })).status).toBe(204)
      expect(await errorCode(await client().post('/api/orga/auth/password-reset/confirm', { token, password: 'Again-2026x' }))).toBe('RESET_TOKEN_INVALID')
      expect((await open.get('/api/orga/me')).status).toBe(401)
      expect((await client().post('/api/orga/auth/sign-in', { email: 'bruno@b.test', password: PASSWORD })).status).toBe(401)
      await client().signIn('bruno@b.test', 'Changed-2026')
    })

    it('expires links after an hour and says nothing about unknown e-mails', async () => {
      const before = smtp.mails.length
      expect((await client().post('/api/orga/auth/password-reset', { email: 'ghost@nowhere.test' })).status).toBe(202)
      await client().post('/api/orga/auth/password-reset', { email: 'alice@a.test' })
      const link = linkIn(await smtp.waitFor('alice@a.test', { after: before }), '/orga/nouveau-mot-de-passe')
      expect(smtp.mails.slice(before).some((m) => m.to.includes('ghost@nowhere.test'))).toBe(false)
      clock.advance(3600_000 + 1000)
      expect((await client().post('/api/orga/auth/password-reset/confirm', { token: tokenOf(link), password: 'Changed-2026' })).status).toBe(410)
    })

    it('sends at most 3 links per account and hour', async () => {
      clock.advance(2 * 3600_000)
      const before = smtp.mails.length
      for (let i = 0; i < 5; i++) expect((await client().post('/api/orga/auth/password-reset', { email: 'marc@a.test' })).status).toBe(202)
      await smtp.waitFor('marc@a.test', { after: before })
      await new Promise((r) => setTimeout(r, 300))
      expect(smtp.mails.slice(before).filter((m) => m.to.includes('marc@a.test'))).toHaveLength(3)
    })
  })
})
