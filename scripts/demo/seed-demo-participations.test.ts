import { eq, inArray, isNull } from 'drizzle-orm'
import { createCampaign } from '../../server/src/campaigns'
import { validateAnswer } from '../../server/src/content/answer-validation'
import { loadReferential } from '../../server/src/content/load-referential'
import { campaignParticipations, campaigns, organizationLearners } from '../../server/src/db/schema'
import { DEMO_IDS, seedDemo } from '../../server/src/organizations/seed-demo'
import { fixedClock } from '../../server/src/shared/clock'
import { createTestDatabase, type TestDatabase } from '../../server/test/db'
import {
  DEMO_ASSESSMENT_CODE,
  DEMO_PROFILES_CODE,
  DEMO_STUDENTS,
  rightAnswerValue,
  seedDemoParticipations,
  wrongAnswerValue,
} from './seed-demo-participations'

const referential = loadReferential()
const NOW = new Date('2026-09-20T12:00:00Z')
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
  await seedDemo(database.db)
})
afterAll(() => database.drop())

it('builds right and wrong answers for every challenge of the content', () => {
  for (const ch of referential.challenges.values()) {
    expect([ch.id, validateAnswer(ch, rightAnswerValue(ch)).result]).toEqual([ch.id, 'ok'])
    expect([ch.id, validateAnswer(ch, wrongAnswerValue(ch)).result]).toEqual([ch.id, 'ko'])
  }
})

it('gives the demo campaigns simulated participations through the use cases, once', async () => {
  const { db } = database
  const ids: Record<string, string> = {}
  for (const [code, input] of [
    [DEMO_ASSESSMENT_CODE, { name: 'Rentrée', type: 'ASSESSMENT', targetProfileId: 'tp_panorama_rentree', multipleSendings: true }],
    [DEMO_PROFILES_CODE, { name: 'Profils', type: 'PROFILES_COLLECTION' }],
  ] as const) {
    const campaign = await createCampaign(
      { ...input, organizationId: DEMO_IDS.organization, ownerId: DEMO_IDS.teacher, creatorId: DEMO_IDS.teacher },
      { db, clock: fixedClock('2026-09-01T08:00:00Z'), targetProfileExists: (id) => referential.targetProfiles.has(id), generateCode: () => code },
    )
    ids[code] = campaign.id
  }
  const deps = { db, referential, retryDelayDays: 4, maxLevel: 5, now: NOW }

  const first = await seedDemoParticipations(deps)
  expect(first).toMatchObject({ seeded: true, students: 24 })
  expect(first.answers).toBeGreaterThan(200)

  const rows = await db.select().from(campaignParticipations).where(isNull(campaignParticipations.deletedAt))
  const assessment = rows.filter((r) => r.campaignId === ids[DEMO_ASSESSMENT_CODE])
  const live = assessment.filter((r) => !r.isImproved)
  const statusCount = (list: typeof rows, status: string) => list.filter((r) => r.status === status).length
  expect(live).toHaveLength(24)
  expect(statusCount(live, 'STARTED')).toBe(DEMO_STUDENTS.filter((s) => s.outcome === 'started').length)
  expect(statusCount(live, 'TO_SHARE')).toBe(DEMO_STUDENTS.filter((s) => s.outcome === 'to-share').length)
  expect(statusCount(live, 'SHARED')).toBe(DEMO_STUDENTS.filter((s) => s.outcome === 'shared').length)
  // Multiple sendings: the first participations of two students are kept as improved.
  expect(assessment.filter((r) => r.isImproved)).toHaveLength(2)
  const masteryRates = live.filter((r) => r.status === 'SHARED').map((r) => r.masteryRate!)
  expect(Math.max(...masteryRates)).toBeGreaterThan(Math.min(...masteryRates))

  const profiles = rows.filter((r) => r.campaignId === ids[DEMO_PROFILES_CODE])
  expect(profiles).toHaveLength(DEMO_STUDENTS.filter((s) => s.sendsProfile && s.outcome === 'shared').length)
  expect(profiles.every((r) => r.status === 'SHARED' && r.pixScore !== null)).toBe(true)

  // Dates over the 10 days before "now".
  for (const r of rows) {
    expect(r.createdAt.getTime()).toBeGreaterThan(NOW.getTime() - 10 * 86_400_000)
    expect((r.sharedAt ?? r.createdAt).getTime()).toBeLessThan(NOW.getTime())
  }
  // The campaigns are dated before their first participants.
  const created = await db.select({ createdAt: campaigns.createdAt }).from(campaigns).where(inArray(campaigns.id, Object.values(ids)))
  for (const c of created) expect(c.createdAt.getTime()).toBeLessThanOrEqual(Math.min(...rows.map((r) => r.createdAt.getTime())))
  // Imported TD lists, reconciled with the students who had a student number.
  const learners = await db.select().from(organizationLearners).where(eq(organizationLearners.organizationId, DEMO_IDS.organization))
  expect(learners).toHaveLength(24)
  expect(learners.filter((l) => l.group === 'TD1' && l.userId)).toHaveLength(4)
  expect(learners.filter((l) => l.group === 'TD2' && l.userId)).toHaveLength(4)

  // Idempotent: a second start adds nothing.
  expect(await seedDemoParticipations(deps)).toMatchObject({ seeded: false })
  const after = await db.select().from(campaignParticipations).where(isNull(campaignParticipations.deletedAt))
  expect(after).toHaveLength(rows.length)
}, 120_000)
