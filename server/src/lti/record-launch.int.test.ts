/**
 * recordLaunch writes users, memberships, courses and course members in one statement: it must keep the
 * rules of organizations/ (user.repository, membership.repository, course.repository) — checked here.
 */
import { and, eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { courseMembers, courses, ltiLaunches, ltiOneTimeCodes, ltiResourceLinks, ltiUserIdentities, memberships, users } from '../db/schema'
import { findDeployment } from './platform.repository'
import { recordLaunch, type RecordLaunchInput } from './record-launch.repository'
import { registerPlatform } from './register-platform'

let db: TestDatabase
let base: Omit<RecordLaunchInput, 'subject'>

beforeAll(async () => {
  db = await createTestDatabase()
  const platform = await registerPlatform(
    {
      name: 'Moodle',
      issuer: 'https://moodle.test',
      clientId: 'c1',
      authLoginUrl: 'https://moodle.test/auth',
      authTokenUrl: 'https://moodle.test/token',
      jwksUrl: 'https://moodle.test/certs',
      deploymentIds: ['1'],
      organizationName: 'Lycée',
    },
    { db: db.db },
  )
  const deployment = (await findDeployment(db.db, platform.id, '1'))!
  base = {
    platformId: platform.id,
    deploymentRowId: deployment.id,
    organizationId: deployment.organizationId,
    profile: { firstName: 'Léa', lastName: 'Martin', email: 'lea@test', locale: 'fr' },
    externalId: 'E1',
    attributes: { uai: '0750001A' },
    membershipRole: null,
    course: { sourceKey: `lti:${deployment.id}:C1`, label: 'L1', title: 'Cours', rosterUrl: 'https://moodle.test/roster', role: 'learner', groups: ['A'] },
    link: { resourceLinkId: 'R1', title: 'Test', lineItemUrl: 'https://moodle.test/li/1', lineItemsUrl: 'https://moodle.test/li' },
    launch: { messageType: 'LtiResourceLinkRequest', context: { role: 'learner' }, services: { agsScopes: [] } },
    appCode: null,
  }
})
afterAll(async () => {
  await db?.drop()
})

test('a first launch creates the user, identity, course, member, link and launch; the next one reuses them', async () => {
  const first = await recordLaunch(db.db, { ...base, subject: 's1' })
  const again = await recordLaunch(db.db, { ...base, subject: 's1' })
  expect(again.userId).toBe(first.userId)
  expect(again.courseId).toBe(first.courseId)
  expect(again.link?.id).toBe(first.link?.id)
  expect(again.launchId).not.toBe(first.launchId)
  const [launch] = await db.db.select().from(ltiLaunches).where(eq(ltiLaunches.id, again.launchId))
  expect(launch!.context).toMatchObject({ role: 'learner', userId: first.userId, courseId: first.courseId, resourceLinkId: first.link!.id })
  expect(launch!.context).not.toHaveProperty('campaignId')
  expect(launch!.services).toMatchObject({ agsScopes: [], lineItemUrl: 'https://moodle.test/li/1' })
  expect(await db.db.select().from(users).where(eq(users.id, first.userId))).toEqual([expect.objectContaining({ firstName: 'Léa', email: 'lea@test' })])
})

test('only what a launch sends overwrites: names, external id, groups, course and link fields are kept otherwise', async () => {
  const first = await recordLaunch(db.db, { ...base, subject: 's2' })
  await recordLaunch(db.db, {
    ...base,
    subject: 's2',
    profile: { firstName: null, lastName: null, email: 'new@test', locale: null },
    externalId: null,
    attributes: { division: '2nde B' },
    course: { ...base.course!, label: null, title: null, rosterUrl: null, role: 'teacher', groups: undefined },
    link: { ...base.link!, title: null, lineItemUrl: null },
  })
  const [user] = await db.db.select().from(users).where(eq(users.id, first.userId))
  expect(user).toMatchObject({ firstName: 'Léa', lastName: 'Martin', email: 'new@test', locale: 'fr' })
  const [identity] = await db.db.select().from(ltiUserIdentities).where(eq(ltiUserIdentities.userId, first.userId))
  expect(identity).toMatchObject({ externalId: 'E1', attributes: { uai: '0750001A', division: '2nde B' } })
  const [member] = await db.db
    .select()
    .from(courseMembers)
    .where(and(eq(courseMembers.courseId, first.courseId!), eq(courseMembers.userId, first.userId)))
  expect(member).toMatchObject({ role: 'teacher', groups: ['A'] })
  const [course] = await db.db.select().from(courses).where(eq(courses.id, first.courseId!))
  expect(course).toMatchObject({ label: 'L1', title: 'Cours', rosterUrl: 'https://moodle.test/roster' })
  const [link] = await db.db.select().from(ltiResourceLinks).where(eq(ltiResourceLinks.id, first.link!.id))
  expect(link).toMatchObject({ title: 'Test', lineItemUrl: 'https://moodle.test/li/1' })
})

test('a changed course title is written; a learner gets no membership; MEMBER becomes ADMIN, never back', async () => {
  const learner = await recordLaunch(db.db, { ...base, subject: 's3', course: { ...base.course!, title: 'Cours renommé' } })
  const [course] = await db.db.select().from(courses).where(eq(courses.id, learner.courseId!))
  expect(course!.title).toBe('Cours renommé')
  const role = async (userId: string) =>
    (await db.db.select({ role: memberships.role }).from(memberships).where(eq(memberships.userId, userId)))[0]?.role
  expect(await role(learner.userId)).toBeUndefined()

  const t = await recordLaunch(db.db, { ...base, subject: 't1', membershipRole: 'MEMBER' })
  expect(await role(t.userId)).toBe('MEMBER')
  await recordLaunch(db.db, { ...base, subject: 't1', membershipRole: 'ADMIN' })
  expect(await role(t.userId)).toBe('ADMIN')
  await recordLaunch(db.db, { ...base, subject: 't1', membershipRole: 'MEMBER' })
  expect(await role(t.userId)).toBe('ADMIN')
})

test('the app code is written only when the link is bound to a campaign; no context, no link: still one launch', async () => {
  const unbound = await recordLaunch(db.db, { ...base, subject: 's4', appCode: { hash: 'h-unbound', expiresAt: new Date(Date.now() + 60_000) } })
  expect(unbound.appCodeCreated).toBe(false)
  const campaignId = '00000000-0000-4000-8000-000000000001'
  await db.db.update(ltiResourceLinks).set({ campaignId }).where(eq(ltiResourceLinks.id, unbound.link!.id))
  const bound = await recordLaunch(db.db, { ...base, subject: 's4', appCode: { hash: 'h-bound', expiresAt: new Date(Date.now() + 60_000) } })
  expect(bound.appCodeCreated).toBe(true)
  expect(bound.link?.campaignId).toBe(campaignId)
  expect(await db.db.select().from(ltiOneTimeCodes).where(eq(ltiOneTimeCodes.codeHash, 'h-bound'))).toEqual([
    expect.objectContaining({ purpose: 'app', launchId: bound.launchId }),
  ])
  const bare = await recordLaunch(db.db, { ...base, subject: 's5', course: null, link: null })
  expect(bare.courseId).toBeUndefined()
  expect(bare.link).toBeUndefined()
})

test('two first launches of one subject at once end on one identity, and both launches use its user', async () => {
  const [a, b] = await Promise.all([recordLaunch(db.db, { ...base, subject: 'race' }), recordLaunch(db.db, { ...base, subject: 'race' })])
  expect(a.userId).toBe(b.userId)
})
