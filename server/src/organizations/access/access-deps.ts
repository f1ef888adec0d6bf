import type { Db } from '../../db/client'
import type { Clock } from '../../shared/clock'
import type { Mailer } from './mailer'

/** What the access use cases need; built once in main.ts. */
export interface AccessDeps {
  db: Db
  clock: Clock
  mailer: Mailer
  /** Base URL for links in e-mails (PUBLIC_URL; never the request's Host header). */
  publicUrl: () => string
}

export const INVITATION_TTL_MS = 7 * 24 * 3600_000
export const RESET_TOKEN_TTL_MS = 3600_000
