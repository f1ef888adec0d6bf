/**
 * Places (Pix Orga credits, pix-rules §6). A lot has a count, an activation date and an optional expiry date:
 * EXPIRED if expirationDate < today, else ACTIVE if activationDate <= today, else PENDING.
 * (Pix writes `activationDate < today`; Jalon counts a lot from its activation day, which is what the form says.)
 * total = Σ count of ACTIVE lots; occupied = distinct learners with a participation (not deleted) in a campaign of
 * the organization that is neither archived nor deleted (the seeds: archiving frees places);
 * available = max(0, total − occupied).
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { placesLots } from '../../db/schema'
import type { Clock } from '../../shared/clock'
import { InvalidPlacesLot, PlacesLotNotFound } from '../errors'

export type PlacesLotStatus = 'ACTIVE' | 'PENDING' | 'EXPIRED'

export interface PlacesLot {
  id: string
  count: number
  activationDate: string
  expirationDate: string | null
  status: PlacesLotStatus
  createdAt: string
}

export function lotStatus(lot: { activationDate: string; expirationDate: string | null }, today: string): PlacesLotStatus {
  if (lot.expirationDate && lot.expirationDate < today) return 'EXPIRED'
  if (lot.activationDate <= today) return 'ACTIVE'
  return 'PENDING'
}

/** Today's date (YYYY-MM-DD) in Paris: a lot expiring "le 31/08" is valid that whole French day. */
export function parisToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

export async function occupiedPlaces(db: Db, organizationId: string): Promise<number> {
  const result = await db.execute<{ occupied: number }>(sql`
    SELECT count(DISTINCT coalesce(p.organization_learner_id::text, p.user_id::text))::int AS occupied
    FROM campaign_participations p JOIN campaigns c ON c.id = p.campaign_id
    WHERE c.organization_id = ${organizationId} AND c.archived_at IS NULL AND c.deleted_at IS NULL
      AND p.deleted_at IS NULL AND (p.organization_learner_id IS NOT NULL OR p.user_id IS NOT NULL)`)
  return result.rows[0]?.occupied ?? 0
}

export async function getPlaces(organizationId: string, deps: { db: Db; clock: Clock }) {
  const today = parisToday(deps.clock.now())
  const rows = await deps.db
    .select()
    .from(placesLots)
    .where(and(eq(placesLots.organizationId, organizationId), isNull(placesLots.deletedAt)))
    .orderBy(desc(placesLots.activationDate), asc(placesLots.createdAt))
  const lots: PlacesLot[] = rows.map((r) => ({
    id: r.id,
    count: r.count,
    activationDate: r.activationDate,
    expirationDate: r.expirationDate,
    status: lotStatus(r, today),
    createdAt: r.createdAt.toISOString(),
  }))
  const total = lots.filter((l) => l.status === 'ACTIVE').reduce((sum, l) => sum + l.count, 0)
  const occupied = await occupiedPlaces(deps.db, organizationId)
  return { total, occupied, available: Math.max(0, total - occupied), lots, hasPlaces: lots.some((l) => l.count > 0) }
}

export async function addPlacesLot(
  input: { organizationId: string; createdBy: string; count: number; activationDate: string; expirationDate: string | null },
  deps: { db: Db },
): Promise<void> {
  if (input.expirationDate && input.expirationDate < input.activationDate) {
    throw new InvalidPlacesLot('La date d’expiration doit suivre la date d’activation.', { problems: { expirationDate: 'La date d’expiration doit suivre la date d’activation.' } })
  }
  await deps.db.insert(placesLots).values(input)
}

/** Soft delete (Pix keeps deleted lots with deletedAt). */
export async function deletePlacesLot(input: { organizationId: string; lotId: string }, deps: { db: Db; clock: Clock }): Promise<void> {
  const rows = await deps.db
    .update(placesLots)
    .set({ deletedAt: deps.clock.now() })
    .where(and(eq(placesLots.id, input.lotId), eq(placesLots.organizationId, input.organizationId), isNull(placesLots.deletedAt)))
    .returning({ id: placesLots.id })
  if (rows.length === 0) throw new PlacesLotNotFound('Lot de places introuvable.')
}
