/**
 * NRPS (lti-notes §6): the course members as the platform knows them, following Link rel="next"
 * pages, so the dashboard can show who has not started. Members are matched to Jalon users by (platform, sub).
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm'
import type { Db } from '../db/client'
import { courses, ltiDeployments, ltiLaunches, ltiResourceLinks, ltiUserIdentities } from '../db/schema'
import { mapMemberRoles, MEDIA, SCOPE, type JalonRole } from './claims'
import { LtiServiceError, LtiServiceUnavailable } from './errors'
import type { LaunchContext } from './launch-context'
import { findPlatformById, type Platform } from './platform.repository'
import type { ServiceClient } from './service-client'

export interface RosterMember {
  /** The platform's user id (LTI sub). */
  platformUserId: string
  /** Jalon user, when this person has launched Jalon at least once. */
  userId?: string
  role: JalonRole
  status: 'Active' | 'Inactive' | 'Deleted'
  name?: string
  firstName?: string
  lastName?: string
  email?: string
  externalId?: string
}

const MAX_PAGES = 200

export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*(.*)/.exec(part.trim())
    if (m && /rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(m[2]!)) return m[1]
  }
  return undefined
}

/** Members of the launch's course (teachers only ask for it; the launch must carry the NRPS claim). */
export async function fetchCourseRoster(launch: Pick<LaunchContext, 'launchId'>, deps: { db: Db; services: ServiceClient }): Promise<RosterMember[]> {
  const [row] = await deps.db.select().from(ltiLaunches).where(eq(ltiLaunches.id, launch.launchId))
  const url = (row?.services as { rosterUrl?: string } | undefined)?.rosterUrl
  if (!row || !url) throw new LtiServiceUnavailable('La plateforme ne fournit pas la liste des participants pour ce cours.')
  const platform = await findPlatformById(deps.db, row.platformId)
  if (!platform) throw new LtiServiceUnavailable('Plateforme inconnue.')
  return readRoster(platform, url, deps)
}

/**
 * Members of a Jalon course without a launch in the request (Orga dashboard): the NRPS URL recorded on the
 * course at launch, the platform through one of the course's resource links (courses carry no platform).
 */
export async function fetchCourseRosterById(courseId: string, deps: { db: Db; services: ServiceClient }): Promise<RosterMember[]> {
  const [row] = await deps.db
    .select({ rosterUrl: courses.rosterUrl, platformId: ltiDeployments.platformId })
    .from(courses)
    .innerJoin(ltiResourceLinks, eq(ltiResourceLinks.courseId, courses.id))
    .innerJoin(ltiDeployments, eq(ltiDeployments.id, ltiResourceLinks.deploymentRowId))
    .where(eq(courses.id, courseId))
    .limit(1)
  if (!row?.rosterUrl) throw new LtiServiceUnavailable('La plateforme ne fournit pas la liste des participants pour ce cours.')
  const platform = await findPlatformById(deps.db, row.platformId)
  if (!platform) throw new LtiServiceUnavailable('Plateforme inconnue.')
  return readRoster(platform, row.rosterUrl, deps)
}

/** Courses (with an NRPS URL) of the activities bound to a campaign, within its organization. */
export async function campaignRosterCourses(campaign: { id: string; organizationId: string }, deps: { db: Db }): Promise<string[]> {
  const rows = await deps.db
    .selectDistinct({ courseId: courses.id })
    .from(ltiResourceLinks)
    .innerJoin(courses, eq(courses.id, ltiResourceLinks.courseId))
    .where(and(eq(ltiResourceLinks.campaignId, campaign.id), eq(courses.organizationId, campaign.organizationId), isNotNull(courses.rosterUrl)))
  return rows.map((r) => r.courseId)
}

async function readRoster(platform: Platform, url: string, deps: { db: Db; services: ServiceClient }): Promise<RosterMember[]> {
  const members: RosterMember[] = []
  let next: string | undefined = url
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const res = await deps.services.request(platform, [SCOPE.nrps], { method: 'GET', url: next, accept: MEDIA.membershipContainer })
    if (res.status !== 200) throw new LtiServiceError(`Names and roles service answered ${res.status}`, res.status, res.body.slice(0, 300))
    let body: { members?: Record<string, unknown>[] }
    try {
      body = JSON.parse(res.body) as typeof body
    } catch {
      throw new LtiServiceError('Names and roles service answered something else than JSON', res.status, res.body.slice(0, 200))
    }
    for (const m of body.members ?? []) {
      const s = (k: string) => (typeof m[k] === 'string' && m[k] ? (m[k] as string) : undefined)
      const id = s('user_id')
      if (!id) continue
      const roles = Array.isArray(m.roles) ? (m.roles as unknown[]).filter((r): r is string => typeof r === 'string') : []
      members.push({
        platformUserId: id,
        role: mapMemberRoles(roles),
        status: (s('status') as RosterMember['status']) ?? 'Active',
        name: s('name'),
        firstName: s('given_name'),
        lastName: s('family_name'),
        email: s('email'),
        externalId: s('lis_person_sourcedid'),
      })
    }
    next = nextLink(res.headers.get('link'))
  }
  const ids = members.map((m) => m.platformUserId)
  if (ids.length) {
    const known = await deps.db
      .select({ subject: ltiUserIdentities.subject, userId: ltiUserIdentities.userId })
      .from(ltiUserIdentities)
      .where(and(eq(ltiUserIdentities.platformId, platform.id), inArray(ltiUserIdentities.subject, ids)))
    const bySub = new Map(known.map((k) => [k.subject, k.userId]))
    for (const m of members) m.userId = bySub.get(m.platformUserId)
  }
  return members
}
