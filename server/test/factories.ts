/**
 * Rows for tests (Pix's database-builder): each insert* writes one row with sensible defaults and
 * returns it. Add to this file freely; keep helpers small and independent.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../src/db/client'
import {
  assessments,
  campaignParticipations,
  campaigns,
  knowledgeElements,
  knowledgeElementSnapshots,
  memberships,
  organizationLearners,
  organizations,
  users,
} from '../src/db/schema'

let counter = 0
const next = () => ++counter

export async function insertOrganization(db: Db, over: Partial<typeof organizations.$inferInsert> = {}) {
  const [row] = await db.insert(organizations).values({ name: `Organisation ${next()}`, ...over }).returning()
  return row!
}

export async function insertUser(db: Db, over: Partial<typeof users.$inferInsert> = {}) {
  const n = next()
  const [row] = await db.insert(users).values({ firstName: `Prénom${n}`, lastName: `Nom${n}`, email: `user${n}@example.test`, ...over }).returning()
  return row!
}

export async function insertMember(db: Db, organizationId: string, role: 'ADMIN' | 'MEMBER' = 'MEMBER', over: Partial<typeof users.$inferInsert> = {}) {
  const user = await insertUser(db, over)
  await db.insert(memberships).values({ organizationId, userId: user.id, role })
  return user
}

export async function insertCampaign(db: Db, over: Partial<typeof campaigns.$inferInsert> & { organizationId: string; ownerId: string }) {
  const [row] = await db
    .insert(campaigns)
    .values({
      code: `TEST${String(next()).padStart(5, '0')}`,
      name: `Campagne ${counter}`,
      type: 'ASSESSMENT',
      targetProfileId: over.type === 'PROFILES_COLLECTION' ? null : 'tp_kit_survie',
      creatorId: over.ownerId,
      ...over,
    })
    .returning()
  return row!
}

export async function insertLearner(db: Db, over: Partial<typeof organizationLearners.$inferInsert> & { organizationId: string }) {
  const [row] = await db.insert(organizationLearners).values({ source: 'PARTICIPATION', ...over }).returning()
  return row!
}

export interface SnapshotKe {
  skillId: string
  competenceCode: string
  status: 'validated' | 'invalidated' | 'reset'
  source?: 'direct' | 'inferred'
  earnedPix?: number
}

/**
 * A participation; with `snapshot`, the share-time frozen knowledge too. `assessmentState` adds the
 * campaign assessment row (what tells "finished" from "in progress").
 */
export async function insertParticipation(
  db: Db,
  over: Partial<typeof campaignParticipations.$inferInsert> & { campaignId: string },
  extra: { snapshot?: SnapshotKe[]; assessmentState?: 'started' | 'completed'; liveKnowledge?: SnapshotKe[] } = {},
) {
  const [row] = await db.insert(campaignParticipations).values(over).returning()
  const p = row!
  if (extra.snapshot) {
    const at = p.sharedAt ?? p.createdAt
    await db.insert(knowledgeElementSnapshots).values({
      campaignParticipationId: p.id,
      snapshottedAt: at,
      knowledgeElements: extra.snapshot.map((k) => ({
        skillId: k.skillId,
        competenceCode: k.competenceCode,
        status: k.status,
        source: k.source ?? 'direct',
        earnedPix: k.earnedPix ?? 0,
        createdAt: at.toISOString(),
      })),
    })
  }
  if (extra.assessmentState && p.userId) {
    await db.insert(assessments).values({
      id: randomUUID(),
      userId: p.userId,
      type: 'CAMPAIGN',
      campaignParticipationId: p.id,
      state: extra.assessmentState,
      algorithm: 'smart-random',
      algorithmConfigVersion: 1,
      algorithmConfig: {},
      seed: 1,
      contentVersion: 'test',
    })
  }
  if (extra.liveKnowledge?.length && p.userId) {
    await db.insert(knowledgeElements).values(
      extra.liveKnowledge.map((k) => ({
        userId: p.userId!,
        skillId: k.skillId,
        competenceCode: k.competenceCode,
        status: k.status,
        source: k.source ?? 'direct',
        earnedPix: k.earnedPix ?? 0,
      })),
    )
  }
  return p
}
