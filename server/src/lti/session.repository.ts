/** One-time codes and server-side sessions. Only hashes are stored: a database dump opens nothing. */
import { and, eq, gt, isNull, lt } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { ltiOneTimeCodes, ltiSessions } from '../db/schema'
import { randomToken, sha256 } from './crypto'
import { prepared } from './prepared'

type Executor = Db | Tx
export type CodePurpose = 'app' | 'orga' | 'picker'
export type SessionKind = 'bearer' | 'orga' | 'admin'

export async function createOneTimeCode(db: Executor, input: { purpose: CodePurpose; launchId: string; expiresAt: Date }): Promise<string> {
  const code = randomToken(24)
  await db.insert(ltiOneTimeCodes).values({ codeHash: sha256(code), ...input })
  return code
}

/** Uses the code (atomically, once) and returns its launch id, or undefined. */
export async function consumeOneTimeCode(db: Executor, code: string, purpose: CodePurpose, now: Date): Promise<string | undefined> {
  const [row] = await db
    .update(ltiOneTimeCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(ltiOneTimeCodes.codeHash, sha256(code)),
        eq(ltiOneTimeCodes.purpose, purpose),
        isNull(ltiOneTimeCodes.usedAt),
        gt(ltiOneTimeCodes.expiresAt, now),
      ),
    )
    .returning({ launchId: ltiOneTimeCodes.launchId })
  return row?.launchId
}

/** Reads a code without using it (the picker form is shown, then submitted). */
export async function peekOneTimeCode(db: Executor, code: string, purpose: CodePurpose, now: Date): Promise<string | undefined> {
  const [row] = await db
    .select({ launchId: ltiOneTimeCodes.launchId })
    .from(ltiOneTimeCodes)
    .where(
      and(
        eq(ltiOneTimeCodes.codeHash, sha256(code)),
        eq(ltiOneTimeCodes.purpose, purpose),
        isNull(ltiOneTimeCodes.usedAt),
        gt(ltiOneTimeCodes.expiresAt, now),
      ),
    )
  return row?.launchId
}

export async function createSession(db: Executor, input: { kind: SessionKind; launchId: string | null; expiresAt: Date }): Promise<string> {
  const token = randomToken(32)
  await db.insert(ltiSessions).values({ tokenHash: sha256(token), ...input })
  return token
}

export async function findSession(db: Executor, token: string, kind: SessionKind, now: Date) {
  const [row] = await db
    .select()
    .from(ltiSessions)
    .where(and(eq(ltiSessions.tokenHash, sha256(token)), eq(ltiSessions.kind, kind), gt(ltiSessions.expiresAt, now)))
  return row
}

/**
 * POST /api/lti/session in one statement: uses the one-time code (atomically, once), opens a session on its
 * launch and returns the launch's stored context. Undefined when the code is unknown, used or expired.
 */
export async function exchangeOneTimeCode(
  db: Executor,
  input: { code: string; purpose: CodePurpose; kind: SessionKind; now: Date; expiresAt: Date },
): Promise<{ token: string; launchId: string; context: Record<string, unknown> } | undefined> {
  const token = randomToken(32)
  const rows = await prepared('jalon_lti_exchange_code_v1', db)`
    WITH used AS (
      UPDATE lti_one_time_codes SET used_at = ${input.now}::timestamptz
      WHERE code_hash = ${sha256(input.code)}::text AND purpose = ${input.purpose}::text
        AND used_at IS NULL AND expires_at > ${input.now}::timestamptz
      RETURNING launch_id
    ), opened AS (
      INSERT INTO lti_sessions (token_hash, kind, launch_id, expires_at)
      SELECT ${sha256(token)}::text, ${input.kind}::text, launch_id, ${input.expiresAt}::timestamptz FROM used
      RETURNING launch_id
    )
    SELECT l.id, l.context FROM lti_launches l JOIN opened ON opened.launch_id = l.id`
  const row = rows[0]
  return row && { token, launchId: row.id as string, context: row.context as Record<string, unknown> }
}

/** A live session's launch in one query (session ⋈ launch), by token hash. */
export async function findSessionLaunch(
  db: Executor,
  tokenHash: string,
  kind: SessionKind,
  now: Date,
): Promise<{ launchId: string; context: Record<string, unknown>; expiresAt: Date } | undefined> {
  const rows = await prepared('jalon_lti_find_session_launch_v1', db)`
    SELECT l.id, l.context, s.expires_at FROM lti_sessions s JOIN lti_launches l ON l.id = s.launch_id
    WHERE s.token_hash = ${tokenHash}::text AND s.kind = ${kind}::text AND s.expires_at > ${now}::timestamptz`
  const row = rows[0]
  return row && { launchId: row.id as string, context: row.context as Record<string, unknown>, expiresAt: new Date(row.expires_at as string | Date) }
}

/** Deletes the session; a trigger tells every Jalon process to forget it (session-invalidation.ts). */
export async function deleteSession(db: Executor, token: string): Promise<void> {
  await db.delete(ltiSessions).where(eq(ltiSessions.tokenHash, sha256(token)))
}

export async function purgeExpiredSessions(db: Executor, now: Date): Promise<void> {
  await db.delete(ltiSessions).where(lt(ltiSessions.expiresAt, now))
  await db.delete(ltiOneTimeCodes).where(lt(ltiOneTimeCodes.expiresAt, new Date(now.getTime() - 3600_000)))
}
