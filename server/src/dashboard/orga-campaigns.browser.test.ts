/**
 * A teacher in Chromium: creates an assessment campaign with an external id, sees Activité,
 * Résultats, Analyse and a participant's detail for seeded participations, exports the CSV.
 * axe on every screen: no serious or critical violation.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { seriousViolations } from '../../test/axe'
import { describeBrowser, launchBrowser } from '../../test/browser'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertLearner, insertMember, insertOrganization, insertParticipation, insertUser, type SnapshotKe } from '../../test/factories'
import { listen, type TestServer } from '../../test/http'
import { testLogger } from '../../test/logger'
import { loadReferential } from '../content/load-referential'
import { createApp } from '../http/app'
import { createOrgaModule } from '../organizations/orga-module'
import { createOrgaSession } from '../organizations/orga-session'
import { systemClock } from '../shared/clock'
import { orgaCampaignRoutes } from './orga-campaigns.routes'

const referential = loadReferential()
const tp = referential.targetProfiles.get('tp_kit_survie')!
const ke = (skillId: string, status: SnapshotKe['status']): SnapshotKe => ({ skillId, competenceCode: referential.skills.get(skillId)!.competenceCode, status })

describeBrowser('Orga campaigns in Chromium', () => {
  let db: TestDatabase
  let server: TestServer
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let page: Page
  let orgId: string
  const dist = mkdtempSync(join(tmpdir(), 'jalon-campaigns-dist-'))

  beforeAll(async () => {
    // A private build: never empties the shared dist/ other browser tests read.
    execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.mts', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { cwd: join(__dirname, '..', '..', '..') })
    db = await createTestDatabase()
    const org = await insertOrganization(db.db, { name: 'Université A' })
    orgId = org.id
    const teacher = await insertMember(db.db, org.id, 'ADMIN', { firstName: 'Audrey', lastName: 'Neyrat' })
    const orga = createOrgaModule({ db: db.db, clock: systemClock, publicUrl: () => server.url, mailFrom: 'jalon@example.test', showDemoMailbox: false })
    // LMS hooks stubbed (the real ones are API-tested against the emulator in activity-lms.int.test.ts).
    const dashboard = orgaCampaignRoutes({
      db: db.db,
      sql: db.pool,
      clock: systemClock,
      referential,
      requireOrgaSession: orga.sessions.requireOrgaSession,
      campaignRoster: async () => ({
        learners: [
          { userId: null, firstName: 'Inès', lastName: 'Moreau', name: null, email: 'ines.moreau@etu.example', externalId: '22400120' },
          { userId: null, firstName: null, lastName: null, name: null, email: 'etu22400119@etu.example', externalId: '22400119' },
        ],
        unavailable: false,
      }),
      gradeDeliveries: async (_campaignId, userIds) => new Map(userIds.map((u) => [u, { status: 'rejected' as const, reason: 'NOT_GRADABLE', deliveredAt: null }])),
    })
    server = await listen(createApp({ logger: testLogger, version: 'test', pingDatabase: async () => true, clientDistDir: dist, routers: [...orga.routers, dashboard] }))
    const session = await createOrgaSession(db.db, { userId: teacher.id, organizationId: org.id, origin: 'PASSWORD', now: new Date() })
    browser = await launchBrowser()
    await browser.context.addCookies([{ name: 'jalon_orga', value: session.token, url: server.url }])
    page = await browser.context.newPage()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.drop()
    rmSync(dist, { recursive: true, force: true })
  })

  const noSeriousViolation = async (screen: string) => expect([screen, await seriousViolations(page)]).toEqual([screen, []])

  it('creates an assessment campaign, reads its tabs and a participant, exports the CSV', async () => {
    await page.goto(`${server.url}/orga/campagnes`)
    await page.getByRole('heading', { level: 1, name: 'Campagnes' }).waitFor()
    await noSeriousViolation('list')

    await page.getByRole('link', { name: 'Créer une campagne' }).click()
    await page.getByRole('heading', { level: 1, name: 'Création d’une campagne' }).waitFor()
    await page.getByLabel('Nom de la campagne *').fill('Kit de survie - Groupe A')
    await page.getByLabel('Évaluer les participants').check()
    await page.getByLabel('Catégorie').selectOption('THEMATIQUES')
    await page.getByLabel('Parcours', { exact: true }).selectOption('tp_kit_survie')
    await page.locator('input[name="askExternalId"]').nth(1).check()
    await page.getByLabel('Libellé de l’identifiant *').fill('Numéro étudiant')
    await page.getByLabel('Titre du parcours').fill('Parcours Test 1')
    const landing = '**Bienvenue** sur votre parcours <script>alert(1)</script>'
    await page.getByLabel('Texte de la page d’accueil').fill(landing)
    expect(await page.locator('.preview strong').innerText()).toBe('Bienvenue')
    expect(await page.locator('.preview script').count()).toBe(0)
    expect(await page.locator('#counter-landing').innerText()).toBe(`${landing.length} / 5000`)
    await noSeriousViolation('form')
    await page.getByRole('button', { name: 'Créer la campagne' }).click()
    await page.getByRole('heading', { level: 2, name: 'Paramètres' }).waitFor()
    await noSeriousViolation('settings')
    const campaignId = page.url().split('/campagnes/')[1]!.split('/')[0]!

    // Learners' participations, as the learner journey writes them.
    const person = async (firstName: string, lastName: string) => {
      const user = await insertUser(db.db, { firstName, lastName })
      const learner = await insertLearner(db.db, { organizationId: orgId, userId: user.id, firstName, lastName })
      return { userId: user.id, organizationLearnerId: learner.id, campaignId }
    }
    const validated = tp.skillIds.slice(0, 24)
    const alice = await insertParticipation(db.db, { ...(await person('Alice', 'Martin')), status: 'SHARED', participantExternalId: 'A-001', sharedAt: new Date(), masteryRate: 0.73, validatedSkillsCount: 24 }, { snapshot: tp.skillIds.map((s) => ke(s, validated.includes(s) ? 'validated' : 'invalidated')), assessmentState: 'completed' })
    await insertParticipation(db.db, { ...(await person('Bob', 'Durand')), status: 'SHARED', participantExternalId: 'B-002', sharedAt: new Date(), masteryRate: 0.091, validatedSkillsCount: 3 }, { snapshot: tp.skillIds.slice(0, 3).map((s) => ke(s, 'validated')), assessmentState: 'completed' })
    await insertParticipation(db.db, { ...(await person('Chloé', 'Bernard')), status: 'STARTED', participantExternalId: 'C-003' }, { assessmentState: 'started' })

    await page.getByRole('link', { name: 'Activité', exact: true }).click()
    await page.getByRole('cell', { name: 'Bernard' }).waitFor()
    // The counters load after the participant list: wait for the figure, not the placeholder.
    const total = page.locator('.stat-value').first()
    for (let i = 0; i < 100 && !/^\d+$/.test(await total.innerText()); i++) await page.waitForTimeout(100)
    expect(await total.innerText()).toBe('3')
    expect(await page.getByRole('row', { name: /Bernard/ }).innerText()).toContain('Refusée : Non inscrit au carnet de notes')
    await page.getByText('2 inscrits du cours n’ont pas commencé').click()
    await page.getByRole('cell', { name: 'Moreau', exact: true }).waitFor()
    await noSeriousViolation('activity')

    await page.getByRole('link', { name: 'Résultats', exact: true }).click()
    // The results table replaces the activity one: wait for Martin's mastery, not the previous tab's row.
    await page.getByRole('row', { name: /Martin.*%/ }).waitFor()
    expect(await page.getByRole('row', { name: /Martin/ }).innerText()).toContain('73 %')
    await noSeriousViolation('results')

    await page.getByRole('link', { name: 'Analyse', exact: true }).click()
    await page.getByRole('heading', { name: 'Recommandation de sujets à travailler' }).waitFor()
    await page.locator('.tube-list summary').first().click()
    await noSeriousViolation('analysis')

    await page.getByRole('link', { name: 'Résultats', exact: true }).click()
    await page.getByRole('link', { name: 'Martin' }).click()
    await page.getByRole('heading', { level: 2, name: 'Alice Martin' }).waitFor()
    expect(await page.getByText('Numéro étudiant : A-001').count()).toBe(1)
    expect(await page.getByText('Non inscrit au carnet de notes').count()).toBe(1)
    await noSeriousViolation('participant')
    expect(page.url()).toContain(alice.id)

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporter les résultats (.csv)' }).click()])
    expect(download.suggestedFilename()).toMatch(/^Resultats-Kit de survie - Groupe A-[0-9a-f-]{36}-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/)
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(csv.slice(1).split('\n')[0]).toContain("Nom de l'organisation;ID Campagne;Code;Nom de la campagne;Parcours;Nom du Participant;Prénom du Participant;Numéro étudiant;% de progression")
    expect(csv.trim().split('\n')).toHaveLength(4)
  }, 120_000)

  it('shows the list at 320 px without horizontal scrolling of the page', async () => {
    await page.setViewportSize({ width: 320, height: 640 })
    await page.goto(`${server.url}/orga/campagnes?x=1`)
    await page.getByRole('link', { name: 'Kit de survie - Groupe A' }).waitFor()
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true)
    await noSeriousViolation('list 320px')
  })
})
