/** A learner's first participation is attached to the row their organization imported (reconciliation). */
import { and, eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { loadReferential } from '../content/load-referential'
import { campaignParticipations, memberships, organizationLearners, organizations, users } from '../db/schema'
import { fixedClock } from '../shared/clock'
import { createCampaign } from './create-campaign'
import type { ParticipationDeps } from './learner-context'
import { startParticipation } from './start-participation'

const ORG = '10000000-0000-4000-8000-0000000000a1'
const TEACHER = '20000000-0000-4000-8000-0000000000a1'
const LEA = '30000000-0000-4000-8000-0000000000a1'
const HUGO = '30000000-0000-4000-8000-0000000000a2'
let db: TestDatabase
let deps: ParticipationDeps
let code: string

beforeAll(async () => {
  db = await createTestDatabase()
  const referential = loadReferential()
  const clock = fixedClock('2026-09-01T08:00:00Z')
  deps = { db: db.db, clock, referential, retryDelayDays: 4, maxLevel: 5 }
  await db.db.insert(organizations).values({ id: ORG, name: 'Université' })
  await db.db.insert(users).values([{ id: TEACHER }, { id: LEA, firstName: 'Léa', lastName: 'Martin' }, { id: HUGO, firstName: 'Hugo', lastName: 'Bernard' }])
  await db.db.insert(memberships).values({ organizationId: ORG, userId: TEACHER, role: 'ADMIN' })
  // The organization imported its students (CSV) before anyone launched Jalon.
  await db.db.insert(organizationLearners).values([
    { organizationId: ORG, firstName: 'Léa', lastName: 'MARTIN', studentNumber: '22400117', group: 'TD1', source: 'IMPORT' },
    { organizationId: ORG, firstName: 'Zoé', lastName: 'Durand', studentNumber: '22400999', group: 'TD2', source: 'IMPORT' },
  ])
  const campaign = await createCampaign(
    { organizationId: ORG, name: 'Rentrée', type: 'PROFILES_COLLECTION', ownerId: TEACHER, creatorId: TEACHER },
    { db: db.db, clock, targetProfileExists: () => true },
  )
  code = campaign.code
})
afterAll(() => db.drop())

async function learnerRowOf(userId: string) {
  const [p] = await db.db.select().from(campaignParticipations).where(eq(campaignParticipations.userId, userId))
  const [row] = await db.db.select().from(organizationLearners).where(eq(organizationLearners.id, p!.organizationLearnerId!))
  return row!
}

describe('startParticipation and the organization learners', () => {
  it('links the imported row with the same student number (names match, accents and case aside)', async () => {
    await startParticipation(
      { code, learner: { userId: LEA, organizationId: ORG, launchId: 'l1', externalId: '22400117', firstName: 'Léa', lastName: 'Martin' } },
      deps,
    )
    const row = await learnerRowOf(LEA)
    expect(row).toMatchObject({ studentNumber: '22400117', group: 'TD1', source: 'IMPORT', userId: LEA })
  })

  it('never takes another student’s row: a number that belongs to someone else gives a new row without it', async () => {
    await startParticipation(
      { code, learner: { userId: HUGO, organizationId: ORG, launchId: 'l2', externalId: '22400999', firstName: 'Hugo', lastName: 'Bernard' } },
      deps,
    )
    const row = await learnerRowOf(HUGO)
    expect(row).toMatchObject({ userId: HUGO, studentNumber: null, source: 'LTI' })
    const [zoe] = await db.db
      .select()
      .from(organizationLearners)
      .where(and(eq(organizationLearners.organizationId, ORG), eq(organizationLearners.studentNumber, '22400999')))
    expect(zoe!.userId).toBeNull()
  })
})
