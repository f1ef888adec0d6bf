/**
 * "Inviter un membre": one or several e-mails (comma separated). Each address gets a pending invitation
 * (a second invitation to the same address replaces the token and is sent again) and an e-mail.
 * Addresses of people already members are reported, not invited.
 */
import { and, eq, or, sql } from 'drizzle-orm'
import { z } from 'zod'
import { memberships, organizationInvitations, organizations, userCredentials, users } from '../../db/schema'
import { randomToken, sha256 } from '../tokens'
import { INVITATION_TTL_MS, type AccessDeps } from './access-deps'
import { invitationMail } from './mail-templates'
import { normalizeEmail } from './password'

const Email = z.email()

/** Splits "a@x.fr, b@y.fr; c@z.fr" and returns normalized unique addresses and the invalid ones. */
export function parseEmailList(input: string | string[]): { valid: string[]; invalid: string[] } {
  const parts = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(/[,;\s]+/)).map((s) => s.trim()).filter(Boolean)
  const valid = new Set<string>()
  const invalid: string[] = []
  for (const part of parts) {
    if (Email.safeParse(part).success) valid.add(normalizeEmail(part))
    else invalid.push(part)
  }
  return { valid: [...valid], invalid }
}

export async function inviteMembers(
  input: { organizationId: string; invitedBy: string; emails: string[]; role: 'ADMIN' | 'MEMBER' },
  deps: AccessDeps,
): Promise<{ invited: string[]; alreadyMembers: string[] }> {
  const now = deps.clock.now()
  const [organization] = await deps.db.select().from(organizations).where(eq(organizations.id, input.organizationId))
  const invited: string[] = []
  const alreadyMembers: string[] = []
  for (const email of input.emails) {
    const [member] = await deps.db
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .leftJoin(userCredentials, eq(userCredentials.userId, users.id))
      .where(and(eq(memberships.organizationId, input.organizationId), or(eq(userCredentials.email, email), sql`lower(${users.email}) = ${email}`)))
      .limit(1)
    if (member) {
      alreadyMembers.push(email)
      continue
    }
    const token = randomToken(32)
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS)
    await deps.db
      .insert(organizationInvitations)
      .values({ organizationId: input.organizationId, email, role: input.role, tokenHash: sha256(token), invitedBy: input.invitedBy, expiresAt, sentAt: now })
      .onConflictDoUpdate({
        target: [organizationInvitations.organizationId, organizationInvitations.email],
        targetWhere: sql`${organizationInvitations.status} = 'PENDING'`,
        set: { tokenHash: sha256(token), role: input.role, invitedBy: input.invitedBy, expiresAt, sentAt: now },
      })
    await deps.mailer.send(invitationMail({ to: email, organizationName: organization!.name, role: input.role, link: invitationLink(deps, token) }))
    invited.push(email)
  }
  return { invited, alreadyMembers }
}

export function invitationLink(deps: Pick<AccessDeps, 'publicUrl'>, token: string): string {
  return `${deps.publicUrl().replace(/\/$/, '')}/orga/invitation?token=${encodeURIComponent(token)}`
}
