/** SQL ↔ participations, organization learners, KE snapshots. */
import { and, desc, eq, isNull } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { assessments, campaignParticipations, knowledgeElementSnapshots } from '../db/schema'
import type { Participation } from './participation'

type Executor = Db | Tx

/** The live participation (not improved, not deleted) of a user in a campaign; `forUpdate` locks it. */
export async function findLiveParticipation(db: Executor, campaignId: string, userId: string, forUpdate = false): Promise<Participation | undefined> {
  const query = db
    .select()
    .from(campaignParticipations)
    .where(
      and(
        eq(campaignParticipations.campaignId, campaignId),
        eq(campaignParticipations.userId, userId),
        eq(campaignParticipations.isImproved, false),
        isNull(campaignParticipations.deletedAt),
      ),
    )
  const [row] = forUpdate ? await query.for('update') : await query
  return row
}

export async function listUserParticipations(db: Executor, userId: string): Promise<Participation[]> {
  return db
    .select()
    .from(campaignParticipations)
    .where(and(eq(campaignParticipations.userId, userId), eq(campaignParticipations.isImproved, false), isNull(campaignParticipations.deletedAt)))
    .orderBy(desc(campaignParticipations.createdAt))
}

export async function insertParticipation(db: Executor, values: typeof campaignParticipations.$inferInsert): Promise<Participation | undefined> {
  const [row] = await db.insert(campaignParticipations).values(values).onConflictDoNothing().returning()
  return row
}

export async function updateParticipation(db: Executor, id: string, values: Partial<typeof campaignParticipations.$inferInsert>): Promise<void> {
  await db.update(campaignParticipations).set(values).where(eq(campaignParticipations.id, id))
}

/** The participation's latest assessment (a retry adds one). */
export async function latestAssessment(db: Executor, participationId: string) {
  const [row] = await db
    .select()
    .from(assessments)
    .where(eq(assessments.campaignParticipationId, participationId))
    .orderBy(desc(assessments.createdAt))
    .limit(1)
  return row
}

export interface SnapshotKe {
  skillId: string
  competenceCode: string
  status: 'validated' | 'invalidated' | 'reset'
  source: 'direct' | 'inferred'
  earnedPix: number
  createdAt: string
}

export async function insertSnapshot(db: Executor, participationId: string, at: Date, kes: SnapshotKe[]): Promise<void> {
  await db
    .insert(knowledgeElementSnapshots)
    .values({ campaignParticipationId: participationId, snapshottedAt: at, knowledgeElements: kes })
    .onConflictDoNothing()
}

export async function findSnapshot(db: Executor, participationId: string): Promise<SnapshotKe[] | undefined> {
  const [row] = await db.select().from(knowledgeElementSnapshots).where(eq(knowledgeElementSnapshots.campaignParticipationId, participationId))
  return row?.knowledgeElements as SnapshotKe[] | undefined
}
