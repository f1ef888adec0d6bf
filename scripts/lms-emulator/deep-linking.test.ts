import { CLAIM } from './claims'
import { startRig, type Rig } from './test-helpers'

describe('LMS emulator: Deep Linking 2.0 like Moodle (request, return checks, activity and column)', () => {
  let rig: Rig
  beforeAll(async () => {
    rig = await startRig({ deepLinkingData: true })
  })
  afterAll(() => rig.close())

  async function dlRequest(): Promise<Record<string, unknown>> {
    const r = await rig.emu.launch({ userId: rig.emu.users.teacher.id, deepLinking: true })
    expect(r.launchResponse.status).toBe(200)
    return r.claims ?? {}
  }

  const item = {
    type: 'ltiResourceLink',
    title: 'Campagne L1 — rentrée',
    text: 'Positionnement Pix',
    custom: { campaign: 'CAMP-42', student_id: '$Person.sourcedId' },
    lineItem: { scoreMaximum: 50, label: 'Campagne L1', resourceId: 'CAMP-42', tag: 'jalon' },
  }

  async function postReturn(claims: Record<string, unknown>, jwt: string): Promise<{ status: number; body: string }> {
    const url = String((claims[CLAIM.dlSettings] as Record<string, unknown>).deep_link_return_url)
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ JWT: jwt }).toString() })
    return { status: res.status, body: await res.text() }
  }

  test('the request: Moodle’s deep_linking_settings, no resource link, AGS claim without lineitem', async () => {
    const c = await dlRequest()
    expect(c[CLAIM.messageType]).toBe('LtiDeepLinkingRequest')
    expect(c[CLAIM.resourceLink]).toBeUndefined()
    expect(c[CLAIM.launchPresentation]).toEqual({ locale: 'fr' })
    expect((c[CLAIM.ags] as Record<string, unknown>).lineitem).toBeUndefined()
    const s = c[CLAIM.dlSettings] as Record<string, unknown>
    expect(s).toMatchObject({
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['frame', 'iframe', 'window'],
      accept_multiple: true,
      accept_unsigned: false,
      auto_create: false,
      can_confirm: false,
      title: 'Jalon (test)',
      data: expect.stringMatching(/^dl-/),
    })
    expect(String(s.deep_link_return_url)).toMatch(new RegExp(`^${rig.emu.url}/mod/lti/contentitem_return.php\\?course=2&id=${rig.details.typeId}&sesskey=\\w{10}$`))
  })

  test('a signed response creates the activity and its gradebook column; a learner launch then gets both', async () => {
    const { emu, tool } = rig
    const c = await dlRequest()
    const res = await postReturn(c, await tool.deepLinkingResponse(c, [item], { [CLAIM.dlMsg]: 'Campagne ajoutée' }))
    expect(res.status).toBe(200)
    expect(res.body).toContain('Activité ajoutée')
    expect(res.body).toContain('Campagne ajoutée')
    const activity = emu.activities().find((a) => a.name === item.title)
    expect(activity).toBeDefined()
    const column = emu.lineItems().find((li) => li.activityId === activity?.id)
    expect(column).toMatchObject({ scoreMaximum: 50, label: item.title, resourceId: 'CAMP-42', tag: 'jalon' })
    const launch = await emu.launch({ userId: emu.users.lea.id, resourceLinkId: activity?.id ?? '' })
    expect(launch.claims?.[CLAIM.custom]).toEqual({ campaign: 'CAMP-42', student_id: '22400117' })
    expect((launch.claims?.[CLAIM.ags] as Record<string, unknown>).lineitem).toBe(column?.url)
    expect(launch.claims?.[CLAIM.resourceLink]).toEqual({ title: item.title, description: item.text, id: activity?.id })
  })

  test('several items make several activities; an item without lineItem gets no column (accept grades: delegate)', async () => {
    const { emu, tool } = rig
    const c = await dlRequest()
    const plain = { type: 'ltiResourceLink', title: 'Sans note' }
    const res = await postReturn(c, await tool.deepLinkingResponse(c, [plain, { ...item, title: 'Deuxième' }]))
    expect(res.body).toContain('Activités ajoutées')
    const a = emu.activities().find((x) => x.name === 'Sans note')
    expect(emu.lineItems().filter((li) => li.activityId === a?.id)).toHaveLength(0)
  })

  test('return checks: signature with the tool keyset, iss = client id, aud = issuer, deployment, nonce, data echoed, sesskey single use', async () => {
    const { emu, tool, details } = rig
    const cases: Array<[string, (c: Record<string, unknown>) => Promise<string>]> = [
      ['other key', async (c) => tool.sign(await payloadOf(c), { key: 'other' })],
      ['wrong iss', async (c) => tool.sign({ ...(await payloadOf(c)), iss: 'someone' })],
      ['wrong aud', async (c) => tool.sign({ ...(await payloadOf(c)), aud: 'https://other.example' })],
      ['wrong deployment', async (c) => tool.sign({ ...(await payloadOf(c)), [CLAIM.deploymentId]: '999' })],
      ['no nonce', async (c) => tool.sign({ ...(await payloadOf(c)), nonce: undefined })],
      ['data not echoed', async (c) => tool.sign({ ...(await payloadOf(c)), [CLAIM.dlData]: 'changed' })],
      ['wrong message type', async (c) => tool.sign({ ...(await payloadOf(c)), [CLAIM.messageType]: 'LtiResourceLinkRequest' })],
    ]
    async function payloadOf(c: Record<string, unknown>): Promise<Record<string, unknown>> {
      const now = Math.floor(Date.now() / 1000)
      return {
        iss: details.clientId,
        aud: emu.issuer,
        iat: now,
        exp: now + 300,
        nonce: 'n',
        [CLAIM.deploymentId]: details.deploymentId,
        [CLAIM.messageType]: 'LtiDeepLinkingResponse',
        [CLAIM.version]: '1.3.0',
        [CLAIM.dlContentItems]: [item],
        [CLAIM.dlData]: (c[CLAIM.dlSettings] as Record<string, unknown>).data,
      }
    }
    const count = emu.activities().length
    for (const [name, make] of cases) {
      const c = await dlRequest()
      const res = await postReturn(c, await make(c))
      expect({ name, status: res.status }).toEqual({ name, status: 400 })
    }
    expect(emu.activities()).toHaveLength(count)
    const c = await dlRequest()
    const jwt = await tool.deepLinkingResponse(c, [item])
    expect((await postReturn(c, jwt)).status).toBe(200)
    expect((await postReturn(c, jwt)).status).toBe(400)
  })

  test('learners cannot start deep linking', () => {
    expect(() => rig.emu.buildLoginInitiation({ userId: rig.emu.users.lea.id, deepLinking: true })).toThrow(/enseignants/)
  })
})
