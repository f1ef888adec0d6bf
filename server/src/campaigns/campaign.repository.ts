/** SQL ↔ Campaign. The only campaigns file that knows the tables. */
import { and, asc, desc, eq, ilike, isNotNull, isNull, sql, type SQL } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { campaigns, memberships } from '../db/schema'
import type { Campaign, CampaignId, NewCampaign } from './campaign'
import { CampaignNotFound } from './errors'

type Executor = Db | Tx

const toCampaign = (row: typeof campaigns.$inferSelect): Campaign => row

export async function insertCampaign(db: Executor, values: NewCampaign & { code: string; createdAt: Date }): Promise<Campaign> {
  const [row] = await db.insert(campaigns).values(values).returning()
  return toCampaign(row!)
}

export async function findCampaign(db: Executor, id: CampaignId): Promise<Campaign | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id))
  return row && toCampaign(row)
}

export async function getCampaignOrThrow(db: Executor, id: CampaignId): Promise<Campaign> {
  const campaign = await findCampaign(db, id)
  if (!campaign || campaign.deletedAt) throw new CampaignNotFound('Campagne introuvable.')
  return campaign
}

export async function findCampaignByCode(db: Executor, code: string): Promise<Campaign | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.code, code))
  return row && toCampaign(row)
}

export async function updateCampaign(db: Executor, id: CampaignId, values: Partial<Campaign>): Promise<Campaign> {
  const [row] = await db.update(campaigns).set(values).where(eq(campaigns.id, id)).returning()
  if (!row) throw new CampaignNotFound('Campagne introuvable.')
  return toCampaign(row)
}

export interface CampaignListFilter {
  organizationId: string
  ownerId?: string
  status?: 'active' | 'archived'
  name?: string
  page?: number
  pageSize?: number
}

export async function selectCampaigns(db: Executor, filter: CampaignListFilter): Promise<{ campaigns: Campaign[]; total: number }> {
  const where: SQL[] = [eq(campaigns.organizationId, filter.organizationId), isNull(campaigns.deletedAt)]
  if (filter.ownerId) where.push(eq(campaigns.ownerId, filter.ownerId))
  if (filter.status === 'active') where.push(isNull(campaigns.archivedAt))
  if (filter.status === 'archived') where.push(isNotNull(campaigns.archivedAt))
  if (filter.name?.trim()) where.push(ilike(campaigns.name, `%${filter.name.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`))
  const pageSize = Math.min(Math.max(filter.pageSize ?? 25, 1), 100)
  const page = Math.max(filter.page ?? 1, 1)
  const rows = await db
    .select({ campaign: campaigns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(campaigns)
    .where(and(...where))
    .orderBy(desc(campaigns.createdAt), asc(campaigns.name))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
  return { campaigns: rows.map((r) => toCampaign(r.campaign)), total: rows[0]?.total ?? 0 }
}

export async function membershipRole(db: Executor, organizationId: string, userId: string): Promise<'ADMIN' | 'MEMBER' | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)))
  return row?.role
}
