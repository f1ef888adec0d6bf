/** SQL ↔ assessments, answers, knowledge elements, saved tutorials. The only assessment file that knows these tables. */
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm'
import { pgConnectionOf, type Db, type Tx } from '../db/client'
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

/** A test left unfinished for good (its competence was reset): it is never resumed. */
export async function abortAssessment(db: Executor, id: string): Promise<void> {
  await db.update(assessments).set({ state: 'aborted', currentChallengeId: null, currentChallengeAskedAt: null }).where(and(eq(assessments.id, id), eq(assessments.state, 'started')))
}

export async function updateAssessment(db: Executor, id: string, values: Partial<NewAssessment>): Promise<void> {
  await db.update(assessments).set(values).where(eq(assessments.id, id))
}

/** What replaying a test needs of an answer (and what an answer request returns). */
export type AnswerSummary = Pick<AnswerRow, 'id' | 'challengeId' | 'result' | 'createdAt'>

/** An assessment as its hot paths read it: the row, its campaign's target profile, and its answers in replay order. */
export interface AssessmentSnapshot {
  assessment: AssessmentRow
  targetProfileId: string | null
  campaignId: string | null
  answers: AnswerSummary[]
}

/*
 * The test's single read on the learner's hot paths (answer, state, start of a challenge): the assessment,
 * the target profile and campaign of its participation, and its answers in replay order — one round trip
 * where four queries used to be. Sent as a named prepared statement on the raw connection: at hundreds of
 * answers per second, building queries cost Node more CPU than PostgreSQL spent running them. Columns are
 * aliased to the drizzle row's names (assessment.repository.int.test.ts compares the two).
 */
const READ_ASSESSMENT = `SELECT a.id, a.user_id AS "userId", a.type, a.campaign_participation_id AS "campaignParticipationId",
                  a.competence_code AS "competenceCode", a.state, a.algorithm, a.algorithm_config_version AS "algorithmConfigVersion",
                  a.algorithm_config AS "algorithmConfig", a.seed, a.content_version AS "contentVersion", a.is_improving AS "isImproving",
                  a.current_challenge_id AS "currentChallengeId", a.current_challenge_asked_at AS "currentChallengeAskedAt",
                  a.created_at AS "createdAt", a.completed_at AS "completedAt",
                  c.target_profile_id AS "targetProfileId", p.campaign_id AS "campaignId",
                  (SELECT coalesce(json_agg(json_build_object('id', x.id, 'challengeId', x.challenge_id, 'result', x.result, 'createdAt', x.created_at)
                                            ORDER BY x.created_at, x.id), '[]'::json)
                     FROM answers x WHERE x.assessment_id = a.id) AS answers
           FROM assessments a
           LEFT JOIN campaign_participations p ON p.id = a.campaign_participation_id
           LEFT JOIN campaigns c ON c.id = p.campaign_id
           WHERE a.id = $1 AND a.user_id = $2`

/** The assessment if it belongs to `userId`, locked FOR UPDATE: requests on one test are serialised. */
export function lockAssessment(tx: Executor, id: string, userId: string): Promise<AssessmentSnapshot | undefined> {
  return readSnapshot(tx, 'jalon_lock_assessment_v1', `${READ_ASSESSMENT}\n           FOR UPDATE OF a`, id, userId)
}

/** The same read without a lock (an answer's write checks that the test has not moved since: recordAnswer). */
export function readAssessment(db: Executor, id: string, userId: string): Promise<AssessmentSnapshot | undefined> {
  return readSnapshot(db, 'jalon_read_assessment_v1', READ_ASSESSMENT, id, userId)
}

async function readSnapshot(executor: Executor, name: string, text: string, id: string, userId: string): Promise<AssessmentSnapshot | undefined> {
  if (!UUID.test(id)) return undefined
  const { rows } = await pgConnectionOf(executor).query<
    AssessmentRow & { targetProfileId: string | null; campaignId: string | null; answers: (Omit<AnswerSummary, 'createdAt'> & { createdAt: string })[] }
  >({ name, text, values: [id, userId] })
  const row = rows[0]
  if (!row) return undefined
  const { targetProfileId, campaignId, answers: answerList, ...assessment } = row
  return { assessment, targetProfileId, campaignId, answers: answerList.map((a) => ({ ...a, createdAt: new Date(a.createdAt) })) }
}

