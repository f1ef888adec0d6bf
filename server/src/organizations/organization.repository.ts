import { eq } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { organizations } from '../db/schema'

type Executor = Db | Tx

export interface Organization {
  id: string
  name: string
  type: 'SUP' | 'SCO' | 'PRO'
}

export async function createOrganization(db: Executor, input: { name: string; type?: Organization['type'] }): Promise<Organization> {
  const [row] = await db
    .insert(organizations)
    .values({ name: input.name, type: input.type ?? 'SUP' })
    .returning({ id: organizations.id, name: organizations.name, type: organizations.type })
  return row!
}

export async function findOrganization(db: Executor, id: string): Promise<Organization | undefined> {
  const [row] = await db
    .select({ id: organizations.id, name: organizations.name, type: organizations.type })
    .from(organizations)
    .where(eq(organizations.id, id))
  return row
}
