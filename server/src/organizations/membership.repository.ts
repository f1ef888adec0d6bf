import { and, eq } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { memberships } from '../db/schema'

type Executor = Db | Tx
export type MembershipRole = 'ADMIN' | 'MEMBER'

/**
 * Makes the user a member of the organization with at least `role`. An ADMIN is never
 * downgraded by a later launch as a plain instructor.
 */
export async function ensureMembership(db: Executor, input: { organizationId: string; userId: string; role: MembershipRole }): Promise<MembershipRole> {
  const current = await findMembershipRole(db, input.organizationId, input.userId)
  if (!current) {
    await db.insert(memberships).values(input).onConflictDoNothing()
    return input.role
  }
  if (current === 'MEMBER' && input.role === 'ADMIN') {
    await db
      .update(memberships)
      .set({ role: 'ADMIN' })
      .where(and(eq(memberships.organizationId, input.organizationId), eq(memberships.userId, input.userId)))
    return 'ADMIN'
  }
  return current
}

export async function findMembershipRole(db: Executor, organizationId: string, userId: string): Promise<MembershipRole | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
  return row?.role
}
