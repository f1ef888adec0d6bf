/** Tool registrations: manual ("configure a tool manually") and the tool record built from a dynamic registration. */
import { customParametersText } from './activities'
import { SCOPE } from './claims'
import { hostOf, randomString, type EmulatorState } from './state'
import type { AcceptGrades, GradeSync, LaunchContainer, Tool } from './types'

export interface RegisterToolInput {
  /** Moodle generates a 15-character client id; tests may fix it. */
  clientId?: string
  name?: string
  description?: string
  initiateLoginUrl: string
  /** Tool URL: the launch target_link_uri. */
  targetLinkUri: string
  /** Moodle's "Redirection URI(s)"; defaults to [targetLinkUri]. */
  redirectUris?: string[]
  jwksUrl: string
  /** Content-Item URL; setting it turns deep linking on. */
  deepLinkingUrl?: string
  /** e.g. `{ student_id: '$Person.sourcedId' }` or `student_id=$Person.sourcedId` lines. */
  customParameters?: string | Record<string, string>
  /** Privacy: share launcher's name / e-mail (default true). */
  sendName?: boolean
  sendEmail?: boolean
  /** AGS: none, grade sync only, grade sync and column management (default). */
  gradeSync?: GradeSync
  /** NRPS (default true). */
  nrps?: boolean
  acceptGrades?: AcceptGrades
  launchContainer?: LaunchContainer
}

/** What Moodle's "Tool configuration details" shows: what Jalon needs to register the platform. */
export interface PlatformDetails {
  issuer: string
  clientId: string
  /** Numeric, as a string (Moodle's tool type id). */
  deploymentId: string
  authLoginUrl: string
  accessTokenUrl: string
  keysetUrl: string
  typeId: string
}

export function platformDetails(state: EmulatorState, tool: Tool): PlatformDetails {
  return {
    issuer: state.issuer,
    clientId: tool.clientId,
    deploymentId: tool.typeId,
    authLoginUrl: state.urls.auth,
    accessTokenUrl: state.urls.token,
    keysetUrl: state.urls.jwks,
    typeId: tool.typeId,
  }
}

export function registerTool(state: EmulatorState, input: RegisterToolInput): PlatformDetails {
  const clientId = input.clientId ?? randomString(15)
  if (state.toolByClientId(clientId)) throw new Error(`client id ${clientId} is already registered`)
  const tool: Tool = {
    typeId: state.nextTypeId(),
    clientId,
    name: input.name ?? 'Jalon',
    description: input.description ?? '',
    initiateLoginUrl: input.initiateLoginUrl,
    redirectUris: input.redirectUris ?? [input.targetLinkUri],
    targetLinkUri: input.targetLinkUri,
    deepLinkingUrl: input.deepLinkingUrl,
    jwksUrl: input.jwksUrl,
    customParameters: customParametersText(input.customParameters),
    sendName: input.sendName ?? true,
    sendEmail: input.sendEmail ?? true,
    gradeSync: input.gradeSync ?? 'sync-and-columns',
    nrps: input.nrps ?? true,
    acceptGrades: input.acceptGrades ?? 'delegate',
    launchContainer: input.launchContainer ?? 'embed',
    state: 'configured',
    origin: 'manual',
    domain: hostOf(input.targetLinkUri),
  }
  state.tools.set(tool.typeId, tool)
  state.syncLineItemTypes()
  return platformDetails(state, tool)
}

export class RegistrationError extends Error {}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined
}

/**
 * Moodle's registration_helper: required fields, then the mapping to tool settings
 * (AGS scopes → grade sync, `lineitem` → column management, NRPS scope, name/e-mail claims → privacy "always",
 * a LtiDeepLinkingRequest message → Content-Item URL, launch container "embed without blocks").
 */
