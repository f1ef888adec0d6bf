/**
 * Verifying what the tool signs (deep-linking responses, client assertions) with the tool's published keyset.
 * Moodle caches the tool keyset and reloads it when verification fails (`lti_verify_with_keyset`); jose's remote
 * set refetches on an unknown kid, which gives the same effect.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import type { Tool } from './types'

const keysets = new Map<string, JWTVerifyGetKey>()

function keysetOf(tool: Tool): JWTVerifyGetKey {
  let set = keysets.get(tool.jwksUrl)
  if (!set) {
    set = createRemoteJWKSet(new URL(tool.jwksUrl), { cooldownDuration: 0, timeoutDuration: 5000 })
    keysets.set(tool.jwksUrl, set)
  }
  return set
}

export async function verifyToolJwt(
  tool: Tool,
  jwt: string,
  expected: { issuer?: string; audience?: string | string[]; subject?: string },
): Promise<JWTPayload> {
  const { payload } = await jwtVerify(jwt, keysetOf(tool), {
    algorithms: ['RS256', 'RS384', 'RS512'],
    issuer: expected.issuer,
    audience: expected.audience,
    subject: expected.subject,
    clockTolerance: 60,
  })
  return payload
}
