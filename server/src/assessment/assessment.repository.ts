/** SQL ↔ assessments, answers, knowledge elements, saved tutorials. The only assessment file that knows these tables. */
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { answers, assessments, campaignParticipations, campaigns, knowledgeElements, savedTutorials } from '../db/schema'
import type { KnowledgeElement } from './engine'

export type Executor = Db | Tx
export type AssessmentRow = typeof assessments.$inferSelect
export type AnswerRow = typeof answers.$inferSelect
export type KnowledgeElementRow = typeof knowledgeElements.$inferSelect
export type NewAssessment = typeof assessments.$inferInsert

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function insertAssessment(db: Executor, values: NewAssessment): Promise<AssessmentRow> {
  const [row] = await db.insert(assessments).values(values).returning()
  return row!
}

/** The assessment if it belongs to `userId`; `forUpdate` serialises concurrent answers to it. */
export async function findOwnAssessment(db: Executor, id: string, userId: string, forUpdate = false): Promise<AssessmentRow | undefined> {
  if (!UUID.test(id)) return undefined
  const query = db.select().from(assessments).where(and(eq(assessments.id, id), eq(assessments.userId, userId)))
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function updateAssessment(db: Executor, id: string, values: Partial<NewAssessment>): Promise<void> {
  await db.update(assessments).set(values).where(eq(assessments.id, id))
}

export async function listAnswers(db: Executor, assessmentId: string): Promise<AnswerRow[]> {
  return db.select().from(answers).where(eq(answers.assessmentId, assessmentId)).orderBy(asc(answers.createdAt), asc(answers.id))
}

/** Inserts once per (assessment, challenge); returns undefined when the answer already exists. */
export async function insertAnswer(db: Executor, values: typeof answers.$inferInsert): Promise<AnswerRow | undefined> {
  const [row] = await db.insert(answers).values(values).onConflictDoNothing().returning()
  return row
}

export async function findAnswer(db: Executor, assessmentId: string, challengeId: string): Promise<AnswerRow | undefined> {
  const [row] = await db.select().from(answers).where(and(eq(answers.assessmentId, assessmentId), eq(answers.challengeId, challengeId)))
  return row
}

export async function insertKnowledgeElements(db: Executor, rows: (typeof knowledgeElements.$inferInsert)[]): Promise<void> {
  if (rows.length) await db.insert(knowledgeElements).values(rows)
}

/** Every KE of a user, oldest first (optionally only those created before a date). */
export async function listKnowledgeElements(db: Executor, userId: string, before?: Date): Promise<KnowledgeElementRow[]> {
  const where = before ? and(eq(knowledgeElements.userId, userId), lt(knowledgeElements.createdAt, before)) : eq(knowledgeElements.userId, userId)
  return db.select().from(knowledgeElements).where(where).orderBy(asc(knowledgeElements.createdAt), asc(knowledgeElements.id))
}

export const toEngineKe = (row: KnowledgeElementRow): KnowledgeElement => ({
  skillId: row.skillId,
  status: row.status,
  source: row.source,
  earnedPix: row.earnedPix,
  createdAt: row.createdAt.getTime(),
})

/** The target profile of a campaign assessment (through its participation). */
export async function campaignTargetProfileId(db: Executor, participationId: string): Promise<string | null> {
  const [row] = await db
    .select({ targetProfileId: campaigns.targetProfileId })
    .from(campaignParticipations)
    .innerJoin(campaigns, eq(campaigns.id, campaignParticipations.campaignId))
    .where(eq(campaignParticipations.id, participationId))
  return row?.targetProfileId ?? null
}

/** A finished campaign test waits for its results to be shared. */
export async function markParticipationToShare(db: Executor, participationId: string): Promise<void> {
  await db
    .update(campaignParticipations)
    .set({ status: 'TO_SHARE' })
    .where(and(eq(campaignParticipations.id, participationId), eq(campaignParticipations.status, 'STARTED')))
}

export async function hasAnyAssessment(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`1` }).from(assessments).where(eq(assessments.userId, userId)).limit(1)
  return Boolean(row)
}

export async function latestCompetenceEvaluations(db: Executor, userId: string): Promise<AssessmentRow[]> {
  return db
    .select()
    .from(assessments)
    .where(and(eq(assessments.userId, userId), eq(assessments.type, 'COMPETENCE_EVALUATION')))
    .orderBy(desc(assessments.createdAt))
}

export async function listSavedTutorialIds(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.select().from(savedTutorials).where(eq(savedTutorials.userId, userId)).orderBy(desc(savedTutorials.createdAt))
  return rows.map((r) => r.tutorialId)
}

export async function saveTutorial(db: Executor, userId: string, tutorialId: string, createdAt: Date): Promise<void> {
  await db.insert(savedTutorials).values({ userId, tutorialId, createdAt }).onConflictDoNothing()
}

export async function unsaveTutorial(db: Executor, userId: string, tutorialId: string): Promise<void> {
  await db.delete(savedTutorials).where(and(eq(savedTutorials.userId, userId), eq(savedTutorials.tutorialId, tutorialId)))
}
