/** Password accounts: users + user_credentials (one per normalized e-mail). */
import { eq } from 'drizzle-orm'
import type { Db, Tx } from '../../db/client'
import { userCredentials, users } from '../../db/schema'

type Executor = Db | Tx

export async function findCredentialsByEmail(db: Executor, email: string) {
  const [row] = await db.select().from(userCredentials).where(eq(userCredentials.email, email))
  return row
}

/** Creates the person and their password account (the hash is computed by the caller, outside the transaction). */
export async function createAccount(
  db: Executor,
  input: { email: string; firstName: string; lastName: string; passwordHash: string },
): Promise<string> {
  const [user] = await db
    .insert(users)
    .values({ email: input.email, firstName: input.firstName, lastName: input.lastName })
    .returning({ id: users.id })
  await db.insert(userCredentials).values({ userId: user!.id, email: input.email, passwordHash: input.passwordHash })
  return user!.id
}

export async function updatePasswordHash(db: Executor, userId: string, passwordHash: string, now: Date): Promise<void> {
  await db.update(userCredentials).set({ passwordHash, passwordUpdatedAt: now }).where(eq(userCredentials.userId, userId))
}
