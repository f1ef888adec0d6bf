/**
 * Configuration, parsed once from the environment with zod. A bad value stops the process
 * with a readable list of what is wrong (fail fast), never a stack trace.
 */
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { z } from 'zod'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Port Jalon listens on. 0 picks a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public base URL of Jalon, as platforms reach it (used in LTI configuration and links). */
  PUBLIC_URL: z.url().optional(),
  /** External PostgreSQL. Without it, Jalon starts an embedded PostgreSQL 17 in DATA_DIR/pg. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Web processes sharing the port (node:cluster): `auto` is one per core. Each has its own pool of DATABASE_POOL_SIZE. */
  WEB_CONCURRENCY: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)])
    .default(1)
    .transform((v) => (v === 'auto' ? availableParallelism() : v)),
  DATA_DIR: z.string().default('./.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Serve the built client from dist/client (production) instead of leaving it to Vite (dev). */
  SERVE_CLIENT: bool.default(true),
  /** Seed the demo organization, teacher and learners at start-up (npm start). */
  DEMO_SEED: bool.default(false),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and send HSTS. */
  TRUST_PROXY: bool.default(false),
  /** Days before "Je retente" / "Repasser mon parcours" (Pix: 4). Fractions allowed for tests. */
  RETRY_DELAY_DAYS: z.coerce.number().min(0).default(4),
  /** Days after a competence's latest knowledge element before « Remettre à zéro » (Pix: DAY_BEFORE_COMPETENCE_RESET_V2 = 7). */
  COMPETENCE_RESET_DELAY_DAYS: z.coerce.number().min(0).default(7),
  /** SMTP server for Jalon Orga e-mails (invitations, password resets), e.g. smtp://user:pass@host:587. Without it,
   *  e-mails are kept in the database and shown on /dev/mails (outside production, or with DEMO_SEED). */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Jalon <no-reply@jalon.localhost>'),
  /** Highest level a competence can reach (Pix: 5 of 8). */
  MAX_REACHABLE_LEVEL: z.coerce.number().int().min(1).max(8).default(5),
  /** Run the grade (AGS) outbox worker inside this web process. Set false on web instances when `npm run worker` runs apart. */
  SCORE_WORKER: bool.default(true),
  /** Outbox worker tuning: idle poll period, timeout of one platform request, exponential backoff bounds. */
  SCORE_DELIVERY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  SCORE_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SCORE_DELIVERY_BASE_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
  SCORE_DELIVERY_MAX_BACKOFF_MS: z.coerce.number().int().min(10).default(3_600_000),
  /** A claimed row is due again after this (a worker killed mid-delivery): longer than one platform request. */
  SCORE_DELIVERY_LEASE_MS: z.coerce.number().int().min(200).default(60_000),
}).refine((e) => e.SCORE_DELIVERY_LEASE_MS > e.SCORE_DELIVERY_TIMEOUT_MS, {
  path: ['SCORE_DELIVERY_LEASE_MS'],
  message: 'must be longer than SCORE_DELIVERY_TIMEOUT_MS (another worker would retry a delivery still in flight)',
})

export type Config = z.infer<typeof EnvSchema> & { dataDir: string }

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = EnvSchema.safeParse(env)
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`))
  }
  return { ...result.data, dataDir: resolve(result.data.DATA_DIR) }
}
