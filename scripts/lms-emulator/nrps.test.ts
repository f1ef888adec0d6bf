import { MEDIA, SCOPE } from './claims'
import { startRig, type Rig } from './test-helpers'

describe('LMS emulator: NRPS like Moodle’s memberships service', () => {
  let rig: Rig
  let token: string
  let url: string
  beforeAll(async () => {
    rig = await startRig({ nrpsPageSize: 2 }, { sendEmail: false })
    token = String((await rig.tool.accessToken([SCOPE.nrps])).body.access_token)
    url = rig.emu.state.membershipsUrl(rig.details.typeId)
  })
  afterAll(() => rig.close())

  const get = (u: string): Promise<Response> =>
    fetch(u, { headers: { authorization: `Bearer ${token}`, accept: MEDIA.membershipContainer } })

  test('pages with Link rel="next" until every enrolled member is listed (site admin not enrolled)', async () => {
    const members: Array<Record<string, unknown>> = []
    let next: string | undefined = url
    let pages = 0
    while (next) {
      const res = await get(next)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain(MEDIA.membershipContainer)
      const body = (await res.json()) as { id: string; context: unknown; members: Array<Record<string, unknown>> }
      expect(body.id).toBe(url)
      expect(body.context).toEqual({ id: '2', label: 'CN-L1', title: 'Compétences numériques — L1' })
      members.push(...body.members)
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
      pages++
    }
    expect(pages).toBe(3)
    expect(members.map((m) => m.user_id)).toEqual(['3', '4', '5', '6', '7'])
    expect(members[0]).toEqual({
      status: 'Active',
      roles: ['Instructor'],
      user_id: '3',
      lis_person_sourcedid: 'ENS-2024-017',
      name: 'Claire Martin',
      given_name: 'Claire',
      family_name: 'Martin',
      ext_user_username: 'claire.martin',
    })
    expect(members[1]?.roles).toEqual(['Learner'])
    // Privacy: e-mail not shared by this tool; the user without names has none.
    expect(members.some((m) => 'email' in m)).toBe(false)
    expect(members.find((m) => m.user_id === '6')).toEqual({ status: 'Active', roles: ['Learner'], user_id: '6', lis_person_sourcedid: '22400119', ext_user_username: 'etu22400119' })
  })

  test('role filter (short or full URI) and 401 without a token', async () => {
    rig.emu.settings.nrpsPageSize = undefined
    const learners = (await (await get(`${url}?role=${encodeURIComponent('http://purl.imsglobal.org/vocab/lis/v2/membership#Learner')}`)).json()) as { members: unknown[] }
    expect(learners.members).toHaveLength(4)
    const teachers = (await (await get(`${url}?role=Instructor`)).json()) as { members: unknown[] }
    expect(teachers.members).toHaveLength(1)
    const limited = await get(`${url}?limit=4`)
    expect(limited.headers.get('link')).toBe(`<${url}?limit=4&from=4>; rel="next"`)
    expect((await fetch(url)).status).toBe(401)
  })
})
