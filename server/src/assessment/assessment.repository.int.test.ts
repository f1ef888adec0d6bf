/**
 * The hot-path statements sent on the raw connection (lockAssessment, recordAnswer) against what drizzle
 * reads and writes for the same rows: same row shape, same values.
 */
import { asc, eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertCampaign, insertMember, insertOrganization, insertParticipation, insertUser } from '../../test/factories'
import { answers, knowledgeElements } from '../db/schema'
import { createAssessment } from './create-assessment'
import { findOwnAssessment, listAnswers, lockAssessment, markChallengeAsked, readAssessment, recordAnswer, updateAssessment } from './assessment.repository'

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
  // The unlocked read returns the same.
  expect(await readAssessment(db.db, assessment.id, learner.id)).toEqual(await db.db.transaction((tx) => lockAssessment(tx, assessment.id, learner.id)))
  expect(await readAssessment(db.db, assessment.id, campaign.ownerId)).toBeUndefined()
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
  const recorded = await db.db.transaction((tx) =>
    recordAnswer(tx, {
      answer,
      knowledgeElements: [
        { ...ke, skillId: 'skill_a', status: 'validated', earnedPix: 4 },
        { ...ke, skillId: 'skill_b', status: 'invalidated', source: 'inferred', earnedPix: 0 },
      ],
      next: { currentChallengeId: 'c2', currentChallengeAskedAt: null },
    }),
  )
  expect(recorded).toBe(true)
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
  expect(
    await db.db.transaction((tx) =>
      recordAnswer(tx, { answer: { ...answer, id: '0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e02', challengeId: 'c2', createdAt: new Date(at.getTime() + 1) }, knowledgeElements: [] }),
    ),
  ).toBe(true)
  expect(await db.db.select().from(answers).where(eq(answers.assessmentId, assessment.id))).toHaveLength(2)
  expect(await findOwnAssessment(db.db, assessment.id, learner.id)).toMatchObject({ currentChallengeId: 'c2' })
})

it('recordAnswer writes nothing once the test has moved on (no lock needed)', async () => {
  const { learner, assessment } = await campaignAssessment()
  const at = new Date('2026-11-20T08:02:00.789Z')
  const answer = (id: string, challengeId: string) => ({ id, assessmentId: assessment.id, challengeId, value: '1', result: 'ok' as const, timeSpentSeconds: 3, createdAt: at })
  const ke = (answerId: string) => ({ userId: learner.id, assessmentId: assessment.id, answerId, skillId: 'skill_a', competenceCode: '1.1', status: 'validated' as const, source: 'direct' as const, earnedPix: 4, createdAt: at })
  const first = '0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e11'
  const twin = '0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e12'
  // Two requests that read the test on c1 (a double click): the first write wins, the second writes nothing.
  expect(await recordAnswer(db.db, { answer: answer(first, 'c1'), knowledgeElements: [ke(first)], next: { currentChallengeId: 'c2', currentChallengeAskedAt: at } })).toBe(true)
  expect(await recordAnswer(db.db, { answer: answer(twin, 'c1'), knowledgeElements: [ke(twin)], next: { currentChallengeId: 'c3', currentChallengeAskedAt: at } })).toBe(false)
  // An answer to a challenge that is not the current one, or to a finished test, is not written either.
  expect(await recordAnswer(db.db, { answer: answer(twin, 'c9'), knowledgeElements: [ke(twin)] })).toBe(false)
  await updateAssessment(db.db, assessment.id, { state: 'completed' })
  expect(await recordAnswer(db.db, { answer: answer(twin, 'c2'), knowledgeElements: [ke(twin)] })).toBe(false)
  expect((await listAnswers(db.db, assessment.id)).map((a) => a.id)).toEqual([first])
  expect((await db.db.select().from(knowledgeElements).where(eq(knowledgeElements.assessmentId, assessment.id))).map((k) => k.answerId)).toEqual([first])
  expect(await findOwnAssessment(db.db, assessment.id, learner.id)).toMatchObject({ currentChallengeId: 'c2', currentChallengeAskedAt: at })
})

it('recordAnswer waits for a transaction holding the row, then checks the test again', async () => {
  const { learner, assessment } = await campaignAssessment()
  const at = new Date('2026-11-20T08:02:00.789Z')
  const row = (id: string) => ({ id, assessmentId: assessment.id, challengeId: 'c1', value: '1', result: 'ok' as const, timeSpentSeconds: 3, createdAt: at })
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  // A request on the locked path answers c1 while an unlocked write of the same answer waits for the row.
  const locked = db.db.transaction(async (tx) => {
    await lockAssessment(tx, assessment.id, learner.id)
    await held
    return recordAnswer(tx, { answer: row('0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e21'), knowledgeElements: [], next: { currentChallengeId: 'c2', currentChallengeAskedAt: null } })
  })
  await new Promise((r) => setTimeout(r, 50))
  const unlocked = recordAnswer(db.db, { answer: row('0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e22'), knowledgeElements: [], next: { currentChallengeId: 'c3', currentChallengeAskedAt: null } })
  await new Promise((r) => setTimeout(r, 50))
  release()
  expect(await locked).toBe(true)
  expect(await unlocked).toBe(false)
  expect((await listAnswers(db.db, assessment.id)).map((a) => a.id)).toEqual(['0b6c6a43-2f0e-4c55-9a51-5d1c2b8a7e21'])
  expect(await findOwnAssessment(db.db, assessment.id, learner.id)).toMatchObject({ currentChallengeId: 'c2' })
})

it('markChallengeAsked starts the current challenge once, and only that one', async () => {
  const { learner, assessment } = await campaignAssessment()
  await updateAssessment(db.db, assessment.id, { currentChallengeAskedAt: null })
  const first = new Date('2026-11-20T08:03:00.001Z')
  expect(await markChallengeAsked(db.db, assessment.id, 'c9', first)).toBe(false)
  expect(await markChallengeAsked(db.db, assessment.id, 'c1', first)).toBe(true)
  expect(await markChallengeAsked(db.db, assessment.id, 'c1', new Date('2026-11-20T08:04:00.000Z'))).toBe(false)
  expect(await findOwnAssessment(db.db, assessment.id, learner.id)).toMatchObject({ currentChallengeId: 'c1', currentChallengeAskedAt: first })
  await updateAssessment(db.db, assessment.id, { state: 'completed', currentChallengeAskedAt: null })
  expect(await markChallengeAsked(db.db, assessment.id, 'c1', first)).toBe(false)
})
