/**
 * reconcileOrganizationLearner — for the learner journey, at a learner's first participation (instead of a plain
 * "ensure learner"). Returns the organization learner to attach the participation to:
 *  1. LINKED: the person already has a learner row in this organization;
 *  2. RECONCILED: an imported row, not yet linked, matches the student number (and, when given, the names and
 *     birth date — accents and case ignored) → the row is linked to the person, once and for all;
 *  3. RECONCILED: without a student number, an imported unlinked row matches names AND birth date, and only one;
 *  4. CREATED: otherwise a new row (source 'LTI' or 'PARTICIPATION'); a student number that is free is kept on it,
 *     one already used by another row is not (that row belongs to someone else).
 * Call it inside the participation's transaction. Never throws for a mismatch: it falls back to 4.
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/client'
import { organizationLearners } from '../../db/schema'

type Executor = Db | Tx
type LearnerRow = typeof organizationLearners.$inferSelect

export interface ReconcileInput {
  organizationId: string
  userId: string
  firstName?: string | null
  lastName?: string | null
  /** The external id / student number the learner typed or the LMS sent, when it is a student number. */
  studentNumber?: string | null
  /** YYYY-MM-DD, when known. */
  birthdate?: string | null
  source: 'LTI' | 'PARTICIPATION'
}

export type ReconcileStatus = 'LINKED' | 'RECONCILED' | 'CREATED'

const norm = (s: string | null | undefined) =>
  (s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')

function namesMatch(row: LearnerRow, input: ReconcileInput): boolean {
  if (input.lastName && norm(row.lastName) !== norm(input.lastName)) return false
  // First names: the imported first name may hold several ("Marie Claire"); the first one must match.
  if (input.firstName && norm(row.firstName?.split(/[\s-]/)[0]) !== norm(input.firstName.split(/[\s-]/)[0])) return false
  if (input.birthdate && row.birthdate && row.birthdate !== input.birthdate) return false
  return true
}

export async function reconcileOrganizationLearner(db: Executor, input: ReconcileInput): Promise<{ learner: LearnerRow; status: ReconcileStatus }> {
  const mine = await db
    .select()
    .from(organizationLearners)
    .where(and(eq(organizationLearners.organizationId, input.organizationId), eq(organizationLearners.userId, input.userId)))
  if (mine[0]) return { learner: mine[0], status: 'LINKED' }

  const studentNumber = input.studentNumber?.trim() || null
  let candidate: LearnerRow | undefined
  let numberTaken = false
  if (studentNumber) {
    const [row] = await db
      .select()
      .from(organizationLearners)
      .where(and(eq(organizationLearners.organizationId, input.organizationId), eq(organizationLearners.studentNumber, studentNumber)))
      .for('update')
    numberTaken = Boolean(row)
    if (row && !row.userId && namesMatch(row, input)) candidate = row
  } else if (input.lastName && input.firstName && input.birthdate) {
    const rows = await db
      .select()
      .from(organizationLearners)
      .where(
        and(
          eq(organizationLearners.organizationId, input.organizationId),
          isNull(organizationLearners.userId),
          eq(organizationLearners.source, 'IMPORT'),
          eq(organizationLearners.birthdate, input.birthdate),
        ),
      )
    const matches = rows.filter((r) => namesMatch(r, input))
    if (matches.length === 1) candidate = matches[0]
  }
  if (candidate) {
    const [linked] = await db
      .update(organizationLearners)
      .set({ userId: input.userId, updatedAt: sql`now()` })
      .where(and(eq(organizationLearners.id, candidate.id), isNull(organizationLearners.userId)))
      .returning()
    if (linked) return { learner: linked, status: 'RECONCILED' }
  }
  await db
    .insert(organizationLearners)
    .values({
      organizationId: input.organizationId,
      userId: input.userId,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      birthdate: input.birthdate ?? null,
      studentNumber: numberTaken ? null : studentNumber,
      source: input.source,
    })
    .onConflictDoNothing()
  const [row] = await db
    .select()
    .from(organizationLearners)
    .where(and(eq(organizationLearners.organizationId, input.organizationId), eq(organizationLearners.userId, input.userId)))
  return { learner: row!, status: 'CREATED' }
}
