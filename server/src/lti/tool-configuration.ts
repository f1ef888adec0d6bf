/** What Jalon tells platforms about itself: URLs, scopes, claims, messages (lti-config/tool.json mirrors it). */
import { CLAIM, SCOPE } from './claims'

export interface ToolUrls {
  baseUrl: string
  loginUrl: string
  launchUrl: string
  jwksUrl: string
  registrationUrl: string
  logoUrl: string
  domain: string
}

export function toolUrls(baseUrl: string): ToolUrls {
  const b = baseUrl.replace(/\/+$/, '')
  return {
    baseUrl: b,
    loginUrl: `${b}/lti/login`,
    launchUrl: `${b}/lti/launch`,
    jwksUrl: `${b}/.well-known/jwks.json`,
    registrationUrl: `${b}/lti/register`,
    logoUrl: `${b}/static/jalon-logo.svg`,
    domain: new URL(b).host,
  }
}

export const TOOL_SCOPES = [SCOPE.lineItem, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score, SCOPE.nrps]
export const TOOL_CLAIMS = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email']

/** The Dynamic Registration 1.0 client metadata (lti-notes §7). */
export function registrationRequest(urls: ToolUrls, options: { toolName: string; scopes?: string[] }) {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: urls.loginUrl,
    redirect_uris: [urls.launchUrl],
    client_name: options.toolName,
    jwks_uri: urls.jwksUrl,
    logo_uri: urls.logoUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: (options.scopes ?? TOOL_SCOPES).join(' '),
    [CLAIM.toolConfiguration]: {
      domain: urls.domain,
      target_link_uri: urls.launchUrl,
      description: 'Jalon : test adaptatif des compétences numériques, scores renvoyés au carnet de notes.',
      claims: TOOL_CLAIMS,
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: urls.launchUrl, label: options.toolName },
        { type: 'LtiDeepLinkingRequest', target_link_uri: urls.launchUrl, label: `${options.toolName} : ajouter un test`, placements: ['ContentArea'] },
      ],
    },
  }
}

/** Manual-registration sheet (served at /lti/config.json). */
export function toolConfigurationSheet(urls: ToolUrls, toolName: string) {
  return {
    title: toolName,
    description: 'Jalon — compétences numériques (LTI 1.3 Advantage)',
    lti_version: '1.3.0',
    tool_url: urls.launchUrl,
    initiate_login_uri: urls.loginUrl,
    redirect_uris: [urls.launchUrl],
    target_link_uri: urls.launchUrl,
    deep_linking_url: urls.launchUrl,
    public_jwk_url: urls.jwksUrl,
    dynamic_registration_url: urls.registrationUrl,
    domain: urls.domain,
    scopes: TOOL_SCOPES,
    claims: TOOL_CLAIMS,
    messages: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'],
  }
}
