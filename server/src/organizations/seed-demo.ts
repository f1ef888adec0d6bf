/**
 * Demo data for `npm start`: one organization, a teacher (admin of it) and a few learners.
 * Idempotent (fixed ids, ON CONFLICT DO NOTHING): restarting never duplicates anything.
 */
import type { Db } from '../db/client'
import { memberships, organizations, users } from '../db/schema'

export const DEMO_IDS = {
  organization: '00000000-0000-4000-8000-00000000000a',
  teacher: '00000000-0000-4000-8000-000000000001',
  learners: ['00000000-0000-4000-8000-000000000101', '00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000103'],
} as const

export async function seedDemo(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(organizations)
      .values({ id: DEMO_IDS.organization, name: 'Université de démonstration', type: 'SUP' })
      .onConflictDoNothing()
    await tx
      .insert(users)
      .values([
        { id: DEMO_IDS.teacher, firstName: 'Claire', lastName: 'Enseignante', email: 'claire.enseignante@demo.jalon.test' },
        { id: DEMO_IDS.learners[0], firstName: 'Léa', lastName: 'Martin', email: 'lea.martin@demo.jalon.test' },
        { id: DEMO_IDS.learners[1], firstName: 'Hugo', lastName: 'Bernard', email: 'hugo.bernard@demo.jalon.test' },
        { id: DEMO_IDS.learners[2], firstName: 'Inès', lastName: 'Petit', email: 'ines.petit@demo.jalon.test' },
      ])
      .onConflictDoNothing()
    await tx
      .insert(memberships)
      .values({ organizationId: DEMO_IDS.organization, userId: DEMO_IDS.teacher, role: 'ADMIN' })
      .onConflictDoNothing()
  })
}
