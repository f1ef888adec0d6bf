/** Members of an organization, for the owner picker and the owner filter. */
import type { Sql } from './sql'

export interface MemberRow {
  id: string
  firstName: string
  lastName: string
  role: 'ADMIN' | 'MEMBER'
}

export async function organizationMembersQuery(sql: Sql, organizationId: string): Promise<MemberRow[]> {
  const { rows } = await sql.query(
    `SELECT u.id, coalesce(u.first_name, '') AS first_name, coalesce(u.last_name, '') AS last_name, m.role
     FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.organization_id = $1
     ORDER BY lower(coalesce(u.last_name, '')), lower(coalesce(u.first_name, '')), u.id`,
    [organizationId],
  )
  return rows.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, role: r.role }))
}
