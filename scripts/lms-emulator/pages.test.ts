import { startRig, type Rig } from './test-helpers'

describe('LMS emulator: demo pages', () => {
  let rig: Rig
  beforeAll(async () => {
    rig = await startRig()
  })
  afterAll(() => rig.close())

  const as = (userId?: string): Record<string, string> => (userId ? { cookie: `MoodleSessionDemo=${userId}` } : {})

  test('course page: French, user switcher, activities, no inline script, CSP', async () => {
    const res = await fetch(`${rig.emu.url}/`, { headers: as(rig.emu.users.teacher.id) })
    const html = await res.text()
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(html).toContain('<html lang="fr">')
    expect(html).toContain('Compétences numériques — L1')
    expect(html).toContain('Se connecter en tant que')
    expect(html).toContain('Léa (étudiante)')
    expect(html).toContain('Claire (enseignante)')
    expect(html).toContain('Ajouter une activité Jalon')
    expect(html).toContain('name="viewport"')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })

  test('user switcher sets the emulator’s cookie and comes back', async () => {
    const body = new URLSearchParams({ user: rig.emu.users.lea.id, return: '/grade/report' })
    const res = await fetch(`${rig.emu.url}/login/switch`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/grade/report')
    expect(res.headers.get('set-cookie')).toMatch(/^MoodleSessionDemo=4; Path=\/; HttpOnly; SameSite=Lax/)
  })

  test('activity page embeds the launch in an iframe; launch.php auto-posts the login initiation', async () => {
    const { emu, tool } = rig
    const cmid = emu.activities()[0]?.cmid
    const view = await (await fetch(`${emu.url}/mod/lti/view.php?id=${cmid}`, { headers: as(emu.users.lea.id) })).text()
    expect(view).toMatch(/<iframe[^>]+title="Activité : [^"]+"[^>]+src="\/mod\/lti\/launch.php\?id=\d+&amp;triggerview=0"/)
    const launch = await (await fetch(emu.launchUrl(emu.users.lea.id, emu.demoActivityId))).text()
    expect(launch).toContain(`action="${tool.loginUrl}"`)
    expect(launch).toContain('name="lti_message_hint"')
    expect(launch).toContain('src="/lms-assets/autosubmit.js"')
    expect((await fetch(`${emu.url}/lms-assets/autosubmit.js`)).status).toBe(200)
  })

  test('every interpolated value is escaped', async () => {
    const { emu } = rig
    emu.createResourceLink({ name: '<script>alert(1)</script>', description: '"><img src=x onerror=alert(1)>' })
    const html = await (await fetch(`${emu.url}/`, { headers: as(emu.users.lea.id) })).text()
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('<img src=x')
  })

  test('admin page only for the admin; gradebook HTML and JSON', async () => {
    const { emu } = rig
    expect((await fetch(`${emu.url}/admin/tool`, { headers: as(emu.users.teacher.id) })).status).toBe(403)
    const admin = await (await fetch(`${emu.url}/admin/tool`, { headers: as(emu.users.admin.id) })).text()
    expect(admin).toContain('Ajouter LTI Advantage')
    expect(admin).toContain(rig.details.clientId)
    const report = await (await fetch(`${emu.url}/grade/report`)).text()
    expect(report).toContain('Carnet de notes')
    expect(report).toContain('Léa Dubois')
    const json = (await (await fetch(`${emu.url}/grade/report.json`)).json()) as { columns: unknown[]; learners: unknown[] }
    expect(json.learners).toHaveLength(4)
    expect(json.columns.length).toBeGreaterThan(0)
  })
})
