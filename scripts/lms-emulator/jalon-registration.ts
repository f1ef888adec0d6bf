/**
 * Both halves of a manual LTI registration between this emulator and a Jalon at `jalonUrl`, as an LMS
 * administrator and a Jalon administrator would do them: the tool registered in the LMS (Jalon's
 * login, launch, keys and deep-linking URLs, names and e-mails sent, grades and roster on), and the
 * platform details to register in Jalon. Shared by the demo, the LTI test rig and the load bench.
 */
import type { PlatformRegistration } from '../../server/src/lti'
import type { LmsEmulator, PlatformDetails, RegisterToolInput } from './index'

export function registerJalonTool(emu: LmsEmulator, jalonUrl: string, overrides: Partial<RegisterToolInput> = {}): PlatformDetails {
  return emu.registerTool({
    name: 'Jalon',
    initiateLoginUrl: `${jalonUrl}/lti/login`,
    targetLinkUri: `${jalonUrl}/lti/launch`,
    jwksUrl: `${jalonUrl}/.well-known/jwks.json`,
    deepLinkingUrl: `${jalonUrl}/lti/launch`,
    sendName: true,
    sendEmail: true,
    gradeSync: 'sync-and-columns',
    nrps: true,
    ...overrides,
  })
}

/** What Jalon's registerPlatform needs about this LMS, bound to an existing organization or a new one. */
export function jalonPlatformRegistration(
  details: PlatformDetails,
  organization: { organizationId: string } | { organizationName: string },
  name = 'Moodle (émulateur)',
): PlatformRegistration {
  return {
    name,
    issuer: details.issuer,
    clientId: details.clientId,
    authLoginUrl: details.authLoginUrl,
    authTokenUrl: details.accessTokenUrl,
    jwksUrl: details.keysetUrl,
    deploymentIds: [details.deploymentId],
    ...organization,
  }
}
