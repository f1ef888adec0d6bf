/** "Mes campagnes" / "Toutes les campagnes": one page of campaigns with their participant counters. */
import { likeTerm, pageOf, type Sql } from './sql'

export interface CampaignListFilter {
  organizationId: string
  /** "Mes campagnes": campaigns owned by this user. */
  ownerId?: string
  status: 'active' | 'archived'
  name?: string
  sort?: 'createdAt:desc' | 'createdAt:asc'
  page?: number
  pageSize?: number
}

export interface CampaignListRow {
  id: string
  name: string
  code: string
  type: 'ASSESSMENT' | 'PROFILES_COLLECTION'
  createdAt: Date
  archivedAt: Date | null
  owner: { id: string; firstName: string; lastName: string }
  participantsCount: number
  sharedCount: number
}

export async function campaignListQuery(sql: Sql, filter: CampaignListFilter) {
  const { page, pageSize, offset } = pageOf(filter.page, filter.pageSize)
  const params: unknown[] = [filter.organizationId]
  const where = ['c.organization_id = $1', 'c.deleted_at IS NULL', filter.status === 'archived' ? 'c.archived_at IS NOT NULL' : 'c.archived_at IS NULL']
  if (filter.ownerId) where.push(`c.owner_id = $${params.push(filter.ownerId)}`)
  if (filter.name?.trim()) where.push(`c.name ILIKE $${params.push(likeTerm(filter.name))}`)
  const direction = filter.sort === 'createdAt:asc' ? 'ASC' : 'DESC'
  // Counters per page row only (index participations_campaign_idx), never over the whole organization.
  const { rows } = await sql.query(
    `SELECT c.id, c.name, c.code, c.type, c.created_at, c.archived_at, c.owner_id,
            coalesce(u.first_name, '') AS owner_first_name, coalesce(u.last_name, '') AS owner_last_name,
            stats.participants, stats.shared, count(*) OVER () AS total
     FROM campaigns c
     JOIN users u ON u.id = c.owner_id
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS participants, count(*) FILTER (WHERE p.status = 'SHARED')::int AS shared
       FROM campaign_participations p
       WHERE p.campaign_id = c.id AND p.is_improved = false AND p.deleted_at IS NULL
     ) stats
     WHERE ${where.join(' AND ')}
     ORDER BY c.created_at ${direction}, c.name ASC, c.id ASC
     LIMIT ${pageSize} OFFSET ${offset}`,
    params,
  )
  const campaigns: CampaignListRow[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    code: r.code,
    type: r.type,
    createdAt: r.created_at,
    archivedAt: r.archived_at,
    owner: { id: r.owner_id, firstName: r.owner_first_name, lastName: r.owner_last_name },
    participantsCount: r.participants,
    sharedCount: r.shared,
  }))
  return { campaigns, page, pageSize, total: rows.length ? Number(rows[0].total) : await countOnly(sql, where, params) }
}

/** A page past the end has no row to carry the total: count separately. */
async function countOnly(sql: Sql, where: string[], params: unknown[]): Promise<number> {
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM campaigns c WHERE ${where.join(' AND ')}`, params)
  return rows[0].n
}
