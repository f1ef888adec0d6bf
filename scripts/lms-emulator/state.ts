/** The emulator's in-memory state: demo data, registered tools, activities, gradebook, pending launches, tokens. */
import { randomBytes, randomInt } from 'node:crypto'
import type { PlatformKeys } from './keys'
import type { Activity, Course, Grade, LineItem, PendingDeepLink, PendingLaunch, ScoreRecord, Tool, User } from './types'

export interface EmulatorSettings {
  /** Jalon's base URL (the demo activity points at it; the admin page suggests `${toolUrl}/lti/register`). */
  toolUrl: string
  toolRegistrationUrl: string
  /** Server-imposed NRPS page size (Moodle pages only when the tool asks `limit`); set it small to exercise paging. */
  nrpsPageSize?: number
  /**
   * Moodle compares score timestamps at one-second resolution (`strtotime`), so two scores within the same second
   * conflict (409). `millisecond` is the spec's reading, for tests that want it.
   */
  scoreTimestampResolution: 'second' | 'millisecond'
  /** Send `lti_storage_target` and answer LTI postMessage storage (Moodle does not; Canvas, D2L, Sakai do). */
  platformStorage: boolean
  /** Send `data` in deep_linking_settings (Moodle 4.5 does not) and require the tool to echo it. */
  deepLinkingData: boolean
  /** Moodle leaves dynamically registered tools pending; tests may skip the activation click. */
  autoActivateDynamicTools: boolean
  locale: string
}

/** Moodle's random_string(15) alphabet, used for client ids and sesskeys. */
export function randomString(length: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  let s = ''
  for (let i = 0; i < length; i++) s += chars[randomInt(chars.length)]
  return s
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

export interface AccessToken {
  token: string
  typeId: string
  scopes: string[]
  expiresAt: number
}

export class EmulatorState {
  readonly users = new Map<string, User>()
  readonly tools = new Map<string, Tool>()
  readonly activities = new Map<string, Activity>()
  readonly lineItems = new Map<string, LineItem>()
  /** key `${lineItemId}:${userId}` */
  readonly grades = new Map<string, Grade>()
  readonly scoreLog: ScoreRecord[] = []
  readonly launches = new Map<string, PendingLaunch>()
  readonly deepLinks = new Map<string, PendingDeepLink>()
  readonly accessTokens = new Map<string, AccessToken>()
  /** Registration tokens already used (Moodle refuses a second registration with the same token). */
  readonly usedRegistrationTokens = new Set<string>()
  readonly counters = { scorePosts: 0, scoresAccepted: 0, scoresRejected: 0, faultsInjected: 0, tokenRequests: 0, nrpsRequests: 0, launches: 0 }
  private seq = { type: 1, activity: 1, cmid: 2, gradeItem: 2, user: 10 }

  constructor(
    readonly issuer: string,
    readonly keys: PlatformKeys,
    readonly course: Course,
    readonly settings: EmulatorSettings,
  ) {}

  // --- identifiers, as Moodle numbers them -------------------------------------------------------------
  nextTypeId(): string {
    return String(this.seq.type++)
  }
  nextActivityIds(): { id: string; cmid: string } {
    return { id: String(this.seq.activity++), cmid: String(this.seq.cmid++) }
  }
  nextGradeItemId(): string {
    return String(this.seq.gradeItem++)
  }
  nextUserId(): string {
    return String(this.seq.user++)
  }

  // --- platform URLs (Moodle's paths) -------------------------------------------------------------------
  get urls() {
    const b = this.issuer
    return {
      auth: `${b}/mod/lti/auth.php`,
      token: `${b}/mod/lti/token.php`,
      jwks: `${b}/mod/lti/certs.php`,
      openidConfiguration: `${b}/mod/lti/openid-configuration.php`,
      registration: `${b}/mod/lti/openid-registration.php`,
      deepLinkReturn: `${b}/mod/lti/contentitem_return.php`,
    }
  }
  lineItemsUrl(typeId: string, courseId = this.course.id): string {
    return `${this.issuer}/mod/lti/services.php/${courseId}/lineitems?type_id=${typeId}`
  }
  lineItemUrl(item: LineItem, suffix = ''): string {
    return `${this.issuer}/mod/lti/services.php/${item.courseId}/lineitems/${item.id}/lineitem${suffix}?type_id=${item.typeId}`
  }
  membershipsUrl(typeId: string, courseId = this.course.id): string {
    return `${this.issuer}/mod/lti/services.php/CourseSection/${courseId}/bindings/${typeId}/memberships`
  }

  // --- lookups ------------------------------------------------------------------------------------------
  toolByClientId(clientId: string): Tool | undefined {
    return [...this.tools.values()].find((t) => t.clientId === clientId)
  }

  /**
   * The tool an activity launches. Moodle saves deep-linked items with typeid 0 and re-resolves the tool by URL
   * (domain match); the demo activity relies on the same rule. Pending tools never launch.
   */
  toolForActivity(activity: Activity): Tool | undefined {
    if (activity.typeId) return this.tools.get(activity.typeId)
    const configured = [...this.tools.values()].filter((t) => t.state === 'configured')
    // The activity's tool URL, else (a preconfigured-tool activity such as the demo's) Jalon's URL.
    const host = hostOf(activity.toolUrl ?? this.settings.toolUrl)
    const match = configured.find((t) => t.domain === host)
    if (match) return match
    // Demo convenience: with a single configured tool, use it (Jalon's public URL may differ from toolUrl).
    return configured.length === 1 ? configured[0] : undefined
  }

  activityByAnyId(id: string): Activity | undefined {
    return this.activities.get(id)
  }

  activityByCmid(cmid: string): Activity | undefined {
    return [...this.activities.values()].find((a) => a.cmid === cmid)
  }

  /** The tool type a line item belongs to (the activity's own grade item follows the activity's tool). */
  lineItemTool(item: LineItem): Tool | undefined {
    return this.tools.get(item.typeId)
  }

  lineItemsOfActivity(activityId: string): LineItem[] {
    return [...this.lineItems.values()].filter((li) => li.activityId === activityId)
  }

  /** Moodle's `is_user_gradable_in_course`: enrolled with a gradebook role ($CFG->gradebookroles = student). */
  isGradable(userId: string): boolean {
    return this.users.get(userId)?.courseRole === 'student'
  }

  enrolledUsers(): User[] {
    return [...this.users.values()].filter((u) => u.courseRole !== undefined)
  }

  /** Refresh the type id of activity-owned grade items whose activity resolves to a tool only now. */
  syncLineItemTypes(): void {
    for (const item of this.lineItems.values()) {
      if (item.kind !== 'mod' || !item.activityId) continue
      const activity = this.activities.get(item.activityId)
      const tool = activity ? this.toolForActivity(activity) : undefined
      if (tool && item.typeId !== tool.typeId) item.typeId = tool.typeId
    }
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return ''
  }
}
