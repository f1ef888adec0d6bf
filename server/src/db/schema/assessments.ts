import { sql } from 'drizzle-orm'
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './organizations'
import { campaignParticipations } from './participations'

export const assessmentType = pgEnum('assessment_type', ['CAMPAIGN', 'COMPETENCE_EVALUATION'])
export const assessmentState = pgEnum('assessment_state', ['started', 'completed', 'aborted'])

/**
 * One adaptive test. Stores what is needed to replay it: algorithm, config version and config, seed,
 * content version, and the knowledge the learner started with (as KE ids are not enough once KEs move on).
 */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: assessmentType('type').notNull(),
    campaignParticipationId: uuid('campaign_participation_id').references(() => campaignParticipations.id, { onDelete: 'cascade' }),
    /** Self-started competence evaluation (profile page): the competence code, e.g. '3.4'. */
    competenceCode: text('competence_code'),
    state: assessmentState('state').notNull().default('started'),
    algorithm: text('algorithm').notNull(),
    algorithmConfigVersion: integer('algorithm_config_version').notNull(),
    algorithmConfig: jsonb('algorithm_config').notNull(),
    seed: integer('seed').notNull(),
    contentVersion: text('content_version').notNull(),
    /** A retry ("Je retente") or a new sending: old failures are forgotten after the delay. */
    isImproving: boolean('is_improving').notNull().default(false),
    /** The challenge currently shown (resume exactly there); null when the engine must be asked. */
    currentChallengeId: text('current_challenge_id'),
    /** When the current challenge was first shown (timers resume from it). */
    currentChallengeAskedAt: timestamp('current_challenge_asked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('assessments_participation_idx').on(t.campaignParticipationId),
    index('assessments_user_idx').on(t.userId, t.createdAt),
  ],
)

export const answerResult = pgEnum('answer_result', ['ok', 'ko', 'skipped', 'timedout', 'focusedOut'])

/** One answer. (assessment, challenge) is unique: a double click or a retried request never records two. */
export const answers = pgTable(
  'answers',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    challengeId: text('challenge_id').notNull(),
    value: text('value').notNull(),
    result: answerResult('result').notNull(),
    resultDetails: jsonb('result_details'),
    timeSpentSeconds: real('time_spent_seconds'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('answers_assessment_challenge_unique').on(t.assessmentId, t.challengeId), index('answers_assessment_idx').on(t.assessmentId, t.createdAt)],
)

export const keStatus = pgEnum('knowledge_element_status', ['validated', 'invalidated', 'reset'])
export const keSource = pgEnum('knowledge_element_source', ['direct', 'inferred'])

/** What a learner knows, skill by skill (Pix's knowledge elements). Append-only: the latest per skill wins. */
export const knowledgeElements = pgTable(
  'knowledge_elements',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    assessmentId: uuid('assessment_id').references(() => assessments.id, { onDelete: 'set null' }),
    answerId: uuid('answer_id').references(() => answers.id, { onDelete: 'set null' }),
    skillId: text('skill_id').notNull(),
    competenceCode: text('competence_code').notNull(),
    status: keStatus('status').notNull(),
    source: keSource('source').notNull(),
    earnedPix: real('earned_pix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('knowledge_elements_user_idx').on(t.userId, t.skillId, t.createdAt)],
)

/** The learner's knowledge frozen when results are shared: results and exports of a shared participation read this. */
export const knowledgeElementSnapshots = pgTable('knowledge_element_snapshots', {
  campaignParticipationId: uuid('campaign_participation_id')
    .primaryKey()
    .references(() => campaignParticipations.id, { onDelete: 'cascade' }),
  snapshottedAt: timestamp('snapshotted_at', { withTimezone: true }).notNull(),
  /** [{ skillId, competenceCode, status, source, earnedPix, createdAt }] — latest non-reset per skill. */
  knowledgeElements: jsonb('knowledge_elements').notNull(),
})

/** Tutorials a learner saved for later ("Enregistrer"). */
export const savedTutorials = pgTable(
  'saved_tutorials',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tutorialId: text('tutorial_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.tutorialId] })],
)
