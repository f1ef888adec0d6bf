import { decodeProtectedHeader } from 'jose'
import { CLAIM, ROLE } from './claims'
import { startRig, type Rig } from './test-helpers'

describe('LMS emulator: OIDC login and id_token like Moodle 4.5', () => {
  let rig: Rig
  beforeAll(async () => {
    rig = await startRig({}, { customParameters: 'student_id=$Person.sourcedId\nuid=$User.idnumber\nctx=$Context.id\ncampaignCode=ABC-123\nmail=$Person.email.primary' })
  })
  afterAll(() => rig.close())

  test('a learner launch carries Moodle’s claims, a 60 s lifetime and is accepted by the tool', async () => {
    const { emu, tool, details } = rig
    const r = await emu.launch({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId })
    expect(r.launchResponse.status).toBe(200)
    expect(tool.launches.at(-1)?.stateMatches).toBe(true)
    const c = r.claims as Record<string, unknown>
    expect(decodeProtectedHeader(r.idToken ?? '')).toEqual({ typ: 'JWT', alg: 'RS256', kid: emu.kid() })
    expect(c.iss).toBe(emu.url)
    expect(c.aud).toBe(details.clientId)
    expect(c.azp).toBeUndefined()
    expect((c.exp as number) - (c.iat as number)).toBe(60)
    expect(c.sub).toBe('4')
    expect(c[CLAIM.deploymentId]).toBe(details.deploymentId)
    expect(details.deploymentId).toMatch(/^\d+$/)
    expect(c[CLAIM.version]).toBe('1.3.0')
    expect(c[CLAIM.messageType]).toBe('LtiResourceLinkRequest')
    expect(c[CLAIM.targetLinkUri]).toBe(tool.launchUrl)
    expect(c[CLAIM.roles]).toEqual([ROLE.learner])
    expect(c[CLAIM.context]).toEqual({ id: '2', label: 'CN-L1', title: 'Compétences numériques — L1', type: ['CourseSection'] })
    expect(c[CLAIM.resourceLink]).toMatchObject({ id: emu.demoActivityId, title: 'Positionnement numérique (Jalon)' })
    expect(c[CLAIM.lis]).toEqual({ person_sourcedid: '22400117', course_section_sourcedid: 'CN-L1-2026' })
    expect(c[CLAIM.launchPresentation]).toMatchObject({ locale: 'fr', document_target: 'iframe' })
    expect(String((c[CLAIM.launchPresentation] as Record<string, string>).return_url)).toContain(`${emu.url}/mod/lti/return.php?course=2&launch_container=3`)
    expect(c[CLAIM.toolPlatform]).toMatchObject({ product_family_code: 'moodle', version: '2024100706' })
    expect(c).toMatchObject({ given_name: 'Léa', family_name: 'Dubois', name: 'Léa Dubois', email: 'lea.dubois@etu.univ-demo.example' })
    expect(c[CLAIM.ext]).toEqual({ user_username: 'lea.dubois', lms: 'moodle-2' })
    const ags = c[CLAIM.ags] as Record<string, unknown>
    expect(ags.lineitems).toBe(`${emu.url}/mod/lti/services.php/2/lineitems?type_id=${details.typeId}`)
    expect(ags.lineitem).toMatch(new RegExp(`/mod/lti/services.php/2/lineitems/\\d+/lineitem\\?type_id=${details.typeId}$`))
    expect(ags.scope).toHaveLength(4)
    expect(c[CLAIM.nrps]).toEqual({
      context_memberships_url: `${emu.url}/mod/lti/services.php/CourseSection/2/bindings/${details.typeId}/memberships`,
      service_versions: ['1.0', '2.0'],
    })
  })

  test('custom parameters: Moodle substitutions, unknown variables literal, keys lowercased (original kept too)', async () => {
    const r = await rig.emu.launch({ userId: rig.emu.users.noEmail.id, resourceLinkId: rig.emu.demoActivityId })
    expect(r.claims?.[CLAIM.custom]).toEqual({
      student_id: '22400118',
      uid: '$User.idnumber',
      ctx: '2',
      campaigncode: 'ABC-123',
      campaignCode: 'ABC-123',
      mail: '',
    })
    expect(r.claims?.email).toBeUndefined()
  })

  test('login initiation as Moodle posts it; GET works too; platform storage target only when enabled', async () => {
    const { emu, tool, details } = rig
    await emu.launch({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId, initiationMethod: 'GET' })
    const login = tool.logins.at(-1) ?? {}
    expect(login).toEqual({
      iss: emu.url,
      target_link_uri: tool.launchUrl,
      login_hint: '4',
      lti_message_hint: expect.stringMatching(/^\{"cmid":\d+,"launchid":"ltilaunch\d+_\d+"\}$/),
      client_id: details.clientId,
      lti_deployment_id: details.deploymentId,
    })
    emu.settings.platformStorage = true
    const init = emu.buildLoginInitiation({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId })
    emu.settings.platformStorage = false
    expect(init.params.lti_storage_target).toBe('_parent')
    expect(init.method).toBe('POST')
  })

  test('roles: teacher = Instructor; admin = the three roles Moodle sends; user without names gets no name claims', async () => {
    const { emu } = rig
    const teacher = emu.buildIdTokenClaims({ userId: emu.users.teacher.id, resourceLinkId: emu.demoActivityId })
    expect(teacher[CLAIM.roles]).toEqual([ROLE.instructor])
    const admin = emu.buildIdTokenClaims({ userId: emu.users.admin.id, resourceLinkId: emu.demoActivityId })
    expect(admin[CLAIM.roles]).toEqual([ROLE.institutionAdmin, ROLE.instructor, ROLE.systemAdmin])
    expect(admin[CLAIM.lis]).toEqual({ person_sourcedid: '', course_section_sourcedid: 'CN-L1-2026' })
    const anon = emu.buildIdTokenClaims({ userId: emu.users.noName.id, resourceLinkId: emu.demoActivityId })
    expect(anon.name).toBeUndefined()
    expect(anon.given_name).toBeUndefined()
    expect(anon.email).toBe('etu22400119@etu.univ-demo.example')
  })

  test('auth.php checks as Moodle: single-use hint, redirect URI, client id, login hint, response_mode, prompt, nonce', async () => {
    const { emu, tool, details } = rig
    const auth = async (change: Record<string, string | undefined>): Promise<{ status: number; body: string }> => {
      const init = emu.buildLoginInitiation({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId })
      const q: Record<string, string | undefined> = {
        scope: 'openid',
        response_type: 'id_token',
        response_mode: 'form_post',
        prompt: 'none',
        client_id: details.clientId,
        redirect_uri: tool.launchUrl,
        login_hint: init.params.login_hint,
        lti_message_hint: init.params.lti_message_hint,
        state: 'st',
        nonce: 'n1',
        ...change,
      }
      const u = new URL(details.authLoginUrl)
      for (const [k, v] of Object.entries(q)) if (v !== undefined) u.searchParams.set(k, v)
      const res = await fetch(u)
      return { status: res.status, body: await res.text() }
    }
    const ok = await auth({})
    expect(ok.status).toBe(200)
    expect(ok.body).toContain('name="id_token"')
    expect(ok.body).toContain('data-autosubmit="true"')
    expect(ok.body).not.toMatch(/<script>(?!<)/)
    expect((await auth({ redirect_uri: `${tool.url}/elsewhere` })).status).toBe(400)
    expect((await auth({ client_id: 'someone-else' })).body).toContain('value="unauthorized_client"')
    expect((await auth({ login_hint: '3' })).body).toContain('value="access_denied"')
    expect((await auth({ response_mode: 'query' })).body).toContain('Invalid response_mode')
    expect((await auth({ prompt: 'login' })).body).toContain('Invalid prompt')
    expect((await auth({ nonce: undefined })).body).toContain('value="invalid_request"')
    expect((await auth({ scope: 'profile' })).body).toContain('value="invalid_scope"')
    // The hint is consumed: replaying it gives Moodle's error page.
    const init = emu.buildLoginInitiation({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId })
    const replay = { lti_message_hint: init.params.lti_message_hint }
    expect((await auth(replay)).status).toBe(200)
    expect((await auth(replay)).status).toBe(400)
  })

  test('forged tokens for the tool’s negative tests: alg none, HS256 with the public key, foreign key, no kid', async () => {
    const { emu } = rig
    const claims = emu.buildIdTokenClaims({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId, nonce: 'n' })
    const none = await emu.signIdToken(claims, { alg: 'none' })
    expect(none.endsWith('.')).toBe(true)
    expect(decodeProtectedHeader(none).alg).toBe('none')
    expect(decodeProtectedHeader(await emu.signIdToken(claims, { alg: 'HS256-public-key' })).alg).toBe('HS256')
    expect(decodeProtectedHeader(await emu.signIdToken(claims, { kid: null })).kid).toBeUndefined()
    const foreign = await emu.launch({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId, sign: { foreignKey: true } })
    expect(foreign.launchResponse.status).toBe(401)
    const expired = await emu.launch({
      userId: emu.users.lea.id,
      resourceLinkId: emu.demoActivityId,
      tamper: (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 540 }),
    })
    expect(expired.launchResponse.status).toBe(401)
  })

  test('key rotation publishes a new kid; the tool refetches the keyset and keeps accepting launches', async () => {
    const { emu } = rig
    const before = emu.kid()
    const kid = await emu.rotateKey()
    expect(kid).not.toBe(before)
    const jwks = (await (await fetch(`${emu.url}/mod/lti/certs.php`)).json()) as { keys: Array<{ kid: string }> }
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid])
    const r = await emu.launch({ userId: emu.users.lea.id, resourceLinkId: emu.demoActivityId })
    expect(r.launchResponse.status).toBe(200)
    const kid2 = await emu.rotateKey({ keepOld: true })
    expect(emu.jwks().keys.map((k) => k.kid)).toEqual([kid, kid2])
  })

  test('a pending (dynamically registered, not activated) tool does not launch', async () => {
    const { emu, tool } = rig
    const other = emu.registerTool({ initiateLoginUrl: tool.loginUrl, targetLinkUri: tool.launchUrl, jwksUrl: tool.jwksUrl })
    const link = emu.createResourceLink({ name: 'Autre', toolClientId: other.clientId })
    emu.state.tools.get(other.typeId)!.state = 'pending'
    expect(() => emu.buildLoginInitiation({ userId: emu.users.lea.id, resourceLinkId: link.id })).toThrow(/attente/)
    const res = await fetch(emu.launchUrl(emu.users.lea.id, link.id))
    expect(res.status).toBe(400)
  })
})
