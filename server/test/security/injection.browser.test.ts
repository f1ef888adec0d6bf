/**
 * Injection on the real app: script injections in Markdown landing texts and in names render inert in
 * Chromium (learner landing page, Orga pages: no script runs, no raw HTML element appears); CSV formula
 * injection neutralised in the campaign export; SQL and LIKE metacharacters in search filters match
 * literally; request size limits answer 413.
 */
import { existsSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { CLIENT_DIST } from '../../src/http/client-assets'
import { describeBrowser, launchBrowser } from '../browser'
import { insertLearner, insertParticipation, insertUser } from '../factories'
import { client, createWorld, type Client, type World } from './world'

const PWN = 'window.__pwned=1'
const HOSTILE_MARKDOWN = [
  '# Bienvenue SECUMARK',
  `<script>${PWN}</script>`,
  `<img src="x" onerror="${PWN}">`,
  `<iframe src="javascript:${PWN}"></iframe>`,
  `[lien](javascript:${PWN})`,
  `<a href="javascript:${PWN}">html</a>`,
  `<svg onload="${PWN}"></svg>`,
  `<style>body{display:none}</style>`,
].join('\n\n')
const HOSTILE_NAME = `<img src=x onerror="${PWN}">SECUNAME`

let w: World
let alice: Client

beforeAll(async () => {
  w = await createWorld({ clientDistDir: existsSync(CLIENT_DIST) ? CLIENT_DIST : undefined })
  alice = await client(w.url).signIn(w.a.adminEmail)
}, 120_000)
afterAll(async () => {
  await w?.close()
})

/** Nothing injected ran and no element of the injected HTML exists in the page. */
async function expectInert(page: Page, label: string) {
  // A string expression: the server's tsconfig has no DOM types.
  const found = (await page.evaluate(`({
    pwned: window.__pwned ?? null,
    injected: [...document.querySelectorAll('img[src="x"], iframe, svg[onload], [onerror], [onload], a[href^="javascript:" i], style, script:not([src])')].map((e) => e.outerHTML.slice(0, 80)),
  })`)) as { pwned: number | null; injected: string[] }
  expect([label, found]).toEqual([label, { pwned: null, injected: [] }])
}

describeBrowser('script injections render inert in Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  beforeAll(async () => {
    if (!existsSync(CLIENT_DIST)) throw new Error('dist/client is missing: run `npm run build` (npm test does it first)')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })
  jest.setTimeout(120_000)

  it('the learner landing page shows hostile Markdown and names as text', async () => {
    const { code } = w.lea
    await w.db.pool.query(`UPDATE campaigns SET custom_landing_page_text = $1, title = $2, name = $2 WHERE code = $3`, [HOSTILE_MARKDOWN, HOSTILE_NAME, code])
    // A learner who has not started yet gets the landing page (Léa would resume her test).
    const r = await w.rig.emu.launch({ userId: w.rig.emu.users.noName.id, resourceLinkId: w.rig.emu.demoActivityId })
    const page = await browser.context.newPage()
    const dialogs: string[] = []
    page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()))
    await page.goto(new URL(r.launchResponse.headers.get('location')!, w.url).toString())
    await page.getByText('Bienvenue SECUMARK').first().waitFor({ timeout: 20_000 })
    await page.getByText('SECUNAME').first().waitFor()
    await expectInert(page, 'landing')
    // Clicking the javascript: link must not run it either (it is not rendered as such).
    const link = page.getByText('lien', { exact: true })
    if (await link.count()) await link.first().click({ timeout: 2000 }).catch(() => undefined)
    await expectInert(page, 'landing after click')
    expect(dialogs).toEqual([])
    await page.close()
  })

  it('the Orga pages show hostile campaign texts, campaign names and learner names as text', async () => {
    await w.db.pool.query(`UPDATE campaigns SET custom_landing_page_text = $1, title = $2, name = $2 WHERE id = $3`, [HOSTILE_MARKDOWN, HOSTILE_NAME, w.a.campaignId])
    await w.db.pool.query(`UPDATE organization_learners SET first_name = $1, last_name = $1, "group" = $1 WHERE id = $2`, [HOSTILE_NAME, w.a.learnerId])
    await w.db.pool.query(`UPDATE users SET first_name = $1 WHERE id = $2`, [HOSTILE_NAME, w.a.memberId])
    await browser.context.addCookies([{ name: 'jalon_orga', value: alice.cookie.split('=')[1]!, url: w.url }])
    const page = await browser.context.newPage()
    for (const path of ['/orga/campagnes', `/orga/campagnes/${w.a.campaignId}`, `/orga/campagnes/${w.a.campaignId}/parametres`, `/orga/campagnes/${w.a.campaignId}/participants/${w.a.participationId}`, '/orga/etudiants', '/orga/equipe']) {
      await page.goto(`${w.url}${path}`)
      await page.waitForLoadState('networkidle')
      await expectInert(page, path)
    }
    // The learners page did render the hostile name, as text.
    await page.goto(`${w.url}/orga/etudiants`)
    // Polled with evaluate: waitForFunction evals a string, which the page's CSP (rightly) forbids.
    const deadline = Date.now() + 20_000
    while (!(await page.evaluate(`(document.body.textContent ?? '').includes('SECUNAME')`)) && Date.now() < deadline) await page.waitForTimeout(200)
    expect(await page.evaluate(`(document.body.textContent ?? '').includes('SECUNAME')`)).toBe(true)
    await expectInert(page, 'learners with names')
    await page.close()
  })
})

