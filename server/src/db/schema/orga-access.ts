/**
 * Jalon Orga access (server/src/organizations owns these tables): Orga sessions, password accounts,
 * invitations, password reset tokens, login throttling, places lots and the demo mailbox.
 * Every token is stored hashed (SHA-256): a database dump opens nothing.
 */
import { sql } from 'drizzle-orm'
import { date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { membershipRole, organizations, users } from './organizations'

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

/**
 * A signed-in Jalon Orga tab (cookie). Created by a password sign-in, an accepted invitation or the
 * LTI one-time link; `organizationId` is the organization currently shown (the switcher changes it).
 */
export const orgaSessions = pgTable(
  'orga_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** 'PASSWORD' or 'LTI': how the session was opened (shown nowhere, useful when auditing). */
    origin: text('origin').$type<'PASSWORD' | 'LTI'>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('orga_sessions_user_idx').on(t.userId), index('orga_sessions_expires_idx').on(t.expiresAt)],
)

/** A password account for a prescriber who does not come through an LMS. One per normalized e-mail. */
export const userCredentials = pgTable(
  'user_credentials',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Lower-cased, trimmed e-mail: the sign-in identifier. */
    email: text('email').notNull(),
    /** `scrypt$N$r$p$salt$hash` (base64url): parameters travel with the hash so they can be raised later. */
    passwordHash: text('password_hash').notNull(),
    passwordUpdatedAt: timestamp('password_updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('user_credentials_email_unique').on(t.email)],
)

/** An invitation to join an organization, sent by e-mail. At most one pending per (organization, e-mail). */
export const organizationInvitations = pgTable(
  'organization_invitations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: membershipRole('role').notNull().default('MEMBER'),
    /** Replaced on every (re)send: only the latest e-mail's link works. */
    tokenHash: text('token_hash').notNull(),
    status: text('status').$type<'PENDING' | 'ACCEPTED' | 'CANCELLED'>().notNull().default('PENDING'),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('organization_invitations_token_unique').on(t.tokenHash),
    uniqueIndex('organization_invitations_one_pending')
      .on(t.organizationId, t.email)
      .where(sql`${t.status} = 'PENDING'`),
  ],
)

/** Single-use, short-lived password reset links. */
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
)

/**
 * Failed sign-ins per key ('email:…' or 'ip:…'), in PostgreSQL so that every instance sees the same
 * counters. `lockedUntil` grows exponentially with the failures.
 */
export const loginThrottles = pgTable('login_throttles', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
})

/** A lot of places (Pix Orga credits): one place = one distinct learner in non-archived campaigns. */
export const placesLots = pgTable(
  'places_lots',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    count: integer('count').notNull(),
    activationDate: date('activation_date').notNull(),
    /** Null: never expires. */
    expirationDate: date('expiration_date'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('places_lots_organization_idx').on(t.organizationId)],
)

/** Demo mailbox: without SMTP_URL, e-mails are stored here and shown on /dev/mails (never in production). */
export const demoMails = pgTable('demo_mails', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  to: text('to').notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html'),
  createdAt: createdAt(),
})
