/**
 * Course rosters for the Orga dashboard, cached per course: the Activité tab refreshes every 10 s and must
 * not hit the LMS each time, and a slow or failing LMS must not hold the tab (answer within `waitMs`,
 * keep serving the last roster read, retry a failed course only after `failureTtlMs`).
 */
import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import type { Logger } from '../shared/logger'
import { campaignRosterCourses, fetchCourseRosterById, type RosterMember } from './roster'
import type { ServiceClient } from './service-client'

export interface CampaignRoster {
  /** Active learners of the campaign's bound courses, once each. */
  learners: RosterMember[]
  courses: number
  /** Courses whose roster could not be read and of which nothing was read before. */
  unavailableCourses: number
}

export interface RosterCache {
  /** null when no activity bound to the campaign is in a course offering NRPS. */
  campaignLearners(campaign: { id: string; organizationId: string }): Promise<CampaignRoster | null>
  /** Forget every cached roster (tests, platform changes). */
  clear(): void
}

export interface RosterCacheDeps {
  db: Db
  services: ServiceClient
  clock: Clock
  logger: Logger
  /** How long a roster is reused (default 3 min). */
  ttlMs?: number
  /** How long after a failure the LMS is left alone (default 30 s). */
  failureTtlMs?: number
  /** How long a request waits for the LMS before answering without (the read goes on and fills the cache). */
  waitMs?: number
  /** A stale roster is still shown when a refresh fails, up to this age (default 1 h). */
  maxStaleMs?: number
}

interface Entry {
  members?: RosterMember[]
  fetchedAt?: number
  failedAt?: number
  inflight?: Promise<void>
}

export function createRosterCache(deps: RosterCacheDeps): RosterCache {
  const ttlMs = deps.ttlMs ?? 3 * 60_000
  const failureTtlMs = deps.failureTtlMs ?? 30_000
  const waitMs = deps.waitMs ?? 4_000
  const maxStaleMs = deps.maxStaleMs ?? 60 * 60_000
  const entries = new Map<string, Entry>()
  const now = () => deps.clock.now().getTime()

  const refresh = (courseId: string, entry: Entry): Promise<void> =>
    fetchCourseRosterById(courseId, deps)
      .then((members) => {
        Object.assign(entry, { members, fetchedAt: now(), failedAt: undefined })
      })
      .catch((err: unknown) => {
        entry.failedAt = now()
        deps.logger.warn({ courseId, err: (err as Error).message }, 'course roster unavailable (NRPS)')
      })
      .finally(() => {
        entry.inflight = undefined
      })

  async function course(courseId: string): Promise<RosterMember[] | undefined> {
    let entry = entries.get(courseId)
    if (!entry) entries.set(courseId, (entry = {}))
    const t = now()
    if (entry.members && t - entry.fetchedAt! < ttlMs) return entry.members
    const failedRecently = entry.failedAt !== undefined && t - entry.failedAt < failureTtlMs
    if (!entry.inflight && !failedRecently) entry.inflight = refresh(courseId, entry)
    if (entry.inflight) {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([entry.inflight, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))])
      clearTimeout(timer)
    }
    return entry.members && now() - entry.fetchedAt! < maxStaleMs ? entry.members : undefined
  }

  return {
    async campaignLearners(campaign) {
      const courseIds = await campaignRosterCourses(campaign, deps)
      if (!courseIds.length) return null
      const rosters = await Promise.all(courseIds.map(course))
      const learners = new Map<string, RosterMember>()
      for (const m of rosters.flatMap((r) => r ?? [])) {
        if (m.role === 'learner' && m.status === 'Active') learners.set(m.userId ?? m.platformUserId, m)
      }
      return { learners: [...learners.values()], courses: courseIds.length, unavailableCourses: rosters.filter((r) => !r).length }
    },
    clear() {
      entries.clear()
    },
  }
}
