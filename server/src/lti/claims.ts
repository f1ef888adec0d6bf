/**
 * LTI 1.3 claim names, scopes, role vocabularies and media types. The only place in Jalon that
 * spells them (npm run lint checks it): the rest of the server sees a LaunchContext.
 */
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/'
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/'

export const CLAIM = {
  messageType: `${LTI}message_type`,
  version: `${LTI}version`,
  deploymentId: `${LTI}deployment_id`,
  targetLinkUri: `${LTI}target_link_uri`,
  resourceLink: `${LTI}resource_link`,
  roles: `${LTI}roles`,
  context: `${LTI}context`,
  toolPlatform: `${LTI}tool_platform`,
  launchPresentation: `${LTI}launch_presentation`,
  lis: `${LTI}lis`,
  custom: `${LTI}custom`,
  ext: `${LTI}ext`,
  deepLinkingSettings: `${DL}deep_linking_settings`,
  contentItems: `${DL}content_items`,
  dlData: `${DL}data`,
  dlMsg: `${DL}msg`,
  dlErrorMsg: `${DL}errormsg`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  toolConfiguration: 'https://purl.imsglobal.org/spec/lti-tool-configuration',
  platformConfiguration: 'https://purl.imsglobal.org/spec/lti-platform-configuration',
} as const

export const SCOPE = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const

export const MEDIA = {
  score: 'application/vnd.ims.lis.v1.score+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  membershipContainer: 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
} as const

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const
export type MessageType = (typeof MESSAGE_TYPES)[number]

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#'
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#'
const SYSTEM = 'http://purl.imsglobal.org/vocab/lis/v2/system/person#'

export type JalonRole = 'learner' | 'teacher' | 'admin'

/** Normalises a role to "<vocabulary>#<name>"-less form: full URIs, short forms ("Learner") and LTI 1.1 URNs. */
function roleName(role: string): { scope: 'membership' | 'institution' | 'system'; name: string } | undefined {
  const r = role.trim()
  if (!r) return undefined
  for (const [prefix, scope] of [
    [MEMBERSHIP, 'membership'],
    [INSTITUTION, 'institution'],
    [SYSTEM, 'system'],
  ] as const) {
    if (r.startsWith(prefix)) return { scope, name: r.slice(prefix.length).split('#')[0]! }
  }
  // Sub-roles: http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant
  const sub = /^http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership\/([A-Za-z]+)#/.exec(r)
  if (sub) return { scope: 'membership', name: sub[1]! }
  const urn = /^urn:lti:(role|instrole|sysrole):ims\/lis\/([A-Za-z]+)/.exec(r)
  if (urn) return { scope: urn[1] === 'role' ? 'membership' : urn[1] === 'instrole' ? 'institution' : 'system', name: urn[2]! }
  // Short form: a bare name is a context membership role (Core §5.3.2).
  if (/^[A-Za-z]+$/.test(r)) return { scope: 'membership', name: r }
  return undefined
}

/**
 * Jalon's role for a launch: a platform/institution administrator → admin; an Instructor,
 * ContentDeveloper or course Administrator → teacher; anything else (Learner, unknown, none) → learner.
 */
export function mapRoles(roles: readonly string[]): JalonRole {
  const names = roles.map(roleName).filter((r): r is NonNullable<typeof r> => Boolean(r))
  if (names.some((r) => (r.scope === 'system' || r.scope === 'institution') && r.name === 'Administrator')) return 'admin'
  if (names.some((r) => r.scope === 'membership' && ['Instructor', 'ContentDeveloper', 'Administrator', 'Manager'].includes(r.name))) return 'teacher'
  return 'learner'
}

/** Whether the platform's gradebook should receive this user's scores (Moodle: gradebook roles = learners). */
export function hasLearnerRole(roles: readonly string[]): boolean {
  return roles.map(roleName).some((r) => r?.scope === 'membership' && r.name === 'Learner')
}

/** NRPS member roles, short or full, to Jalon's role. */
export function mapMemberRoles(roles: readonly string[]): JalonRole {
  return mapRoles(roles)
}
