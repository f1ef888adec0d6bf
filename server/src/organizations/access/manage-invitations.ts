/** Resend (new token, new e-mail, 7 more days) and cancel a pending invitation of the current organization. */
import { and, eq } from 'drizzle-orm'
import { organizationInvitations, organizations } from '../../db/schema'
import { InvitationNotFound } from '../errors'
import { randomToken, sha256 } from '../tokens'
import { INVITATION_TTL_MS, type AccessDeps } from './access-deps'
import { invitationLink } from './invite-members'
import { findPendingInvitation } from './invitation.repository'
import { invitationMail } from './mail-templates'

export async function resendInvitation(input: { organizationId: string; invitationId: string }, deps: AccessDeps): Promise<void> {
  const invitation = await findPendingInvitation(deps.db, input.organizationId, input.invitationId)
  if (!invitation) throw new InvitationNotFound('Invitation introuvable.')
  const now = deps.clock.now()
  const token = randomToken(32)
  await deps.db
    .update(organizationInvitations)
    .set({ tokenHash: sha256(token), sentAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) })
    .where(eq(organizationInvitations.id, invitation.id))
  const [organization] = await deps.db.select().from(organizations).where(eq(organizations.id, input.organizationId))
  await deps.mailer.send(invitationMail({ to: invitation.email, organizationName: organization!.name, role: invitation.role, link: invitationLink(deps, token) }))
}

export async function cancelInvitation(input: { organizationId: string; invitationId: string }, deps: Pick<AccessDeps, 'db'>): Promise<void> {
  const rows = await deps.db
    .update(organizationInvitations)
    .set({ status: 'CANCELLED' })
    .where(
      and(
        eq(organizationInvitations.id, input.invitationId),
        eq(organizationInvitations.organizationId, input.organizationId),
        eq(organizationInvitations.status, 'PENDING'),
      ),
    )
    .returning({ id: organizationInvitations.id })
  if (rows.length === 0) throw new InvitationNotFound('Invitation introuvable.')
}
