/**
 * LTI 1.3 tables (server/src/lti owns them) plus the LMS-shaped organization data the launch creates:
 * courses (LTI contexts) and course members. Platforms and deployments say which tenant a launch
 * belongs to; everything short-lived (login states, nonces, one-time codes, sessions) expires by time.
 */
import { sql } from 'drizzle-orm'
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { organizations, users } from './organizations'

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

/** A registered LMS (issuer + client id). `claimMapping` says where the learner's external id comes from. */
export const ltiPlatforms = pgTable(
  'lti_platforms',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    authLoginUrl: text('auth_login_url').notNull(),
    authTokenUrl: text('auth_token_url').notNull(),
    /** `aud` of the client assertion when the platform wants something else than the token URL. */
    authTokenAud: text('auth_token_aud'),
    jwksUrl: text('jwks_url').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    claimMapping: jsonb('claim_mapping').$type<Record<string, unknown>>().notNull().default({}),
    productFamily: text('product_family'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lti_platforms_issuer_client_idx').on(t.issuer, t.clientId)],
)

/** A deployment of Jalon in a platform; may point to its own organization (else the platform's). */
export const ltiDeployments = pgTable(
  'lti_deployments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    deploymentId: text('deployment_id').notNull(),
    organizationId: uuid('organization_id').references(() => organizations.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('lti_deployments_platform_deployment_idx').on(t.platformId, t.deploymentId)],
)

/** Jalon's own signing keys. Private JWKs are AES-256-GCM encrypted; `next` is published before it signs. */
export const ltiToolKeys = pgTable('lti_tool_keys', {
  kid: text('kid').primaryKey(),
  status: text('status').$type<'next' | 'current' | 'previous' | 'retired'>().notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  privateJwkEncrypted: text('private_jwk_encrypted').notNull(),
  createdAt: createdAt(),
  activatedAt: timestamp('activated_at', { withTimezone: true }),
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
})

/** OIDC login state: single use, short-lived, holds the nonce Jalon sent. */
export const ltiLoginStates = pgTable(
  'lti_login_states',
  {
    state: text('state').primaryKey(),
    nonce: text('nonce').notNull(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    targetLinkUri: text('target_link_uri').notNull(),
    storageTarget: text('storage_target'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('lti_login_states_expires_idx').on(t.expiresAt)],
)

/** Nonces seen in accepted id_tokens: inserting twice means a replay. */
export const ltiNonces = pgTable(
  'lti_nonces',
  {
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    nonce: text('nonce').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.nonce] })],
)

/** (issuer, sub) → Jalon user, with the external id read through the platform's claim mapping. */
export const ltiUserIdentities = pgTable(
  'lti_user_identities',
  {
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    externalId: text('external_id'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    lastLaunchAt: timestamp('last_launch_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platformId, t.subject] }), index('lti_user_identities_user_idx').on(t.userId)],
)

/** A course of an organization (an LTI context). `sourceKey` identifies it in its platform. */
export const courses = pgTable(
  'courses',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    sourceKey: text('source_key').notNull(),
    label: text('label'),
    title: text('title'),
    rosterUrl: text('roster_url'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('courses_source_key_idx').on(t.sourceKey), index('courses_organization_idx').on(t.organizationId)],
)

export const courseMembers = pgTable(
  'course_members',
  {
    courseId: uuid('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<'learner' | 'teacher' | 'admin'>().notNull(),
    groups: jsonb('groups').$type<string[]>().notNull().default([]),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] }), index('course_members_user_idx').on(t.userId)],
)

/** An activity placed in the LMS, bound (or not yet) to a campaign. */
export const ltiResourceLinks = pgTable(
  'lti_resource_links',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    deploymentRowId: uuid('deployment_row_id')
      .notNull()
      .references(() => ltiDeployments.id, { onDelete: 'cascade' }),
    resourceLinkId: text('resource_link_id').notNull(),
    courseId: uuid('course_id').references(() => courses.id, { onDelete: 'set null' }),
    title: text('title'),
    campaignId: uuid('campaign_id'),
    lineItemUrl: text('line_item_url'),
    lineItemsUrl: text('line_items_url'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lti_resource_links_deployment_link_idx').on(t.deploymentRowId, t.resourceLinkId)],
)

/** One accepted launch: what the rest of Jalon sees (a LaunchContext) plus what AGS/NRPS/deep linking need later. */
export const ltiLaunches = pgTable(
  'lti_launches',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    deploymentRowId: uuid('deployment_row_id')
      .notNull()
      .references(() => ltiDeployments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    messageType: text('message_type').notNull(),
    context: jsonb('context').$type<Record<string, unknown>>().notNull(),
    services: jsonb('services').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('lti_launches_user_idx').on(t.userId)],
)

/** One-time codes (hashed): launch → app, teacher → Orga tab. */
export const ltiOneTimeCodes = pgTable('lti_one_time_codes', {
  codeHash: text('code_hash').primaryKey(),
  purpose: text('purpose').$type<'app' | 'orga' | 'picker'>().notNull(),
  launchId: uuid('launch_id')
    .notNull()
    .references(() => ltiLaunches.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
})

/** Server-side sessions (hashed tokens): bearer for the embedded app, cookie for Orga and the admin page. */
export const ltiSessions = pgTable(
  'lti_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    kind: text('kind').$type<'bearer' | 'orga' | 'admin'>().notNull(),
    launchId: uuid('launch_id').references(() => ltiLaunches.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('lti_sessions_expires_idx').on(t.expiresAt)],
)

/** Durable AGS outbox: one row per logical score, delivered in order per (line item, user). */
export const ltiScoreOutbox = pgTable(
  'lti_score_outbox',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    platformId: uuid('platform_id')
      .notNull()
      .references(() => ltiPlatforms.id, { onDelete: 'cascade' }),
    resourceLinkRowId: uuid('resource_link_row_id').references(() => ltiResourceLinks.id, { onDelete: 'set null' }),
    /** Ordering key: scores for one (line item or link, user) go out one after the other. */
    streamKey: text('stream_key').notNull(),
    lineItemUrl: text('line_item_url'),
    lineItemsUrl: text('line_items_url'),
    platformResourceLinkId: text('platform_resource_link_id'),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    campaignId: uuid('campaign_id'),
    activityProgress: text('activity_progress').notNull(),
    gradingProgress: text('grading_progress').notNull(),
    scoreGiven: integer('score_given'),
    scoreMaximum: integer('score_maximum').notNull().default(100),
    comment: text('comment'),
    scoreTimestamp: timestamp('score_timestamp', { withTimezone: true, precision: 3 }).notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'rejected'>().notNull().default('pending'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    /** The last attempt timed out or lost its connection: the platform may have stored it. */
    outcomeUnknown: boolean('outcome_unknown').notNull().default(false),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('lti_score_outbox_key_idx').on(t.idempotencyKey),
    index('lti_score_outbox_pending_idx').on(t.status, t.nextAttemptAt),
    index('lti_score_outbox_stream_idx').on(t.streamKey, t.seq),
    // Grade delivery per participant (listScoreDeliveries: campaign, user ids, by seq); its prefix serves the campaign alone.
    index('lti_score_outbox_campaign_user_idx').on(t.campaignId, t.userId, t.seq),
  ],
)
