/** "Équipe": members by role; an administrator changes roles or removes members, never themselves. */
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { memberships, userCredentials, users } from '../../db/schema'
import { CannotChangeOwnMembership, MemberNotFound } from '../errors'

export interface TeamMember {
  userId: string
  firstName: string | null
  lastName: string | null
  email: string | null
  role: 'ADMIN' | 'MEMBER'
}

export async function listMembers(db: Db, organizationId: string): Promise<TeamMember[]> {
  return db
    .select({
      userId: users.id,
      firstName: users.firstName,
      lastName: users.lastName,
      email: sql<string | null>`coalesce(${userCredentials.email}, ${users.email})`,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(userCredentials, eq(userCredentials.userId, users.id))
    .where(eq(memberships.organizationId, organizationId))
    .orderBy(asc(memberships.role), asc(sql`lower(${users.lastName})`), asc(sql`lower(${users.firstName})`))
}

function assertNotSelf(actorId: string, userId: string): void {
  if (actorId === userId) throw new CannotChangeOwnMembership('Vous ne pouvez pas modifier votre propre rôle ni vous retirer de l’équipe.')
}

export async function changeMemberRole(
  input: { organizationId: string; actorId: string; userId: string; role: 'ADMIN' | 'MEMBER' },
  deps: { db: Db },
): Promise<void> {
  assertNotSelf(input.actorId, input.userId)
  const rows = await deps.db
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.organizationId, input.organizationId), eq(memberships.userId, input.userId)))
    .returning({ userId: memberships.userId })
  if (rows.length === 0) throw new MemberNotFound('Membre introuvable.')
}

export async function removeMember(input: { organizationId: string; actorId: string; userId: string }, deps: { db: Db }): Promise<void> {
  assertNotSelf(input.actorId, input.userId)
  const rows = await deps.db
    .delete(memberships)
    .where(and(eq(memberships.organizationId, input.organizationId), eq(memberships.userId, input.userId)))
    .returning({ userId: memberships.userId })
  if (rows.length === 0) throw new MemberNotFound('Membre introuvable.')
}
