/**
 * The id_token payload of a launch, claim for claim as Moodle 4.5 builds it (see moodle-samples/launch-student.json):
 * 60 s lifetime, `aud` = client id as a string (no azp), deployment id = tool type id, roles as full URIs,
 * AGS claim with `?type_id=` URLs and `lineitem` only when the activity has exactly one column.
 */
import { createHash } from 'node:crypto'
import { CLAIM, ROLE, SCOPE } from './claims'
import { randomString, type EmulatorState } from './state'
import { buildCustomClaim } from './substitution'
import type { Activity, LaunchContainer, PendingLaunch, Tool, User } from './types'

/** Moodle's token life for launches (`lti_sign_jwt`: exp = iat + 60). */
export const ID_TOKEN_LIFETIME_S = 60
export const MOODLE_VERSION = '2024100706'
export const PLATFORM_GUID = createHash('md5').update('jalon-lms-emulator').digest('hex')

/** `lti_get_ims_role` for LTI 1.3: admins get the three roles in this order; editing teachers Instructor; others Learner. */
export function rolesOf(user: User): string[] {
  if (user.siteAdmin) return [ROLE.institutionAdmin, ROLE.instructor, ROLE.systemAdmin]
  if (user.courseRole === 'editingteacher') return [ROLE.instructor]
  return [ROLE.learner]
}

/** Moodle's launch container codes in return URLs (embed without blocks = 3, new window = 4). */
function containerCode(c: LaunchContainer): number {
  return c === 'window' ? 4 : 3
}

export function agsScopes(tool: Tool): string[] {
  if (tool.gradeSync === 'none') return []
  const base = [SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score]
  return tool.gradeSync === 'sync-and-columns' ? [SCOPE.lineItem, ...base] : base
}

export interface LaunchClaimsInput {
  state: EmulatorState
  launch: PendingLaunch
  nonce: string
  /** Overrides "now" (seconds), for tests that need old tokens. */
  now?: number
}

export function buildLaunchClaims(input: LaunchClaimsInput): Record<string, unknown> {
  const { state, launch, nonce } = input
  const tool = state.tools.get(launch.typeId)
  const user = state.users.get(launch.userId)
  if (!tool || !user) throw new Error('launch refers to an unknown tool or user')
  const activity: Activity | undefined = launch.activityId ? state.activities.get(launch.activityId) : undefined
  const deepLinking = launch.messageType === 'LtiDeepLinkingRequest'
  const iat = input.now ?? Math.floor(Date.now() / 1000)
  const roles = rolesOf(user)
  const course = state.course
  const lineItems = activity ? state.lineItemsOfActivity(activity.id) : []

  const claims: Record<string, unknown> = {
    nonce,
    iat,
    exp: iat + ID_TOKEN_LIFETIME_S,
    iss: state.issuer,
    aud: tool.clientId,
    [CLAIM.deploymentId]: tool.typeId,
    [CLAIM.targetLinkUri]: launch.targetLinkUri,
    sub: user.id,
    [CLAIM.lis]: { person_sourcedid: user.idnumber, course_section_sourcedid: course.sourcedId },
    [CLAIM.roles]: roles,
    [CLAIM.context]: { id: course.id, label: course.label, title: course.title, type: ['CourseSection'] },
    [CLAIM.messageType]: launch.messageType,
  }
  if (activity && !deepLinking) {
    claims[CLAIM.resourceLink] = { title: activity.name, description: activity.description, id: activity.id }
    const modItem = lineItems.find((li) => li.kind === 'mod')
    if (modItem && tool.acceptGrades !== 'never') {
      // LTI 1.1 outcomes leftovers Moodle still sends; unused in 1.3.
      const data = { instanceid: activity.id, userid: user.id, typeid: tool.typeId, launchid: Math.floor(Math.random() * 1e9) }
      claims[CLAIM.basicOutcome] = {
        lis_result_sourcedid: JSON.stringify({ data, hash: createHash('sha256').update(JSON.stringify(data)).digest('hex') }),
        lis_outcome_service_url: `${state.issuer}/mod/lti/service.php`,
      }
    }
  }
  if (tool.sendName) {
    if (user.givenName) claims.given_name = user.givenName
    if (user.familyName) claims.family_name = user.familyName
    const full = [user.givenName, user.familyName].filter(Boolean).join(' ')
    if (full) claims.name = full
    claims[CLAIM.ext] = { user_username: user.username, lms: 'moodle-2' }
  }
  if (tool.sendEmail && user.email) claims.email = user.email
  claims[CLAIM.launchPresentation] = deepLinking
    ? { locale: state.settings.locale }
    : {
        locale: state.settings.locale,
        document_target: launch.container === 'window' ? 'window' : 'iframe',
        return_url: `${state.issuer}/mod/lti/return.php?course=${course.id}&launch_container=${containerCode(launch.container)}&instanceid=${activity?.id ?? ''}&sesskey=${randomString(10)}`,
      }
  claims[CLAIM.toolPlatform] = {
    product_family_code: 'moodle',
    version: MOODLE_VERSION,
    guid: PLATFORM_GUID,
    name: 'Université Démo',
    description: 'Moodle de démonstration pour Jalon',
  }
  claims[CLAIM.version] = '1.3.0'
  claims[CLAIM.custom] = buildCustomClaim({ state, tool, user, activity: deepLinking ? undefined : activity, roles })
  if (tool.gradeSync !== 'none') {
    const endpoint: Record<string, unknown> = { scope: agsScopes(tool), lineitems: state.lineItemsUrl(tool.typeId) }
    const only = lineItems.length === 1 ? lineItems[0] : undefined
    if (!deepLinking && only) endpoint.lineitem = state.lineItemUrl(only)
    claims[CLAIM.ags] = endpoint
  }
  if (tool.nrps) {
    claims[CLAIM.nrps] = { context_memberships_url: state.membershipsUrl(tool.typeId), service_versions: ['1.0', '2.0'] }
  }
  return claims
}

/** deep_linking_settings of Moodle's ContentItemSelectionRequest → LtiDeepLinkingRequest. */
export function deepLinkingSettings(state: EmulatorState, tool: Tool, sesskey: string, data?: string): Record<string, unknown> {
  const settings: Record<string, unknown> = {
    accept_types: ['ltiResourceLink'],
    accept_presentation_document_targets: ['frame', 'iframe', 'window'],
    accept_copy_advice: false,
    accept_multiple: true,
    accept_unsigned: false,
    auto_create: false,
    can_confirm: false,
    deep_link_return_url: `${state.urls.deepLinkReturn}?course=${state.course.id}&id=${tool.typeId}&sesskey=${sesskey}`,
    title: tool.name,
    text: '',
  }
  if (data !== undefined) settings.data = data
  return settings
}
