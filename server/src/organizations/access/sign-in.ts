/** Sign-in with e-mail + password, rate-limited per account and per address (login-throttle.ts). */
import type { Db } from '../../db/client'
import type { Clock } from '../../shared/clock'
import { InvalidCredentials, NotAMember } from '../errors'
import { listUserOrganizations } from '../orga-session'
import { findCredentialsByEmail } from './account.repository'
import { assertNotThrottled, clearAccountFailures, recordFailure } from './login-throttle'
import { dummyPasswordHash, normalizeEmail, verifyPassword } from './password'

export async function signIn(
  input: { email: string; password: string; ip: string },
  deps: { db: Db; clock: Clock },
): Promise<{ userId: string; organizationId: string }> {
  const email = normalizeEmail(input.email)
  const keys = { email, ip: input.ip }
  await assertNotThrottled(deps.db, keys, deps.clock.now())
  const account = await findCredentialsByEmail(deps.db, email)
  const ok = await verifyPassword(input.password, account?.passwordHash ?? (await dummyPasswordHash()))
  if (!account || !ok) {
    await recordFailure(deps.db, keys, deps.clock.now())
    // Same answer for an unknown e-mail and a wrong password: no account probing.
    throw new InvalidCredentials('L’adresse e-mail ou le mot de passe est incorrect.')
  }
  await clearAccountFailures(deps.db, email)
  const [first] = await listUserOrganizations(deps.db, account.userId)
  if (!first) throw new NotAMember('L’accès à Jalon Orga est limité aux membres invités. Contactez l’administrateur de votre organisation.')
  return { userId: account.userId, organizationId: first.id }
}
