/**
 * Demo access for `npm start` (DEMO_SEED): the demo teacher can also sign in to Jalon Orga with a password
 * (README), and the demo organization has a lot of places. Idempotent.
 */
import type { Db } from '../db/client'
import { placesLots, userCredentials } from '../db/schema'
import { hashPassword } from './access/password'
import { DEMO_IDS } from './seed-demo'

export const DEMO_ORGA_LOGIN = { email: 'claire.enseignante@demo.jalon.test', password: 'Jalon-Demo-2026' } as const
const DEMO_LOT_ID = '00000000-0000-4000-8000-0000000000c1'

export async function seedDemoAccess(db: Db): Promise<void> {
  await db
    .insert(userCredentials)
    .values({ userId: DEMO_IDS.teacher, email: DEMO_ORGA_LOGIN.email, passwordHash: await hashPassword(DEMO_ORGA_LOGIN.password) })
    .onConflictDoNothing()
  await db
    .insert(placesLots)
    .values({ id: DEMO_LOT_ID, organizationId: DEMO_IDS.organization, count: 30, activationDate: '2025-09-01', expirationDate: null })
    .onConflictDoNothing()
}
