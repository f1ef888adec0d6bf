/**
 * Jalon Orga in Chromium: an administrator signs in, invites a colleague from the Team page, the test SMTP
 * server receives the e-mail, the colleague accepts (sets a password) and lands in Jalon Orga. Also the
 * organization switcher, the learners import report, places, password screens, 320 px, and axe on every screen.
 */
import { existsSync } from 'node:fs'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { seriousViolations } from '../../test/axe'
import { describeBrowser, launchBrowser } from '../../test/browser'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { listen, type TestServer } from '../../test/http'
import { testLogger } from '../../test/logger'
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/smtp'
import { memberships } from '../db/schema'
import { createApp } from '../http/app'
import { CLIENT_DIST } from '../http/client-assets'
import { systemClock } from '../shared/clock'
import { createSmtpMailer } from './access/mailer'
import { createOrgaSessionMiddlewares } from './orga-session'
import { orgaRouters } from './orga-routes'
import { PASSWORD, seedTwoOrganizations } from './test-support'

describeBrowser('Jalon Orga shell in Chromium', () => {
  let db: TestDatabase
  let server: TestServer
  let smtp: TestSmtp
  let browser: Awaited<ReturnType<typeof launchBrowser>>
  let ids: Awaited<ReturnType<typeof seedTwoOrganizations>>
  let baseUrl = ''

  beforeAll(async () => {
    if (!existsSync(CLIENT_DIST)) throw new Error('dist/client is missing: run `npm run build` (npm test does it first)')
    db = await createTestDatabase()
    smtp = await startTestSmtp()
    ids = await seedTwoOrganizations(db.db)
    // Alice also belongs to B, as a member: the switcher has two spaces.
    await db.db.insert(memberships).values({ organizationId: ids.orgB, userId: ids.alice, role: 'MEMBER' })
    const sessions = createOrgaSessionMiddlewares({ db: db.db, clock: systemClock })
    const mailer = createSmtpMailer({ url: smtp.url, from: 'Jalon <no-reply@jalon.test>' })
    server = await listen(
      createApp({
        logger: testLogger,
        version: 't',
        pingDatabase: async () => true,
        routers: orgaRouters({ db: db.db, clock: systemClock, mailer, publicUrl: () => baseUrl, sessions }),
      }),
    )
    baseUrl = server.url
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await smtp?.close()
    await db?.drop()
  })

  jest.setTimeout(120_000)

  async function expectAccessible(page: Page, label: string) {
    expect([label, await seriousViolations(page)]).toEqual([label, []])
  }
  async function expectNoOverflow(page: Page, label: string) {
    const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')
    expect([label, overflow]).toEqual([label, false])
  }

  it('an administrator invites a colleague; the colleague receives the e-mail, sets a password and lands in Jalon Orga', async () => {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))

    await page.goto(`${server.url}/orga/`)
    await page.getByRole('heading', { name: 'Connectez-vous' }).waitFor()
    expect(page.url()).toContain('/orga/connexion')
    await expectAccessible(page, 'sign-in')
    await page.getByLabel('Adresse e-mail').fill('alice@a.test')
    await page.getByLabel('Mot de passe').fill('wrong password')
    await page.getByRole('button', { name: 'Je me connecte' }).click()
    await page.getByRole('alert').filter({ hasText: 'incorrect' }).waitFor()
    await page.getByLabel('Mot de passe').fill(PASSWORD)
    await page.getByRole('button', { name: 'Je me connecte' }).click()
    await page.waitForURL(/\/orga\/campagnes/)
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Équipe' }).click()
    await page.getByRole('heading', { name: 'Équipe', level: 1 }).waitFor()
    await page.getByRole('cell', { name: 'marc@a.test', exact: true }).waitFor()
    await expectAccessible(page, 'team')

    await page.getByRole('button', { name: 'Inviter un membre' }).click()
    const dialog = page.getByRole('dialog', { name: 'Inviter un membre' })
    await dialog.getByLabel('Adresse(s) e-mail').fill('not-an-email, colleague@a.test')
    await dialog.getByRole('button', { name: 'Inviter' }).click()
    await dialog.getByRole('alert').filter({ hasText: 'not-an-email' }).waitFor()
    await expectAccessible(page, 'invite dialog')
    const before = smtp.mails.length
    await dialog.getByLabel('Adresse(s) e-mail').fill('colleague@a.test')
    await dialog.getByRole('button', { name: 'Inviter' }).click()
    await page.getByRole('status').filter({ hasText: 'colleague@a.test' }).waitFor()
    await page.getByRole('cell', { name: 'colleague@a.test', exact: true }).waitFor()

    const mail = await smtp.waitFor('colleague@a.test', { after: before })
    const link = linkIn(mail, '/orga/invitation')
    expect(link.startsWith(`${server.url}/orga/invitation?token=`)).toBe(true)

    // Alice signs out from the menu under her name.
    await page.getByRole('button', { name: /Alice Admin/ }).click()
    await page.getByRole('button', { name: 'Se déconnecter' }).click()
    await page.getByRole('heading', { name: 'Connectez-vous' }).waitFor()

    await page.goto(link)
    await page.getByText('Vous êtes invité(e) à rejoindre l’espace « Université A »').waitFor()
    await expectAccessible(page, 'invitation')
    await page.getByLabel('Prénom').fill('Camille')
    await page.getByLabel('Nom', { exact: true }).fill('Collègue')
    await page.getByLabel('Nouveau mot de passe').fill('Collegue-2026')
    await page.getByLabel('Confirmez le mot de passe').fill('Collegue-2026')
    await page.getByRole('button', { name: 'Rejoindre l’espace' }).click()
    await page.waitForURL(/\/orga\/campagnes/)
    await page.getByRole('button', { name: /Camille Collègue/ }).waitFor()
    const nav = page.getByRole('navigation', { name: 'Navigation principale' })
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Campagnes', 'Étudiants', 'Équipe']) // a member: no Places
    expect(await page.locator('.orga-current-org').innerText()).toBe('Université A')
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it('switches organization from the menu, imports learners with a per-line report, manages places; every screen passes axe', async () => {
    await browser.context.clearCookies()
    const page = await browser.context.newPage()
    await page.goto(`${server.url}/orga/etudiants`)
    await page.getByRole('heading', { name: 'Connectez-vous' }).waitFor()
    await page.getByLabel('Adresse e-mail').fill('alice@a.test')
    await page.getByLabel('Mot de passe').fill(PASSWORD)
    await page.getByRole('button', { name: 'Je me connecte' }).click()
    // Back where she wanted to go.
    await page.getByRole('heading', { name: /Étudiants \(0\)/ }).waitFor()
    await expectAccessible(page, 'learners (empty)')

    const dir = mkdtempSync(join(tmpdir(), 'jalon-import-'))
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'Nom;Prénom;Date de naissance;Numéro étudiant;Groupe\nDurand;Zoé;31/02/2003;111;G1\n;Paul;01/01/2003;222;G1\n')
    await page.getByRole('button', { name: 'Importer', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Importer une liste d’étudiants' })
    await dialog.getByLabel('Fichier CSV').setInputFiles(bad)
    await dialog.getByRole('button', { name: 'Importer le fichier' }).click()
    await dialog.getByRole('table').getByText('2 erreurs à corriger').waitFor()
    expect(await dialog.getByRole('row').nth(1).innerText()).toContain('Date de naissance')
    await expectAccessible(page, 'import report')
    const good = join(dir, 'good.csv')
    writeFileSync(good, '\uFEFFNom,Prénom,Date de naissance,Numéro étudiant,Groupe\nDurand,Zoé,28/02/2003,111,G1\nPetit,Paul,01/01/2003,222,G2\n')
    await dialog.getByLabel('Fichier CSV').setInputFiles(good)
    await dialog.getByRole('button', { name: 'Importer le fichier' }).click()
    await page.getByRole('status').filter({ hasText: '2 étudiant(s) ajouté(s)' }).waitFor()
    await page.getByRole('heading', { name: /Étudiants \(2\)/ }).waitFor()
    await page.getByLabel('Nom, prénom').fill('zo')
    await page.getByRole('heading', { name: /Étudiants \(1\)/ }).waitFor()
    await expectAccessible(page, 'learners')

    await page.getByRole('link', { name: 'Places' }).click()
    await page.getByRole('heading', { name: 'Places', level: 1 }).waitFor()
    await page.getByLabel('Nombre de places').fill('30')
    await page.getByLabel('Date d’activation').fill('2025-09-01')
    await page.getByRole('button', { name: 'Ajouter le lot' }).click()
    await page.getByRole('cell', { name: 'Actif' }).waitFor()
    expect(await page.locator('.orga-counters').innerText()).toContain('30')
    await expectAccessible(page, 'places')

    // The switcher: B, where Alice is a member.
    await page.getByRole('button', { name: /Alice Admin/ }).click()
    await expectAccessible(page, 'user menu open')
    await page.getByRole('button', { name: /Université B/ }).click()
    await page.waitForURL(/\/orga\/campagnes/)
    await page.getByText('Université B', { exact: true }).first().waitFor()
    const nav = page.getByRole('navigation', { name: 'Navigation principale' })
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Campagnes', 'Étudiants', 'Équipe'])
    await nav.getByRole('link', { name: 'Étudiants' }).click()
    await page.getByRole('heading', { name: /Étudiants \(0\)/ }).waitFor() // A's learners stay in A

    // English is available from the same menu.
    await page.getByRole('button', { name: /Alice Admin/ }).click()
    await page.getByLabel('Langue').selectOption('en')
    await page.getByRole('heading', { name: /Students \(0\)/ }).waitFor()
    await page.getByLabel('Language').selectOption('fr')
    await page.close()
  }, 120_000)

  it('password screens and phone width (320 px): usable and accessible', async () => {
    await browser.context.clearCookies()
    const page = await browser.context.newPage()
    await page.setViewportSize({ width: 320, height: 640 })
    for (const [path, heading] of [
      ['/orga/connexion', 'Connectez-vous'],
      ['/orga/mot-de-passe-oublie', 'Mot de passe oublié'],
      ['/orga/nouveau-mot-de-passe?token=unknown-token-123', 'Choisir un nouveau mot de passe'],
      ['/orga/invitation?token=unknown-token-123', 'Rejoindre un espace Jalon Orga'],
    ] as const) {
      await page.goto(`${server.url}${path}`)
      await page.getByRole('heading', { name: heading }).waitFor()
      await expectNoOverflow(page, path)
      await expectAccessible(page, path)
    }
    await page.getByRole('alert').waitFor() // the unknown invitation says so

    const before = smtp.mails.length
    await page.goto(`${server.url}/orga/mot-de-passe-oublie`)
    await page.getByLabel('Adresse e-mail').fill('marc@a.test')
    await page.getByRole('button', { name: 'Recevoir le lien' }).click()
    await page.getByRole('status').filter({ hasText: 'Si un compte existe' }).waitFor()
    const link = linkIn(await smtp.waitFor('marc@a.test', { after: before }), '/orga/nouveau-mot-de-passe')
    await page.goto(link)
    await page.getByLabel('Nouveau mot de passe').fill('Marc-Nouveau-1')
    await page.getByLabel('Confirmez le mot de passe').fill('Marc-Nouveau-1')
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click()
    await page.getByRole('status').filter({ hasText: 'Votre mot de passe a été modifié' }).waitFor()
    await page.getByRole('link', { name: 'Retour à la connexion' }).click()
    await page.getByLabel('Adresse e-mail').fill('marc@a.test')
    await page.getByLabel('Mot de passe').fill('Marc-Nouveau-1')
    await page.getByRole('button', { name: 'Je me connecte' }).click()
    await page.waitForURL(/\/orga\/campagnes/)
    for (const path of ['/orga/equipe', '/orga/etudiants']) {
      await page.goto(`${server.url}${path}`)
      await page.getByRole('heading', { level: 1 }).first().waitFor()
      await page.waitForLoadState('networkidle')
      await expectNoOverflow(page, path)
      await expectAccessible(page, path)
    }
    await page.close()
  }, 120_000)
})
