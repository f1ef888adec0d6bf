import { sql } from 'drizzle-orm'
import { boolean, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations, users } from './organizations'

export const campaignType = pgEnum('campaign_type', ['ASSESSMENT', 'PROFILES_COLLECTION'])
export const externalIdType = pgEnum('external_id_type', ['STRING', 'EMAIL'])

/** A test campaign (Pix Orga "campagne"): every field of the creation form. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** 6 letters + 3 digits, unique across Jalon (learners type it). */
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Test title shown to learners (assessment only). */
    title: text('title'),
    type: campaignType('type').notNull(),
    /** Content referential id (e.g. tp_panorama_rentree); null for profiles collection. */
    targetProfileId: text('target_profile_id'),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    creatorId: uuid('creator_id')
      .notNull()
      .references(() => users.id),
    multipleSendings: boolean('multiple_sendings').notNull().default(false),
    externalIdLabel: text('external_id_label'),
    externalIdType: externalIdType('external_id_type'),
    customLandingPageText: text('custom_landing_page_text'),
    customResultPageText: text('custom_result_page_text'),
    customResultPageButtonText: text('custom_result_page_button_text'),
    customResultPageButtonUrl: text('custom_result_page_button_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    archivedBy: uuid('archived_by').references(() => users.id),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedBy: uuid('deleted_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('campaigns_code_unique').on(t.code),
    index('campaigns_organization_idx').on(t.organizationId, t.createdAt),
    check('campaigns_target_profile_by_type', sql`(${t.type} = 'ASSESSMENT') = (${t.targetProfileId} IS NOT NULL)`),
    check('campaigns_external_id_pair', sql`(${t.externalIdLabel} IS NULL) = (${t.externalIdType} IS NULL)`),
  ],
)
