import { CLAIM, SCOPE } from './claims'
import { startFakeTool, type FakeTool } from './fake-tool'
import { startLmsEmulator, type LmsEmulator } from './index'

describe('LMS emulator: LTI Dynamic Registration like Moodle', () => {
  let emu: LmsEmulator
  let tool: FakeTool
  beforeAll(async () => {
    tool = await startFakeTool()
    emu = await startLmsEmulator({ toolUrl: tool.url })
  })
  afterAll(async () => {
    await emu.close()
    await tool.close()
  })

  const registration = (): Record<string, unknown> => ({
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: tool.loginUrl,
    redirect_uris: [tool.launchUrl],
    client_name: 'Jalon',
    jwks_uri: tool.jwksUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: [SCOPE.lineItem, SCOPE.lineItemReadonly, SCOPE.resultReadonly, SCOPE.score, SCOPE.nrps].join(' '),
    [CLAIM.toolConfiguration]: {
      domain: new URL(tool.url).host,
      target_link_uri: tool.launchUrl,
      description: 'Positionnement numérique',
      custom_parameters: { student_id: '$Person.sourcedId' },
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: `${tool.url}/dl`, label: 'Jalon' }],
    },
  })

  const register = (token: string | undefined, body: unknown): Promise<Response> =>
    fetch(emu.urls.registration, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })

  test('openid-configuration as Moodle 4.5 publishes it', async () => {
    const conf = (await (await fetch(emu.urls.openidConfiguration)).json()) as Record<string, unknown>
    expect(conf).toMatchObject({
      issuer: emu.issuer,
      token_endpoint: `${emu.url}/mod/lti/token.php`,
      jwks_uri: `${emu.url}/mod/lti/certs.php`,
      authorization_endpoint: `${emu.url}/mod/lti/auth.php`,
      registration_endpoint: `${emu.url}/mod/lti/openid-registration.php`,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    })
    expect(conf[CLAIM.platformConfiguration]).toMatchObject({ product_family_code: 'moodle', messages_supported: [{ type: 'LtiResourceLinkRequest' }, { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] }] })
  })

  test('the registration URL carries openid_configuration and a registration token; the POST answers like Moodle; the tool waits for activation', async () => {
    const start = await emu.startDynamicRegistration(`${tool.url}/register?lang=fr`)
    const u = new URL(start.url)
    expect(u.searchParams.get('lang')).toBe('fr')
    expect(u.searchParams.get('openid_configuration')).toBe(emu.urls.openidConfiguration)
    expect(u.searchParams.get('registration_token')).toBe(start.registrationToken)

    expect((await register(undefined, registration())).status).toBe(401)
    expect((await register('garbage', registration())).status).toBe(401)
    const bad = registration()
    delete bad.jwks_uri
    const refused = await register(start.registrationToken, bad)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('jwks_uri')

    const res = await register(start.registrationToken, registration())
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      client_id: start.clientId,
      response_types: ['id_token'],
      grant_types: ['client_credentials', 'implicit'],
      token_endpoint_auth_method: 'private_key_jwt',
      scope: [SCOPE.score, SCOPE.resultReadonly, SCOPE.lineItemReadonly, SCOPE.lineItem, SCOPE.nrps].join(' '),
    })
    const conf = body[CLAIM.toolConfiguration] as Record<string, unknown>
    expect(conf).toMatchObject({ version: '1.3.0', deployment_id: expect.stringMatching(/^\d+$/), messages: [{ type: 'LtiDeepLinkingRequest', target_link_uri: `${tool.url}/dl` }] })
    expect(conf.claims).toEqual(['sub', 'iss', 'name', 'family_name', 'given_name', 'email'])
    // Same token twice: refused.
    expect((await register(start.registrationToken, registration())).status).toBe(401)
    // Read back.
    const back = await fetch(emu.urls.registration, { headers: { authorization: `Bearer ${start.registrationToken}` } })
    expect(((await back.json()) as Record<string, unknown>).client_id).toBe(start.clientId)

    const registered = emu.tools().find((t) => t.clientId === start.clientId)
    expect(registered).toMatchObject({ state: 'pending', origin: 'dynamic', gradeSync: 'sync-and-columns', nrps: true, sendName: true, sendEmail: true, deepLinkingUrl: `${tool.url}/dl` })
    expect(() => emu.buildLoginInitiation({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId })).toThrow()
    emu.activateTool(start.clientId)
    tool.platform = { issuer: emu.issuer, clientId: start.clientId, deploymentId: String(conf.deployment_id), authUrl: emu.urls.auth, tokenUrl: emu.urls.token, jwksUrl: emu.urls.jwks }
    const launch = await emu.launch({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId })
    expect(launch.launchResponse.status).toBe(200)
    expect(launch.claims?.[CLAIM.custom]).toEqual({ student_id: '22400117' })
  })

  test('startltiadvregistration.php (the admin page’s iframe) needs an admin and redirects to the tool', async () => {
    const url = `${emu.url}/mod/lti/startltiadvregistration.php?url=${encodeURIComponent(`${tool.url}/register`)}`
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(403)
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: `MoodleSessionDemo=${emu.users.admin.id}` } })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(new RegExp(`^${tool.url}/register\\?openid_configuration=.+&registration_token=.+`))
  })
})
