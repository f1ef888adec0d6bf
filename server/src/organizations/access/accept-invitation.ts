/**
 * Accepting an invitation. Without an account for the invited e-mail: names + a new password create it.
 * With one: its password proves it is theirs (checked and rate-limited like a sign-in). Either way the
 * membership is added, the invitation is used (atomically, once) and an Orga session opens.
 * A person known only through an LMS (no password) gets a new, separate account: Jalon never trusts an
 * LMS-provided e-mail as proof of ownership.
 */
import { and, eq, gt } from 'drizzle-orm'
import { memberships, organizationInvitations } from '../../db/schema'
import { InvalidCredentials, InvitationInvalid } from '../errors'
import { sha256 } from '../tokens'
import type { AccessDeps } from './access-deps'
import { createAccount, findCredentialsByEmail } from './account.repository'
import { findInvitationByToken } from './invitation.repository'
import { assertNotThrottled, clearAccountFailures, recordFailure } from './login-throttle'
import { assertStrongPassword, hashPassword, verifyPassword } from './password'

const INVALID = 'Cette invitation n’est plus valable : elle a expiré, a été annulée ou a déjà servi. Demandez une nouvelle invitation.'

export async function describeInvitation(token: string, deps: Pick<AccessDeps, 'db' | 'clock'>) {
  const found = await findInvitationByToken(deps.db, token, deps.clock.now())
  if (!found) throw new InvitationInvalid(INVALID)
  const account = await findCredentialsByEmail(deps.db, found.invitation.email)
  return { organizationName: found.organizationName, email: found.invitation.email, role: found.invitation.role, hasAccount: Boolean(account) }
}

export async function acceptInvitation(
  input: { token: string; password: string; firstName?: string; lastName?: string; ip: string },
  deps: AccessDeps,
): Promise<{ userId: string; organizationId: string }> {
  const now = deps.clock.now()
  const found = await findInvitationByToken(deps.db, input.token, now)
  if (!found) throw new InvitationInvalid(INVALID)
  const { invitation } = found
  const account = await findCredentialsByEmail(deps.db, invitation.email)
  let passwordHash: string | undefined
  if (account) {
    const keys = { email: invitation.email, ip: input.ip }
    await assertNotThrottled(deps.db, keys, now)
    if (!(await verifyPassword(input.password, account.passwordHash))) {
      await recordFailure(deps.db, keys, now)
      throw new InvalidCredentials('Mot de passe incorrect pour le compte existant de cette adresse.')
    }
    await clearAccountFailures(deps.db, invitation.email)
  } else {
    assertStrongPassword(input.password)
    passwordHash = await hashPassword(input.password)
  }
  const userId = await deps.db.transaction(async (tx) => {
    const used = await tx
      .update(organizationInvitations)
      .set({ status: 'ACCEPTED' })
      .where(
        and(
          eq(organizationInvitations.tokenHash, sha256(input.token)),
          eq(organizationInvitations.status, 'PENDING'),
          gt(organizationInvitations.expiresAt, now),
        ),
      )
      .returning({ id: organizationInvitations.id })
    if (used.length === 0) throw new InvitationInvalid(INVALID)
    const id =
      account?.userId ??
      (await createAccount(tx, {
        email: invitation.email,
        firstName: input.firstName?.trim() || invitation.email.split('@')[0]!,
        lastName: input.lastName?.trim() ?? '',
        passwordHash: passwordHash!,
      }))
    await tx.update(organizationInvitations).set({ acceptedBy: id }).where(eq(organizationInvitations.id, invitation.id))
    // An existing member keeps their role (an ADMIN is never downgraded by an old invitation).
    await tx.insert(memberships).values({ organizationId: invitation.organizationId, userId: id, role: invitation.role }).onConflictDoNothing()
    return id
  })
  return { userId, organizationId: invitation.organizationId }
}
