/**
 * The security suite's world: the real Jalon (startJalon, every router) with the LMS emulator, two
 * organizations A and B that each own a campaign, a participation, an imported learner, an invitation and a
 * places lot, and two learners (Léa, Inès) launched from the LMS with their own assessments.
 * B's rows carry the marker `B_SECRET` so a leak into A's answers is easy to spot.
 */
import type { Logger } from '../../src/shared/logger'
import { organizationLearners, userCredentials } from '../../src/db/schema'
import { hashPassword } from '../../src/organizations/access/password'
import { createTestDatabase, type TestDatabase } from '../db'
import { insertCampaign, insertParticipation, insertUser } from '../factories'
import { bindWithNewCampaign, exchangeCode, startLtiRig, type LtiRig } from '../lti-rig'
import { testLogger } from '../logger'

export const PASSWORD = 'Jalon-Secu-2026'
export const B_SECRET = 'BSECRETZQ'

export interface Tenant {
  orgId: string
  adminId: string
  adminEmail: string
  memberId: string
  memberEmail: string
  campaignId: string
  campaignCode: string
  /** Owned by the admin; the member of the same organization does not own it. */
  participationId: string
  learnerId: string
  invitationId: string
  lotId: string
}

export interface LaunchedLearner {
  token: string
  userId: string
  code: string
  participationId: string
  assessmentId: string
}

export interface World {
  db: TestDatabase
  rig: LtiRig
  url: string
  a: Tenant
  b: Tenant
  lea: LaunchedLearner
  ines: LaunchedLearner
  /** A teacher's bearer token (LTI launch as teacher). */
  teacherToken: string
  close(): Promise<void>
}

export type Json = Record<string, unknown>

/** A cookie-keeping client (one browser tab). */
export function client(baseUrl: string) {
  let cookie = ''
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const set = res.headers.get('set-cookie')
    if (set?.startsWith('jalon_orga=')) cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!
    return res
  }
  return {
    call,
    async signIn(email: string, password = PASSWORD) {
      const res = await call('POST', '/api/orga/auth/sign-in', { email, password })
      if (res.status !== 200) throw new Error(`sign-in ${email}: ${res.status} ${await res.text()}`)
      return this
    },
    get cookie() {
      return cookie
    },
  }
}
export type Client = ReturnType<typeof client>

