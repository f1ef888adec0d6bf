/**
 * The hot-path statements sent on the raw connection (lockAssessment, recordAnswer) against what drizzle
 * reads and writes for the same rows: same row shape, same values.
 */
import { asc, eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertCampaign, insertMember, insertOrganization, insertParticipation, insertUser } from '../../test/factories'
import { answers, knowledgeElements } from '../db/schema'
import { createAssessment } from './create-assessment'
import { findOwnAssessment, listAnswers, lockAssessment, recordAnswer, updateAssessment } from './assessment.repository'

let db: TestDatabase
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.drop())

async function campaignAssessment() {
  const organization = await insertOrganization(db.db)
  const owner = await insertMember(db.db, organization.id, 'ADMIN')
  const campaign = await insertCampaign(db.db, { organizationId: organization.id, ownerId: owner.id, targetProfileId: 'tp_kit_survie' })
  const learner = await insertUser(db.db)
  const participation = await insertParticipation(db.db, { campaignId: campaign.id, userId: learner.id, status: 'STARTED' })
  const assessment = await createAssessment(
    db.db,
    { userId: learner.id, type: 'CAMPAIGN', campaignParticipationId: participation.id, isImproving: true },
    { clock: { now: () => new Date('2026-11-20T08:00:00.123Z') }, contentVersion: 'test', retryDelayDays: 4 },
  )
  await updateAssessment(db.db, assessment.id, { currentChallengeId: 'c1', currentChallengeAskedAt: new Date('2026-11-20T08:01:00.456Z') })
  return { campaign, learner, assessment }
}

it('lockAssessment returns the row drizzle reads, the campaign, its target profile and the answers in replay order', async () => {
  const { campaign, learner, assessment } = await campaignAssessment()
  await db.db.transaction(async (tx) => {
    const found = await lockAssessment(tx, assessment.id, learner.id)
    expect(found?.assessment).toEqual(await findOwnAssessment(tx, assessment.id, learner.id))
    expect(found).toMatchObject({ targetProfileId: 'tp_kit_survie', campaignId: campaign.id, answers: [] })
  })
  expect(await db.db.transaction((tx) => lockAssessment(tx, assessment.id, campaign.ownerId))).toBeUndefined()
  expect(await db.db.transaction((tx) => lockAssessment(tx, 'not-a-uuid', learner.id))).toBeUndefined()
})

it('recordAnswer stores the answer, its KEs and the next step as drizzle would read them back', async () => {
  const { learner, assessment } = await campaignAssessment()
  const at = new Date('2026-11-20T08:02:00.789Z')
  const answer = {
    id: '0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e01',
    assessmentId: assessment.id,
    challengeId: 'c1',
    value: 'texte avec , virgule et "guillemets"',
    result: 'ok' as const,
    resultDetails: { key: ['a', 'b'] },
    timeSpentSeconds: 12.5,
    createdAt: at,
  }
  const ke = { userId: learner.id, assessmentId: assessment.id, answerId: answer.id, competenceCode: '1.1', source: 'direct' as const, createdAt: at }
  await db.db.transaction((tx) =>
    recordAnswer(tx, {
      answer,
      knowledgeElements: [
        { ...ke, skillId: 'skill_a', status: 'validated', earnedPix: 4 },
        { ...ke, skillId: 'skill_b', status: 'invalidated', source: 'inferred', earnedPix: 0 },
      ],
      next: { currentChallengeId: 'c2', currentChallengeAskedAt: null },
    }),
  )
  expect(await listAnswers(db.db, assessment.id)).toEqual([answer])
  const kes = await db.db.select().from(knowledgeElements).where(eq(knowledgeElements.assessmentId, assessment.id)).orderBy(asc(knowledgeElements.skillId))
  expect(kes.map(({ id: _id, ...k }) => k)).toEqual([
    { ...ke, skillId: 'skill_a', status: 'validated', earnedPix: 4 },
    { ...ke, skillId: 'skill_b', status: 'invalidated', source: 'inferred', earnedPix: 0 },
  ])
  expect(await findOwnAssessment(db.db, assessment.id, learner.id)).toMatchObject({ currentChallengeId: 'c2', currentChallengeAskedAt: null })
  const locked = await db.db.transaction((tx) => lockAssessment(tx, assessment.id, learner.id))
  expect(locked?.answers).toEqual([{ id: answer.id, challengeId: 'c1', result: 'ok', createdAt: at }])

  // Without a next step the assessment row is left as it is (the end of the test is written apart).
  await db.db.transaction((tx) =>
    recordAnswer(tx, { answer: { ...answer, id: '0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e02', challengeId: 'c2', createdAt: new Date(at.getTime() + 1) }, knowledgeElements: [] }),
  )
  expect(await db.db.select().from(answers).where(eq(answers.assessmentId, assessment.id))).toHaveLength(2)
  expect(await findOwnAssessment(db.db, assessment.id, learner.id)).toMatchObject({ currentChallengeId: 'c2' })
})
