/**
 * Custom parameters as Moodle builds them (`lti_split_custom_parameters`, `lti_parse_custom_parameter`,
 * `lti_get_capabilities`): `key=value` lines (also split on `;`), keys lowercased with non-alphanumerics
 * turned into `_` (LTI 1.3 also keeps the original key when it differs), whole-value `$Variable` substitution,
 * unknown variables passed through literally (`$User.idnumber` arrives as is), `\$` escapes.
 */
import type { EmulatorState } from './state'
import type { Activity, Tool, User } from './types'

export interface SubstitutionContext {
  state: EmulatorState
  tool: Tool
  user: User
  activity?: Activity
  roles: string[]
}

function mapKeyName(key: string): string {
  return [...key.trim().toLowerCase()].map((ch) => (/[a-z0-9]/.test(ch) ? ch : '_')).join('')
}

export function splitCustomParameters(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (const line of text.split(/[\n;]/)) {
    const pos = line.indexOf('=')
    if (pos < 1) continue
    out.push([line.slice(0, pos).trim(), line.slice(pos + 1).trim()])
  }
  return out
}

function isoDate(seconds: number): string {
  // PHP date('c'): 2026-09-01T00:00:00+00:00
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

/** Values of the variables Moodle knows; `undefined` = the launch does not carry it (then the text stays literal). */
function variables(ctx: SubstitutionContext): Record<string, string | undefined> {
  const { state, tool, user, activity } = ctx
  const c = state.course
  const name = tool.sendName
  const lineItems = activity ? state.lineItemsOfActivity(activity.id) : []
  const only = lineItems.length === 1 ? lineItems[0] : undefined
  const ags = tool.gradeSync !== 'none'
  const fullName = [user.givenName, user.familyName].filter(Boolean).join(' ')
  return {
    'Context.id': c.id,
    'Context.title': c.title,
    'Context.label': c.label,
    'Context.id.history': '',
    'Context.sourcedId': c.sourcedId,
    'Context.longDescription': c.summary,
    'Context.timeFrame.begin': isoDate(c.startDate),
    'CourseSection.title': c.title,
    'CourseSection.label': c.label,
    'CourseSection.sourcedId': c.sourcedId,
    'CourseSection.longDescription': c.summary,
    'CourseSection.timeFrame.begin': isoDate(c.startDate),
    'CourseSection.timeFrame.end': '',
    'ResourceLink.id': activity?.id,
    'ResourceLink.title': activity?.name,
    'ResourceLink.description': activity?.description,
    'User.id': user.id,
    // Moodle evaluates $User.username from $USER directly: sent whatever the privacy settings.
    'User.username': user.username,
    'Person.name.full': name ? fullName : undefined,
    'Person.name.given': name ? (user.givenName ?? '') : undefined,
    'Person.name.family': name ? (user.familyName ?? '') : undefined,
    'Person.name.middle': name ? '' : undefined,
    'Person.email.primary': tool.sendEmail ? (user.email ?? '') : undefined,
    'Person.sourcedId': user.idnumber,
    'Person.address.street1': '',
    'Person.address.locality': '',
    'Person.address.country': '',
    'Person.address.timezone': 'Europe/Paris',
    'Person.phone.primary': '',
    'Person.phone.mobile': '',
    'Person.webaddress': '',
    'Membership.role': ctx.roles.join(','),
    'Moodle.Person.userGroupIds': '',
    'LineItems.url': ags ? state.lineItemsUrl(tool.typeId) : undefined,
    'LineItem.url': ags && only ? state.lineItemUrl(only) : undefined,
    'Scores.url': ags && only ? state.lineItemUrl(only, '/scores') : undefined,
    'Results.url': ags && only ? state.lineItemUrl(only, '/results') : undefined,
    'ToolProxyBinding.memberships.url': tool.nrps ? state.membershipsUrl(tool.typeId) : undefined,
  }
}

export function substitute(value: string, vars: Record<string, string | undefined>): string {
  if (value.startsWith('\\')) return value.slice(1)
  if (!value.startsWith('$')) return value
  const v = vars[value.slice(1)]
  return v === undefined ? value : v
}

/** The `custom` claim: tool-level parameters override the activity's (Moodle merges instructor ones first). */
export function buildCustomClaim(ctx: SubstitutionContext): Record<string, string> {
  const vars = variables(ctx)
  const out: Record<string, string> = {}
  const add = (text: string): void => {
    for (const [key, raw] of splitCustomParameters(text)) {
      const value = substitute(raw, vars)
      const mapped = mapKeyName(key)
      out[mapped] = value
      if (mapped !== key) out[key] = value
    }
  }
  if (ctx.activity) add(ctx.activity.customParameters)
  add(ctx.tool.customParameters)
  return out
}
