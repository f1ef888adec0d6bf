/**
 * Password reset by e-mail: a single-use token valid one hour. Asking never says whether the e-mail has
 * an account. Using it changes the password, ends every open session and clears the sign-in counter.
 */
import { and, count, eq, gt, isNull } from 'drizzle-orm'
import { passwordResetTokens, userCredentials } from '../../db/schema'
import { ResetTokenInvalid } from '../errors'
import { deleteUserOrgaSessions } from '../orga-session'
import { randomToken, sha256 } from '../tokens'
import { RESET_TOKEN_TTL_MS, type AccessDeps } from './access-deps'
import { findCredentialsByEmail, updatePasswordHash } from './account.repository'
import { clearAccountFailures } from './login-throttle'
import { passwordResetMail } from './mail-templates'
import { assertStrongPassword, hashPassword, normalizeEmail } from './password'

export async function requestPasswordReset(input: { email: string }, deps: AccessDeps): Promise<void> {
  const account = await findCredentialsByEmail(deps.db, normalizeEmail(input.email))
  if (!account) return
  const now = deps.clock.now()
  // No mail bombing: at most 3 links per account and hour (the answer stays the same).
  const [recent] = await deps.db
    .select({ n: count() })
    .from(passwordResetTokens)
    .where(and(eq(passwordResetTokens.userId, account.userId), gt(passwordResetTokens.createdAt, new Date(now.getTime() - 3600_000))))
  if ((recent?.n ?? 0) >= 3) return
  const token = randomToken(32)
  await deps.db.insert(passwordResetTokens).values({ tokenHash: sha256(token), userId: account.userId, createdAt: now, expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS) })
  const link = `${deps.publicUrl().replace(/\/$/, '')}/orga/nouveau-mot-de-passe?token=${encodeURIComponent(token)}`
  await deps.mailer.send(passwordResetMail({ to: account.email, link }))
}

export async function resetPassword(input: { token: string; password: string }, deps: Pick<AccessDeps, 'db' | 'clock'>): Promise<void> {
  assertStrongPassword(input.password)
  const passwordHash = await hashPassword(input.password)
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    const [used] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.tokenHash, sha256(input.token)), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now)))
      .returning({ userId: passwordResetTokens.userId })
    if (!used) throw new ResetTokenInvalid('Ce lien de réinitialisation a expiré ou a déjà servi. Faites une nouvelle demande.')
    await updatePasswordHash(tx, used.userId, passwordHash, now)
    // Other links of the same person die too.
    await tx.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, used.userId), isNull(passwordResetTokens.usedAt)))
    await deleteUserOrgaSessions(tx, used.userId)
    const [cred] = await tx.select({ email: userCredentials.email }).from(userCredentials).where(eq(userCredentials.userId, used.userId))
    if (cred) await clearAccountFailures(tx, cred.email)
  })
}