async function seedTenant(world: { db: TestDatabase; url: string }, key: 'a' | 'b'): Promise<Tenant> {
  const { db } = world
  const mark = key === 'b' ? ` ${B_SECRET}` : ''
  const hash = await hashPassword(PASSWORD)
  const org = (await db.pool.query(`INSERT INTO organizations (name) VALUES ($1) RETURNING id`, [`Université ${key.toUpperCase()}${mark}`])).rows[0].id as string
  const person = async (role: 'ADMIN' | 'MEMBER', name: string) => {
    const email = `${name}.${key}@secu.test`
    const u = await insertUser(db.db, { firstName: `${name}${mark}`, lastName: `Secu${mark}`, email })
    await db.db.insert(userCredentials).values({ userId: u.id, email, passwordHash: hash })
    await db.pool.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`, [org, u.id, role])
    return { id: u.id, email }
  }
  const admin = await person('ADMIN', 'admin')
  const member = await person('MEMBER', 'member')
  const campaign = await insertCampaign(db.db, { organizationId: org, ownerId: admin.id, name: `Campagne ${key.toUpperCase()}${mark}` })
  const student = await insertUser(db.db, { firstName: `Élève${mark}`, lastName: `Secu${mark}` })
  const [learner] = await db.db
    .insert(organizationLearners)
    .values({ organizationId: org, userId: student.id, firstName: `Élève${mark}`, lastName: `Secu${mark}`, studentNumber: `N-${key}-1`, source: 'IMPORT' })
    .returning()
  const now = new Date()
  const participation = await insertParticipation(
    db.db,
    { campaignId: campaign.id, userId: student.id, organizationLearnerId: learner!.id, participantExternalId: `ext${mark}`, status: 'SHARED', sharedAt: now, masteryRate: 0.5 },
    { assessmentState: 'completed', snapshot: [] },
  )
  const admin$ = await client(world.url).signIn(admin.email)
  const inv = await admin$.call('POST', '/api/orga/invitations', { emails: [`invite.${key}@secu.test`], role: 'MEMBER' })
  if (inv.status !== 201) throw new Error(`invitation: ${inv.status} ${await inv.text()}`)
  const invitations = ((await (await admin$.call('GET', '/api/orga/invitations')).json()) as { invitations: { id: string }[] }).invitations
  const lot = await admin$.call('POST', '/api/orga/places/lots', { count: 30, activationDate: '2026-01-01', expirationDate: '2030-01-01' })
  if (lot.status !== 201) throw new Error(`lot: ${lot.status} ${await lot.text()}`)
  const lotId = (await db.pool.query(`SELECT id FROM places_lots WHERE organization_id = $1`, [org])).rows[0].id as string
  return {
    orgId: org,
    adminId: admin.id,
    adminEmail: admin.email,
    memberId: member.id,
    memberEmail: member.email,
    campaignId: campaign.id,
    campaignCode: campaign.code,
    participationId: participation.id,
    learnerId: learner!.id,
    invitationId: invitations[0]!.id,
    lotId,
  }
}

async function launchLearner(rig: LtiRig, userId: string, resourceLinkId: string): Promise<LaunchedLearner> {
  const r = await rig.emu.launch({ userId, resourceLinkId })
  const { token, launch } = await exchangeCode(rig.jalon.url, r.launchResponse.headers.get('location'))
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const home = (await (await fetch(`${rig.jalon.url}/api/learner/home`, { headers: auth })).json()) as Json
  const code = String(home.launchCampaignCode ?? '')
  if (!code) throw new Error(`no campaign on the learner home: ${JSON.stringify(home)}`)
  const res = await fetch(`${rig.jalon.url}/api/learner/campaigns/${code}/participations`, { method: 'POST', headers: auth, body: '{}' })
  const started = (await res.json()) as Json
  if (!started.assessmentId) throw new Error(`participation: ${res.status} ${JSON.stringify(started)}`)
  return { token, userId: String(launch.userId), code, participationId: String(started.participationId), assessmentId: String(started.assessmentId) }
}

export async function createWorld(options: { logger?: Logger; clientDistDir?: string } = {}): Promise<World> {
  const db = await createTestDatabase()
  const rig = await startLtiRig(db.url, options.logger ?? testLogger, { clientDistDir: options.clientDistDir })
  const url = rig.jalon.url
  try {
    const a = await seedTenant({ db, url }, 'a')
    const b = await seedTenant({ db, url }, 'b')
    const link = rig.emu.demoActivityId
    await bindWithNewCampaign(rig, link, 'Campagne LTI')
    const lea = await launchLearner(rig, rig.emu.users.lea.id, link)
    const ines = await launchLearner(rig, rig.emu.users.ines.id, link)
    const t = await rig.emu.launch({ userId: rig.emu.users.teacher.id, resourceLinkId: link })
    const teacherToken = (await exchangeCode(url, t.launchResponse.headers.get('location'))).token
    return {
      db,
      rig,
      url,
      a,
      b,
      lea,
      ines,
      teacherToken,
      async close() {
        await rig.close()
        await db.drop()
      },
    }
  } catch (err) {
    await rig.close()
    await db.drop()
    throw err
  }
}

/** One fingerprint of every row of every table (sessions and throttles excepted, named by the caller). */
export async function databaseFingerprint(db: TestDatabase, except: string[] = []): Promise<Record<string, string>> {
  const { rows } = await db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )
  const tables = rows.map((r) => r.table_name).filter((t) => !except.includes(t) && !t.startsWith('__drizzle'))
  const sql = tables
    .map((t) => `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS f FROM "${t}" x`)
    .join(' UNION ALL ')
  const result = await db.pool.query<{ t: string; f: string }>(sql)
  return Object.fromEntries(result.rows.map((r) => [r.t, r.f]))
}
