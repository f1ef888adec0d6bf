/** organization_invitations: tokens hashed, at most one PENDING per (organization, e-mail). */
import { and, asc, eq, gt } from 'drizzle-orm'
import type { Db, Tx } from '../../db/client'
import { organizationInvitations, organizations } from '../../db/schema'
import { sha256 } from '../tokens'

type Executor = Db | Tx

export interface PendingInvitation {
  id: string
  email: string
  role: 'ADMIN' | 'MEMBER'
  sentAt: Date
  expiresAt: Date
}

export async function listPendingInvitations(db: Executor, organizationId: string): Promise<PendingInvitation[]> {
  return db
    .select({
      id: organizationInvitations.id,
      email: organizationInvitations.email,
      role: organizationInvitations.role,
      sentAt: organizationInvitations.sentAt,
      expiresAt: organizationInvitations.expiresAt,
    })
    .from(organizationInvitations)
    .where(and(eq(organizationInvitations.organizationId, organizationId), eq(organizationInvitations.status, 'PENDING')))
    .orderBy(asc(organizationInvitations.email))
}

export async function findPendingInvitation(db: Executor, organizationId: string, id: string) {
  const [row] = await db
    .select()
    .from(organizationInvitations)
    .where(
      and(eq(organizationInvitations.id, id), eq(organizationInvitations.organizationId, organizationId), eq(organizationInvitations.status, 'PENDING')),
    )
  return row
}

/** A pending, unexpired invitation by the token of its latest e-mail, with its organization's name. */
export async function findInvitationByToken(db: Executor, token: string, now: Date) {
  const [row] = await db
    .select({ invitation: organizationInvitations, organizationName: organizations.name })
    .from(organizationInvitations)
    .innerJoin(organizations, eq(organizations.id, organizationInvitations.organizationId))
    .where(
      and(
        eq(organizationInvitations.tokenHash, sha256(token)),
        eq(organizationInvitations.status, 'PENDING'),
        gt(organizationInvitations.expiresAt, now),
      ),
    )
  return row
}