export function toolFromRegistration(state: EmulatorState, clientId: string, reg: Record<string, unknown>): Tool {
  const conf = reg['https://purl.imsglobal.org/spec/lti-tool-configuration']
  const config = conf && typeof conf === 'object' ? (conf as Record<string, unknown>) : undefined
  const responseTypes = strings(reg.response_types)
  const redirectUris = strings(reg.redirect_uris)
  if (!responseTypes?.includes('id_token')) throw new RegistrationError('invalid_client_metadata: response_types must contain id_token')
  if (typeof reg.initiate_login_uri !== 'string') throw new RegistrationError('invalid_client_metadata: missing initiate_login_uri')
  if (!redirectUris?.length) throw new RegistrationError('invalid_client_metadata: missing redirect_uris')
  if (typeof reg.client_name !== 'string') throw new RegistrationError('invalid_client_metadata: missing client_name')
  if (typeof reg.jwks_uri !== 'string') throw new RegistrationError('invalid_client_metadata: missing jwks_uri')
  if (reg.token_endpoint_auth_method !== 'private_key_jwt') throw new RegistrationError('invalid_client_metadata: token_endpoint_auth_method must be private_key_jwt')
  if (reg.application_type !== undefined && reg.application_type !== 'web') throw new RegistrationError('invalid_client_metadata: application_type must be web')
  if (!config) throw new RegistrationError('invalid_client_metadata: missing lti-tool-configuration')
  if (typeof config.domain !== 'string' || !config.domain) throw new RegistrationError('invalid_client_metadata: missing domain')
  if (typeof config.target_link_uri !== 'string') throw new RegistrationError('invalid_client_metadata: missing target_link_uri')
  const scopes = typeof reg.scope === 'string' ? reg.scope.split(/\s+/) : []
  const claims = strings(config.claims) ?? []
  const messages = Array.isArray(config.messages) ? (config.messages as Array<Record<string, unknown>>) : []
  const dl = messages.find((m) => m && m.type === 'LtiDeepLinkingRequest')
  const custom = config.custom_parameters && typeof config.custom_parameters === 'object' ? (config.custom_parameters as Record<string, unknown>) : {}
  const ags = [SCOPE.score, SCOPE.resultReadonly, SCOPE.lineItemReadonly, SCOPE.lineItem].some((s) => scopes.includes(s))
  return {
    typeId: state.nextTypeId(),
    clientId,
    name: reg.client_name,
    description: typeof config.description === 'string' ? config.description : '',
    initiateLoginUrl: reg.initiate_login_uri,
    redirectUris,
    targetLinkUri: config.target_link_uri,
    deepLinkingUrl: dl ? (typeof dl.target_link_uri === 'string' ? dl.target_link_uri : config.target_link_uri) : undefined,
    jwksUrl: reg.jwks_uri,
    customParameters: Object.entries(custom)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('\n'),
    sendName: claims.some((c) => c === 'name' || c === 'given_name' || c === 'family_name'),
    sendEmail: claims.includes('email'),
    gradeSync: scopes.includes(SCOPE.lineItem) ? 'sync-and-columns' : ags ? 'sync' : 'none',
    nrps: scopes.includes(SCOPE.nrps),
    acceptGrades: ags ? 'delegate' : 'never',
    launchContainer: 'embed',
    state: state.settings.autoActivateDynamicTools ? 'configured' : 'pending',
    origin: 'dynamic',
    domain: config.domain,
    registration: reg,
  }
}

/** Moodle's answer to the registration POST (moodle-samples/dynamic-registration.json). */
export function registrationResponse(tool: Tool): Record<string, unknown> {
  const scopes: string[] = []
  if (tool.gradeSync !== 'none') scopes.push(SCOPE.score, SCOPE.resultReadonly, SCOPE.lineItemReadonly)
  if (tool.gradeSync === 'sync-and-columns') scopes.push(SCOPE.lineItem)
  if (tool.nrps) scopes.push(SCOPE.nrps)
  const claims = ['sub', 'iss']
  if (tool.sendName) claims.push('name', 'family_name', 'given_name')
  if (tool.sendEmail) claims.push('email')
  const reg = tool.registration ?? {}
  const custom: Record<string, string> = {}
  for (const line of tool.customParameters.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) custom[line.slice(0, i)] = line.slice(i + 1)
  }
  const config: Record<string, unknown> = {
    version: '1.3.0',
    deployment_id: tool.typeId,
    target_link_uri: tool.targetLinkUri,
    domain: tool.domain,
    description: tool.description,
  }
  if (tool.deepLinkingUrl) config.messages = [{ type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUrl }]
  if (Object.keys(custom).length) config.custom_parameters = custom
  config.claims = claims
  return {
    client_id: tool.clientId,
    response_types: ['id_token'],
    jwks_uri: tool.jwksUrl,
    initiate_login_uri: tool.initiateLoginUrl,
    grant_types: ['client_credentials', 'implicit'],
    redirect_uris: tool.redirectUris,
    application_type: 'web',
    token_endpoint_auth_method: 'private_key_jwt',
    client_name: tool.name,
    logo_uri: typeof reg.logo_uri === 'string' ? reg.logo_uri : '',
    scope: scopes.join(' '),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': config,
  }
}
