/** The emulator's in-memory model, shaped after Moodle's tables (user, course, lti_types, lti, grade_items, grade_grades). */

export type CourseRole = 'student' | 'editingteacher'

export interface User {
  /** Moodle user id (the `sub` and `login_hint`); Moodle's admin is 2. */
  id: string
  username: string
  givenName?: string
  familyName?: string
  email?: string
  /** Moodle `idnumber` → `lis.person_sourcedid` and `$Person.sourcedId` (may be empty). */
  idnumber: string
  /** Role in the demo course; absent = not enrolled. `student` is Moodle's only default gradebook role. */
  courseRole?: CourseRole
  siteAdmin: boolean
  /** How the user switcher shows them, e.g. "Léa (étudiante)". */
  label: string
}

export interface Course {
  id: string
  /** Moodle shortname → context.label */
  label: string
  /** Moodle fullname → context.title */
  title: string
  /** Moodle course idnumber → lis.course_section_sourcedid */
  sourcedId: string
  summary: string
  startDate: number
}

/** Moodle's "Services" setting for AGS. */
export type GradeSync = 'none' | 'sync' | 'sync-and-columns'
/** Moodle's privacy setting "Accept grades from the tool". */
export type AcceptGrades = 'never' | 'always' | 'delegate'
/** Moodle's launch containers: embed (without blocks) = iframe, new window. */
export type LaunchContainer = 'embed' | 'window'

export interface Tool {
  /** lti_types.id: also the deployment id (as a string) and the `type_id` of service URLs. */
  typeId: string
  clientId: string
  name: string
  description: string
  initiateLoginUrl: string
  redirectUris: string[]
  /** Tool URL (launch target_link_uri). */
  targetLinkUri: string
  /** Content-Item (deep linking) URL; absent = deep linking off. */
  deepLinkingUrl?: string
  jwksUrl: string
  /** Moodle's text area: `key=value` lines. */
  customParameters: string
  sendName: boolean
  sendEmail: boolean
  gradeSync: GradeSync
  nrps: boolean
  acceptGrades: AcceptGrades
  launchContainer: LaunchContainer
  /** Dynamically registered tools stay pending until an administrator activates them. */
  state: 'configured' | 'pending'
  origin: 'manual' | 'dynamic'
  /** Host[:port] the tool's URLs live on (Moodle matches activities to tools by domain). */
  domain: string
  /** The registration request a dynamically registered tool sent (GET on the registration endpoint reads it back). */
  registration?: Record<string, unknown>
}

/** An "External tool" activity: the resource link. */
export interface Activity {
  /** lti.id, sent as resource_link.id */
  id: string
  /** course_modules.id (URLs /mod/lti/view.php?id=cmid, lti_message_hint.cmid) */
  cmid: string
  name: string
  description: string
  /** Pinned tool type; absent = resolved by matching `toolUrl` to a tool's domain, as Moodle does for typeid 0. */
  typeId?: string
  /** Tool URL stored on the activity (deep-linked items carry one); the launch's target_link_uri when set. */
  toolUrl?: string
  /** Instructor custom parameters (`key=value` lines). */
  customParameters: string
  launchContainer?: LaunchContainer
  createdBy: 'demo' | 'api' | 'deep-linking'
}

export interface LineItem {
  /** grade_items.id */
  id: string
  courseId: string
  typeId: string
  /** Activity (resource link) the column belongs to; absent for a tool-created column not bound to a link. */
  activityId?: string
  label: string
  scoreMaximum: number
  resourceId: string
  tag: string
  startDateTime?: string
  endDateTime?: string
  /** `mod`: the activity's own grade item (cannot be deleted through AGS); `manual`: created by the tool. */
  kind: 'mod' | 'manual'
}

export interface Grade {
  lineItemId: string
  userId: string
  /** Rescaled to the line item's scoreMaximum; null when the score carried no FullyGraded grade. */
  grade: number | null
  comment?: string
  activityProgress: string
  gradingProgress: string
  /** Seconds, like Moodle's grade_grades.timemodified (strtotime of the score timestamp). */
  timemodified: number
  /** The timestamp string the tool sent. */
  timestamp: string
}

/** One accepted score POST, exactly as received (tests count them to check exactly-once delivery). */
export interface ScoreRecord {
  lineItemId: string
  userId: string
  receivedAt: string
  body: Record<string, unknown>
  /** scoreGiven after Moodle's rule (null unless FullyGraded). */
  keptScore: number | null
}

/** What launch.php put in the session for auth.php (Moodle keeps it in $SESSION under the launchid). */
export interface PendingLaunch {
  launchId: string
  userId: string
  typeId: string
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest'
  activityId?: string
  targetLinkUri: string
  container: LaunchContainer
  /** Deep linking: the sesskey of the return URL, which finds the PendingDeepLink again. */
  sesskey?: string
  /** Sent as `lti_storage_target` when the platform offers postMessage storage. */
  storageTarget?: string
  createdAt: number
}

/** A deep-linking request in progress, found again by the sesskey of its return URL. */
export interface PendingDeepLink {
  sesskey: string
  typeId: string
  userId: string
  courseId: string
  /** The `data` sent in deep_linking_settings, if any (the tool must echo it). */
  data?: string
  createdAt: number
}