/**
 * Writes an answer to the test's current challenge, its knowledge elements and (optionally) the next step, in
 * one statement (a named prepared statement, as the read): the KEs reference the answer inserted by the same
 * statement (foreign keys are checked at its end). Nothing is written, and false is returned, unless the test
 * is still started and on this challenge: every answer stored moves it on (next challenge or end), so the
 * statement is safe without a lock. A concurrent answer committed first (double click, retry) makes it write
 * nothing, and one holding the row makes it wait and check again (READ COMMITTED re-reads the row).
 */
export async function recordAnswer(
  executor: Executor,
  input: {
    answer: typeof answers.$inferInsert & { id: string; createdAt: Date }
    knowledgeElements: (typeof knowledgeElements.$inferInsert)[]
    next?: { currentChallengeId: string; currentChallengeAskedAt: Date | null }
  },
): Promise<boolean> {
  const a = input.answer
  const kes = input.knowledgeElements.map((k) => ({
    user_id: k.userId,
    assessment_id: k.assessmentId,
    answer_id: k.answerId,
    skill_id: k.skillId,
    competence_code: k.competenceCode,
    status: k.status,
    source: k.source,
    earned_pix: k.earnedPix,
    created_at: k.createdAt,
  }))
  const { rowCount } = await pgConnectionOf(executor).query({
    name: 'jalon_record_answer_v2',
    text: `WITH step AS (
             UPDATE assessments
             SET current_challenge_id = CASE WHEN $12::boolean THEN $10 ELSE current_challenge_id END,
                 current_challenge_asked_at = CASE WHEN $12::boolean THEN $11::timestamptz ELSE current_challenge_asked_at END
             WHERE id = $2 AND state = 'started' AND current_challenge_id = $3
             RETURNING id
           ), answer AS (
             INSERT INTO answers (id, assessment_id, challenge_id, value, result, result_details, time_spent_seconds, created_at)
             SELECT $1, step.id, $3, $4, $5, $6::jsonb, $7, $8 FROM step
             RETURNING id
           ), kes AS (
             INSERT INTO knowledge_elements (user_id, assessment_id, answer_id, skill_id, competence_code, status, source, earned_pix, created_at)
             SELECT k.user_id, k.assessment_id, k.answer_id, k.skill_id, k.competence_code, k.status, k.source, k.earned_pix, k.created_at
             FROM json_populate_recordset(NULL::knowledge_elements, $9::json) k
             WHERE EXISTS (SELECT 1 FROM answer)
           )
           SELECT id FROM answer`,
    values: [
      a.id,
      a.assessmentId,
      a.challengeId,
      a.value,
      a.result,
      a.resultDetails === undefined || a.resultDetails === null ? null : JSON.stringify(a.resultDetails),
      a.timeSpentSeconds ?? null,
      a.createdAt,
      JSON.stringify(kes),
      input.next?.currentChallengeId ?? null,
      input.next?.currentChallengeAskedAt ?? null,
      Boolean(input.next),
    ],
  })
  return rowCount === 1
}

/**
 * The current challenge is shown from `askedAt`, if the test is still started, on `challengeId` and not yet
 * shown (false otherwise: nothing written). Safe without a lock, as recordAnswer.
 */
export async function markChallengeAsked(executor: Executor, id: string, challengeId: string, askedAt: Date): Promise<boolean> {
  const { rowCount } = await pgConnectionOf(executor).query({
    name: 'jalon_mark_challenge_asked_v1',
    text: `UPDATE assessments SET current_challenge_asked_at = $3
           WHERE id = $1 AND state = 'started' AND current_challenge_id = $2 AND current_challenge_asked_at IS NULL`,
    values: [id, challengeId, askedAt],
  })
  return rowCount === 1
}

export async function listAnswers(db: Executor, assessmentId: string): Promise<AnswerRow[]> {
  return db.select().from(answers).where(eq(answers.assessmentId, assessmentId)).orderBy(asc(answers.createdAt), asc(answers.id))
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

/** When the learner last reset a competence from the profile (its latest `reset` knowledge element), if ever. */
export async function lastCompetenceResetAt(db: Executor, userId: string, competenceCode: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`max(${knowledgeElements.createdAt})`.mapWith((v: string | Date | null) => (v === null ? null : new Date(v))) })
    .from(knowledgeElements)
    .where(and(eq(knowledgeElements.userId, userId), eq(knowledgeElements.competenceCode, competenceCode), eq(knowledgeElements.status, 'reset')))
  return row?.at ?? null
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
