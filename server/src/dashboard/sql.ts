/** SQL fragments shared by the dashboard read models (pix-rules §2.9: only live participations count). */
import type { Pool } from 'pg'

/** What the read models need from the pool: parameterised queries, nothing else. */
export type Sql = Pick<Pool, 'query'>
/** The streamed export also takes one connection for its cursor. */
export type SqlPool = Pick<Pool, 'query' | 'connect'>

/** Live participations of campaign $1: not superseded by a later sending, not deleted. */
export const LIVE = `campaign_participations p WHERE p.campaign_id = $1 AND p.is_improved = false AND p.deleted_at IS NULL`

/** One key per participant: the organization learner, else the user (an anonymized row stands alone). */
export const PARTICIPANT_KEY = `coalesce(p.organization_learner_id::text, p.user_id::text, p.id::text)`

/**
 * PARTICIPANT_KEY as a uuid: the same grouping (a uuid's text is one-to-one), sorted bytewise instead of as
 * text — LATEST_SHARED sorts a campaign's shared participations on every Résultats / Analyse request.
 */
const PARTICIPANT_UUID = `coalesce(p.organization_learner_id, p.user_id, p.id)`

/**
 * Latest shared participation per participant of campaign $1 (Pix's getLatestParticipationSharedForOneLearner),
 * with the given columns of `p` only: the sort then carries just those (the Analyse reads one column).
 */
export function latestShared(columns: string): string {
  return `(
  SELECT DISTINCT ON (${PARTICIPANT_UUID}) ${columns}
  FROM campaign_participations p
  WHERE p.campaign_id = $1 AND p.status = 'SHARED' AND p.deleted_at IS NULL
  ORDER BY ${PARTICIPANT_UUID}, p.shared_at DESC, p.created_at DESC
)`
}

/** Latest shared participation per participant of campaign $1, every column. */
export const LATEST_SHARED = latestShared('p.*')

/** Names as the organization knows the learner, else as the account says. Needs `ol` and `u` joined. */
export const LAST_NAME = `coalesce(nullif(ol.last_name, ''), u.last_name, '')`
export const FIRST_NAME = `coalesce(nullif(ol.first_name, ''), u.first_name, '')`
export const JOIN_PEOPLE = `LEFT JOIN organization_learners ol ON ol.id = p.organization_learner_id LEFT JOIN users u ON u.id = p.user_id`

/** `%term%` for ILIKE with the user's wildcards escaped. */
export function likeTerm(term: string): string {
  return `%${term.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export const PAGE_SIZE_MAX = 100

export function pageOf(page: number | undefined, pageSize: number | undefined): { page: number; pageSize: number; offset: number } {
  const size = Math.min(Math.max(pageSize ?? 25, 1), PAGE_SIZE_MAX)
  const p = Math.max(page ?? 1, 1)
  return { page: p, pageSize: size, offset: (p - 1) * size }
}
