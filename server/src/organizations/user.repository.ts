import { eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { users } from '../db/schema'

type Executor = Db | Tx

/** What a platform may tell about a person. Every field is optional: LMSs may send nothing. */
export interface UserProfile {
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  locale?: string | null
}

export async function createUser(db: Executor, profile: UserProfile): Promise<string> {
  const [row] = await db
    .insert(users)
    .values({ firstName: profile.firstName ?? null, lastName: profile.lastName ?? null, email: profile.email ?? null, locale: profile.locale ?? null })
    .returning({ id: users.id })
  return row!.id
}

/** Updates only what was sent this time: a launch without names keeps the names known before. */
export async function updateUserProfile(db: Executor, userId: string, profile: UserProfile): Promise<void> {
  const values: Partial<typeof users.$inferInsert> = {}
  if (profile.firstName != null) values.firstName = profile.firstName
  if (profile.lastName != null) values.lastName = profile.lastName
  if (profile.email != null) values.email = profile.email
  if (profile.locale != null) values.locale = profile.locale
  if (Object.keys(values).length === 0) return
  await db.update(users).set({ ...values, updatedAt: sql`now()` }).where(eq(users.id, userId))
}

export async function findUser(db: Executor, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId))
  return row
}
