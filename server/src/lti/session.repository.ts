/** One-time codes and server-side sessions. Only hashes are stored: a database dump opens nothing. */
import { and, eq, gt, isNull, lt } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { ltiOneTimeCodes, ltiSessions } from '../db/schema'
import { randomToken, sha256 } from './crypto'

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

export async function deleteSession(db: Executor, token: string): Promise<void> {
  await db.delete(ltiSessions).where(eq(ltiSessions.tokenHash, sha256(token)))
}

export async function purgeExpiredSessions(db: Executor, now: Date): Promise<void> {
  await db.delete(ltiSessions).where(lt(ltiSessions.expiresAt, now))
  await db.delete(ltiOneTimeCodes).where(lt(ltiOneTimeCodes.expiresAt, new Date(now.getTime() - 3600_000)))
}
