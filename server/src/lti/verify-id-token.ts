/**
 * id_token validation, exactly as lti-notes.md §3: RS256 only; `kid` required and looked up in the
 * platform JWKS; iss; aud/azp; exp/iat with 60 s leeway; nonce bound to the login state; LTI claims
 * (version 1.3.0, message type, deployment, roles, resource link, target link). Every failure is
 * an LtiLaunchRejected with a reason; jose's own errors never leave this file.
 */
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import { CLAIM, MESSAGE_TYPES, type MessageType } from './claims'
import { LtiLaunchRejected, type LaunchRejectionReason } from './errors'
import type { PlatformKeySet } from './platform-keys'

/** Moodle issues 60 s tokens; clocks drift. ltijs's 10 s breaks real launches. */
export const CLOCK_TOLERANCE_S = 60
export const MAX_TOKEN_AGE_S = 60

export interface VerifiedIdToken {
  payload: JWTPayload & Record<string, unknown>
  sub: string
  messageType: MessageType
  deploymentId: string
  roles: string[]
}

export async function verifyIdToken(
  idToken: string,
  expected: { issuer: string; clientId: string; nonce: string; keySet: PlatformKeySet; now?: Date },
): Promise<VerifiedIdToken> {
  let header: ReturnType<typeof decodeProtectedHeader>
  try {
    header = decodeProtectedHeader(idToken)
  } catch {
    throw new LtiLaunchRejected('INVALID_JWT', 'not a JWS')
  }
  if (idToken.split('.').length !== 3) throw new LtiLaunchRejected('INVALID_JWT', 'not a compact JWS')
  if (header.alg !== 'RS256') throw new LtiLaunchRejected('BAD_ALGORITHM', String(header.alg))
  if (!header.kid) throw new LtiLaunchRejected('MISSING_KID')

  let payload: JWTPayload & Record<string, unknown>
  try {
    const result = await jwtVerify(idToken, expected.keySet, {
      algorithms: ['RS256'],
      issuer: expected.issuer,
      audience: expected.clientId,
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE_S,
      requiredClaims: ['iat', 'exp'],
      currentDate: expected.now,
    })
    payload = result.payload as typeof payload
  } catch (err) {
    throw fromJoseError(err)
  }

  // Several audiences: azp must name us (OIDC Core §3.1.3.7). A single audience may still carry azp.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp === undefined) throw new LtiLaunchRejected('BAD_AZP', 'missing')
  if (payload.azp !== undefined && payload.azp !== expected.clientId) throw new LtiLaunchRejected('BAD_AZP')

  if (typeof payload.sub !== 'string' || payload.sub.trim() === '') throw new LtiLaunchRejected('MISSING_SUB')
  if (typeof payload.nonce !== 'string' || !payload.nonce) throw new LtiLaunchRejected('MISSING_NONCE')
  if (payload.nonce !== expected.nonce) throw new LtiLaunchRejected('NONCE_MISMATCH')

  const version = payload[CLAIM.version]
  if (version === undefined) throw new LtiLaunchRejected('MISSING_VERSION')
  if (version !== '1.3.0') throw new LtiLaunchRejected('BAD_VERSION', String(version))

  const messageType = payload[CLAIM.messageType]
  if (messageType === undefined || messageType === '') throw new LtiLaunchRejected('MISSING_MESSAGE_TYPE')
  if (!MESSAGE_TYPES.includes(messageType as MessageType)) throw new LtiLaunchRejected('UNSUPPORTED_MESSAGE_TYPE', String(messageType))

  const deploymentId = payload[CLAIM.deploymentId]
  if (typeof deploymentId !== 'string' || !deploymentId) throw new LtiLaunchRejected('MISSING_DEPLOYMENT_ID')
  if (deploymentId.length > 255) throw new LtiLaunchRejected('BAD_CLAIM', 'deployment_id too long')

  const roles = payload[CLAIM.roles]
  if (!Array.isArray(roles)) throw new LtiLaunchRejected('MISSING_ROLES')
  if (!roles.every((r) => typeof r === 'string')) throw new LtiLaunchRejected('BAD_CLAIM', 'roles')

  const target = payload[CLAIM.targetLinkUri]
  if (typeof target !== 'string' || !target) throw new LtiLaunchRejected('MISSING_TARGET_LINK_URI')

  if (messageType === 'LtiResourceLinkRequest') {
    const link = payload[CLAIM.resourceLink] as { id?: unknown } | undefined
    if (!link || typeof link !== 'object' || (typeof link.id !== 'string' && typeof link.id !== 'number') || link.id === '')
      throw new LtiLaunchRejected('MISSING_RESOURCE_LINK')
  } else {
    const settings = payload[CLAIM.deepLinkingSettings] as { deep_link_return_url?: unknown } | undefined
    if (!settings || typeof settings.deep_link_return_url !== 'string') throw new LtiLaunchRejected('MISSING_DEEP_LINKING_SETTINGS')
  }

  return { payload, sub: payload.sub, messageType: messageType as MessageType, deploymentId, roles: roles as string[] }
}

function fromJoseError(err: unknown): LtiLaunchRejected {
  if (err instanceof LtiLaunchRejected) return err
  const reason = ((): LaunchRejectionReason => {
    if (err instanceof joseErrors.JWKSNoMatchingKey) return 'UNKNOWN_KID'
    if (err instanceof joseErrors.JWKSMultipleMatchingKeys) return 'UNKNOWN_KID'
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'BAD_SIGNATURE'
    if (err instanceof joseErrors.JWTExpired) return 'TOKEN_EXPIRED'
    if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'BAD_ALGORITHM'
    if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid) return 'PLATFORM_KEYS_UNAVAILABLE'
    if (err instanceof joseErrors.JWTClaimValidationFailed) {
      if (err.claim === 'iss') return 'BAD_ISSUER'
      if (err.claim === 'aud') return 'BAD_AUDIENCE'
      if (err.claim === 'iat' || err.claim === 'exp' || err.claim === 'nbf') return 'BAD_TIMESTAMPS'
      if (err.claim === 'sub') return 'MISSING_SUB'
      return 'BAD_CLAIM'
    }
    if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid) return 'INVALID_JWT'
    // fetch failures of the platform JWKS (network, HTTP error)
    if (err instanceof joseErrors.JOSEError && /fetch|response/i.test(err.message)) return 'PLATFORM_KEYS_UNAVAILABLE'
    if (err instanceof TypeError || (err as { name?: string })?.name === 'AbortError') return 'PLATFORM_KEYS_UNAVAILABLE'
    return 'INVALID_JWT'
  })()
  const e = err as { code?: string; message?: string; claim?: string }
  return new LtiLaunchRejected(reason, [e.code, e.claim].filter(Boolean).join(' ') || undefined)
}
