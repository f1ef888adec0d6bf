import { sql } from 'drizzle-orm'
import { boolean, date, index, integer, pgEnum, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { campaigns } from './campaigns'
import { organizations, users } from './organizations'

/**
 * A learner as the organization knows them ("prescrit"): imported from a CSV (name, birth date,
 * student number, group) or created on a first participation / LTI launch, then reconciled with a user.
 */
export const organizationLearners = pgTable(
  'organization_learners',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** Null until the imported row is reconciled with a person who launched Jalon. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    firstName: text('first_name'),
    lastName: text('last_name'),
    birthdate: date('birthdate'),
    studentNumber: text('student_number'),
    group: text('group'),
    /** Where the row came from: 'IMPORT', 'LTI' or 'PARTICIPATION'. */
    source: text('source').notNull().default('PARTICIPATION'),
    isDisabled: boolean('is_disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organization_learners_user_unique').on(t.organizationId, t.userId).where(sql`${t.userId} IS NOT NULL`),
    uniqueIndex('organization_learners_student_number_unique')
      .on(t.organizationId, t.studentNumber)
      .where(sql`${t.studentNumber} IS NOT NULL`),
  ],
)

export const participationStatus = pgEnum('participation_status', ['STARTED', 'TO_SHARE', 'SHARED'])

/**
 * One run of a campaign by a learner. With multiple sendings a learner has several; only the latest
 * (isImproved = false) counts in statistics (pix-rules §2.9).
 */
export const campaignParticipations = pgTable(
  'campaign_participations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** Null once anonymized (deleted campaign or participation). */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    organizationLearnerId: uuid('organization_learner_id').references(() => organizationLearners.id, { onDelete: 'set null' }),
    participantExternalId: text('participant_external_id'),
    status: participationStatus('status').notNull().default('STARTED'),
    isImproved: boolean('is_improved').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sharedAt: timestamp('shared_at', { withTimezone: true }),
    /** Frozen at share (validated target skills / target skills, 2 significant digits). */
    masteryRate: real('mastery_rate'),
    validatedSkillsCount: integer('validated_skills_count'),
    /**
     * Derived from the share-time snapshot by triggers on knowledge_element_snapshots (migrations 0006, 0008), whoever
     * writes it: the skills whose latest non-reset KE is validated (scoring's validatedSkillIds), separated by
     * spaces (skill ids are `@tube3`); null without a snapshot. The Orga export reads it (the analysis its per-tube
     * form below) instead of every snapshot's jsonb. Plain text rather than text[]: shipping it costs PostgreSQL
     * and node-pg far less.
     */
    validatedSkillIds: text('validated_skill_ids'),
    /**
     * validated_skill_ids per tube, derived by PostgreSQL (migration 0009): `tube:mask` elements, bit n of the mask set
     * when `@<tube><n>` is validated (levels 1–8, so the id says its tube and level without the referential). The Orga
     * analysis counts participants per element in SQL instead of shipping every skill id to Node.
     */
    validatedTubeLevels: text('validated_tube_levels')
      .array()
      .generatedAlwaysAs(sql`skill_ids_tube_levels(validated_skill_ids)`),
    /** Profiles collection: total pix and certifiability at share. */
    pixScore: integer('pix_score'),
    isCertifiable: boolean('is_certifiable'),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedBy: uuid('deleted_by').references(() => users.id),
  },
  (t) => [
    index('participations_campaign_idx').on(t.campaignId, t.status),
    index('participations_user_idx').on(t.userId, t.campaignId),
    // At most one live (not improved, not deleted) participation per learner and campaign.
    uniqueIndex('participations_one_live_per_user')
      .on(t.campaignId, t.userId)
      .where(sql`${t.isImproved} = false AND ${t.deletedAt} IS NULL`),
  ],
)