describe('CSV export', () => {
  it('neutralises cells starting with = + - @ tab or carriage return, in names, groups and external ids', async () => {
    const starters = ['=HYPERLINK("http://evil.test","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1']
    for (const [i, s] of starters.entries()) {
      const user = await insertUser(w.db.db, { firstName: s, lastName: s })
      const learner = await insertLearner(w.db.db, { organizationId: w.a.orgId, userId: user.id, firstName: s, lastName: s, group: s, studentNumber: `CSV-${i}` })
      await insertParticipation(
        w.db.db,
        { campaignId: w.a.campaignId, userId: user.id, organizationLearnerId: learner.id, participantExternalId: s, status: 'SHARED', sharedAt: new Date(), masteryRate: 0.5 },
        { assessmentState: 'completed', snapshot: [] },
      )
    }
    const res = await alice.call('GET', `/api/orga/campaigns/${w.a.campaignId}/export.csv`)
    expect(res.status).toBe(200)
    const rows = parse((await res.text()).replace(/^\uFEFF/, ''), { delimiter: ';', relax_column_count: true }) as string[][]
    const dangerous = rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))
    expect(dangerous).toEqual([])
    for (const s of starters) expect(rows.flat()).toContain(`'${s}`)
  })
})

describe('SQL and LIKE metacharacters in search filters', () => {
  const metas = ['%', '_', "'", '\\', "' OR '1'='1", "%' OR 1=1 --", '"; DROP TABLE campaigns; --', '\u0000']
  const searches = () => [
    (q: string) => `/api/orga/campaigns?scope=all&name=${encodeURIComponent(q)}`,
    (q: string) => `/api/orga/learners?search=${encodeURIComponent(q)}`,
    (q: string) => `/api/orga/campaigns/${w.a.campaignId}/activity/participants?search=${encodeURIComponent(q)}`,
    (q: string) => `/api/orga/campaigns/${w.a.campaignId}/results/participants?search=${encodeURIComponent(q)}`,
  ]

  it('match literally (a row is found only if it contains the text), never an error', async () => {
    const failures: string[] = []
    const contains = (item: Record<string, unknown>, q: string) =>
      [item.name, item.firstName, item.lastName, item.participantExternalId, `${item.lastName} ${item.firstName}`, `${item.firstName} ${item.lastName}`].some(
        (v) => typeof v === 'string' && v.toLowerCase().includes(q.toLowerCase()),
      )
    for (const url of searches()) {
      // Control: an empty search lists something, so an empty answer below means "filtered".
      const all = (await (await alice.call('GET', url(''))).json()) as Record<string, Record<string, unknown>[]>
      const items = (b: Record<string, Record<string, unknown>[]>) => b.campaigns ?? b.learners ?? b.participants ?? []
      expect([url(''), items(all).length > 0]).toEqual([url(''), true])
      for (const q of metas) {
        const res = await alice.call('GET', url(q))
        if (res.status !== 200 && res.status !== 400) failures.push(`${url(q)} → ${res.status}`)
        if (res.status !== 200) continue
        const found = items((await res.json()) as Record<string, Record<string, unknown>[]>)
        if (found.some((item) => !contains(item, q))) failures.push(`${url(q)} matched ${found.length} rows that do not contain it`)
      }
    }
    expect(failures).toEqual([])
    expect((await w.db.pool.query(`SELECT count(*)::int AS n FROM campaigns`)).rows[0].n).toBeGreaterThan(0)
  })

  it('a NUL character anywhere (query, JSON, CSV import) is a 400, not a database error', async () => {
    expect((await alice.call('GET', '/api/orga/learners?search=a%00b')).status).toBe(400)
    expect((await alice.call('PATCH', `/api/orga/campaigns/${w.a.campaignId}`, { name: 'a\u0000b' })).status).toBe(400)
    expect((await alice.call('POST', '/api/orga/auth/sign-in', { email: 'x\u0000@y.test', password: 'p' })).status).toBe(400)
    const csv = await alice.call('POST', '/api/orga/learners/import', 'Nom;Prénom;Date de naissance;Numéro étudiant;Groupe\nA\u0000;B;2000-01-01;NUL-1;G\n', { 'content-type': 'text/csv' })
    expect(csv.status).toBeLessThan(500)
  })
})

describe('request size limits', () => {
  it('answers 413 with the error shape past 100 kB of JSON or form, and past 5 MB of CSV import', async () => {
    const bigJson = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(120_000) })
    const json = await client(w.url).call('POST', '/api/orga/auth/sign-in', bigJson)
    expect(json.status).toBe(413)
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE')
    const form = await fetch(`${w.url}/lti/launch`, { method: 'POST', body: new URLSearchParams({ id_token: 'x'.repeat(120_000), state: 's' }) })
    expect(form.status).toBe(413)
    const csv = await alice.call('POST', '/api/orga/learners/import', 'a;b\n'.repeat(1_400_000), { 'content-type': 'text/csv' })
    expect(csv.status).toBe(413)
    expect(((await csv.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE')
  })
})
