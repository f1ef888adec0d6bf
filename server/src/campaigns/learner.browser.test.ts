/**
 * The learner journey in a real Chromium through the LMS emulator: launch in the Moodle iframe, external id,
 * rules, a whole adaptive test with a checkpoint and a reload, sharing, and the score in the gradebook;
 * a profiles collection sent; "Je retente" after the delay asking only what was not validated, then a competence
 * reset from the profile a week later. axe runs on
 * every screen. JALON_SCREENSHOTS=1 also writes docs/screens/*.png (desktop and phone).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import type { Frame, Page } from 'playwright-core'
import { seriousViolations } from '../../test/axe'
import { describeBrowser, launchBrowser } from '../../test/browser'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { rightAnswer, type AnswerValue } from '../../test/learner'
import { testLogger } from '../../test/logger'
import { bindWithNewCampaign, jalonAppFrame, openActivityInLms, startLtiRig, type LtiRig } from '../../test/lti-rig'
import { latestNonResetBySkill } from '../assessment/scoring'
import { loadReferential } from '../content/load-referential'
import { campaignParticipations, campaigns, knowledgeElements } from '../db/schema'

const ROOT = join(__dirname, '..', '..', '..')
const SCREENS = process.env.JALON_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screens') : undefined
const referential = loadReferential()

type Target = Page | Frame

async function expectAccessible(page: Page, screen: string) {
  const violations = await seriousViolations(page)
  expect({ screen, violations }).toEqual({ screen, violations: [] })
}

async function shot(page: Page, name: string) {
  if (!SCREENS) return
  await page.waitForTimeout(150)
  await page.screenshot({ path: join(SCREENS, `${name}.png`) })
}

/** Fills the answer of the challenge on screen (right or wrong) and returns its id. */
async function fill(target: Target, id: string, value: AnswerValue) {
  const ch = referential.challenges.get(id)!
  if (ch.type === 'QCU' || ch.type === 'QCM') {
    for (const index of String(value).split(',')) await target.check(`[id="${id}-p${index}"]`)
  } else if (ch.type === 'QROC') {
    await target.fill(`[id="${id}-answer"]`, String(value))
  } else {
    for (const f of ch.fields) {
      const v = (value as Record<string, string>)[f.key] ?? ''
      if (f.options) await target.selectOption(`[id="${id}-${f.key}"]`, v)
      else await target.fill(`[id="${id}-${f.key}"]`, v)
    }
  }
}

async function currentStep(target: Target): Promise<{ step: string; challengeId: string | null }> {
  await target.waitForSelector('.lj-test[data-step]', { timeout: 15_000 })
  const step = (await target.getAttribute('.lj-test', 'data-step'))!
  if (step !== 'challenge') return { step, challengeId: null }
  await target.waitForSelector('form[data-challenge-id]:not([aria-busy="true"])')
  return { step, challengeId: await target.getAttribute('form[data-challenge-id]', 'data-challenge-id') }
}

/** Plays until the end. `answer(id, i)` returns a value, or null for "Je passe". Returns the asked challenge ids. */
async function play(
  target: Target,
  answer: (id: string, i: number) => AnswerValue | null,
  hooks: { onCheckpoint?: () => Promise<void>; afterAnswer?: (i: number) => Promise<Target | void> } = {},
): Promise<string[]> {
  const asked: string[] = []
  let t = target
  for (let guard = 0; guard < 120; guard++) {
    const { step, challengeId } = await currentStep(t)
    if (process.env.JALON_TEST_STEPS) console.log(new Date().toISOString(), step, challengeId)
    if (step === 'completed') return asked
    if (step === 'timed-warning') {
      await t.click('button:has-text("Commencer")')
      await t.waitForSelector('.lj-test[data-step="challenge"] .lj-timer')
      continue
    }
    if (step === 'checkpoint') {
      await t.waitForSelector('.lj-answers li')
      await hooks.onCheckpoint?.()
      const before = await t.getAttribute('.lj-test', 'data-step')
      await t.click('.lj-checkpoint-head button')
      if (before === 'checkpoint') await t.waitForSelector('.lj-checkpoint-head', { state: 'detached' })
      continue
    }
    const id = challengeId!
    asked.push(id)
    const value = answer(id, asked.length - 1)
    if (value === null) await t.click('button:has-text("Je passe")')
    else {
      await fill(t, id, value)
      await t.click('button[type="submit"]')
    }
    await t.waitForSelector(`form[data-challenge-id="${id}"]`, { state: 'detached' })
    const next = await hooks.afterAnswer?.(asked.length)
    if (next) t = next
  }
  throw new Error('the test did not end')
}

describeBrowser('the learner journey through the LMS emulator', () => {
  let db: TestDatabase
  let rig: LtiRig
  let clientDir: string
  let browser: Awaited<ReturnType<typeof launchBrowser>>

  beforeAll(async () => {
    clientDir = mkdtempSync(join(tmpdir(), 'jalon-client-'))
    execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.mts', '--outDir', clientDir, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: ROOT,
      stdio: 'inherit',
    })
    if (SCREENS) mkdirSync(SCREENS, { recursive: true })
    db = await createTestDatabase()
    rig = await startLtiRig(db.url, testLogger, { clientDistDir: clientDir })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await rig?.close()
    await db?.drop()
    rmSync(clientDir, { recursive: true, force: true })
  })

  /** A new Moodle activity bound to a campaign, reshaped for the test. */
  async function activity(name: string, values: Partial<typeof campaigns.$inferInsert>): Promise<{ linkId: string; campaignId: string }> {
    const link = rig.emu.createResourceLink({ name, lineItem: { scoreMaximum: 100 } })
    const campaignId = await bindWithNewCampaign(rig, link.id, name)
    await rig.jalon.database.db.update(campaigns).set(values).where(eq(campaigns.id, campaignId))
    return { linkId: link.id, campaignId }
  }

  /** A top-level app page for a learner (the launch done with fetch), at a given width. */
  async function topLevelApp(userId: string, linkId: string, width: number): Promise<Page> {
    const launch = await rig.emu.launch({ userId, resourceLinkId: linkId, cookies: false })
    const location = launch.launchResponse.headers.get('location')!
    const page = await browser.context.newPage()
    await page.setViewportSize({ width, height: 760 })
    await page.goto(`${rig.jalon.url}${location}`)
    return page
  }

  test('launch, external id, rules, a test with a checkpoint and a reload, sharing, and the grade in Moodle', async () => {
    const { linkId, campaignId } = await activity('Mener une recherche', {
      targetProfileId: 'tp_competence_1_1',
      title: 'Mener une recherche',
      externalIdLabel: 'Adresse e-mail universitaire',
      externalIdType: 'EMAIL',
      customLandingPageText: 'Voici une compétence **fort utile**.\nBonne découverte !\n\n- lisez bien\n- prenez votre temps\n\n<script>window.hacked = 1</script>',
      customResultPageText: 'Merci ! Nous en parlerons au prochain TD.',
    })
    const lea = rig.emu.users.lea.id
    const page = await browser.context.newPage()
    let app = await openActivityInLms(page, rig, lea, linkId)

    // Landing: the teacher's Markdown, without raw HTML.
    await app.waitForSelector('h1:has-text("Mener une recherche")')
    expect(await app.locator('.lj-markdown strong').textContent()).toBe('fort utile')
    expect(await app.locator('.lj-markdown li').count()).toBe(2)
    expect(await app.locator('.lj-markdown').innerHTML()).not.toContain('script')
    expect(await app.evaluate('window.hacked')).toBeUndefined()
    expect(app.url()).not.toContain('launch=')
    await expectAccessible(page, 'landing')
    await shot(page, 'desktop-1-landing')
    await app.click('button:has-text("Je commence")')

    // External id, asked with the campaign's label (the student number is no e-mail).
    await app.waitForSelector('label:has-text("Adresse e-mail universitaire")')
    await expectAccessible(page, 'external id')
    await app.fill('#external-id', 'lea.dubois@etu.univ-demo.example')
    await shot(page, 'desktop-2-external-id')
    await app.click('button:has-text("Continuer")')

    // The rules of the game, two steps.
    await app.waitForSelector('h1:has-text("Les règles du jeu")')
    await expectAccessible(page, 'rules')
    await shot(page, 'desktop-3-rules')
    await app.click('button:has-text("Suivant")')
    await app.click('button:has-text("Je commence")')

    let checkpoints = 0
    let reloaded = false
    const asked = await play(app, (id, i) => (i === 1 ? null : i % 3 === 2 ? rightAnswer(referential.challenges.get(id)!) : rightAnswer(referential.challenges.get(id)!)), {
      onCheckpoint: async () => {
        checkpoints++
        await expectAccessible(page, 'checkpoint')
        await shot(page, 'desktop-5-checkpoint')
        await app.click('.lj-answers li:first-child button')
        await app.waitForSelector('dialog[open] h2')
        await expectAccessible(page, 'answers and tutorials')
        await shot(page, 'desktop-6-answers-and-tutorials')
        await page.keyboard.press('Escape')
        await app.waitForSelector('dialog[open]', { state: 'detached' })
      },
      afterAnswer: async (n): Promise<Target | void> => {
        if (n === 1) {
          const { challengeId } = await currentStep(app)
          await expectAccessible(page, 'challenge')
          await shot(page, 'desktop-4-challenge')
          // A reload of the Moodle page relaunches: the same question comes back.
          await page.reload()
          app = await jalonAppFrame(page, rig.jalon.url)
          const after = await currentStep(app)
          expect(after).toEqual({ step: 'challenge', challengeId })
          reloaded = true
          return app
        }
      },
    })
    expect(reloaded).toBe(true)
    expect(asked.length).toBeGreaterThanOrEqual(5)
    expect(checkpoints).toBeGreaterThanOrEqual(1)

    // End of the test, results, sharing.
    await app.waitForSelector('h1:has-text("Parcours terminé")')
    await app.click('.lj-checkpoint-head button')
    await app.waitForSelector('button:has-text("J’envoie mes résultats")')
    const percent = Number((await app.locator('.lj-mastery .lj-big').textContent())!.replace(/\D/g, ''))
    await expectAccessible(page, 'results')
    await shot(page, 'desktop-7-results')
    await app.click('button:has-text("J’envoie mes résultats")')
    await app.waitForSelector('text=Vos résultats ont été envoyés')
    await app.waitForSelector('text=Merci ! Nous en parlerons au prochain TD.')
    await expectAccessible(page, 'results shared')

    const [participation] = await rig.jalon.database.db.select().from(campaignParticipations).where(eq(campaignParticipations.campaignId, campaignId))
    expect(participation).toMatchObject({ status: 'SHARED', participantExternalId: 'lea.dubois@etu.univ-demo.example' })
    expect(Math.round(participation!.masteryRate! * 100)).toBe(percent)
    let grade: number | undefined
    for (let i = 0; i < 100 && grade === undefined; i++) {
      const column = rig.emu.lineItems().find((l) => l.activityId === linkId)
      grade = rig.emu.gradebook.grades({ userId: lea }).find((g) => g.lineItemId === column?.id && g.grade !== null)?.grade ?? undefined
      if (grade === undefined) await page.waitForTimeout(100)
    }
    expect(grade).toBe(percent)

    // The profile and saved tutorials, from the menu.
    await app.click('nav >> text=Mon profil')
    await app.waitForSelector('.lj-competence')
    expect(await app.locator('.lj-competence').count()).toBe(16)
    await expectAccessible(page, 'profile')
    await shot(page, 'desktop-8-profile')
    await page.close()
  }, 120_000)

  test('a profiles collection campaign sends the profile, at 320 px wide', async () => {
    const { linkId, campaignId } = await activity('Collecte de profils', { type: 'PROFILES_COLLECTION', targetProfileId: null })
    const page = await topLevelApp(rig.emu.users.ines.id, linkId, 320)
    await page.waitForSelector('h1:has-text("Collecte de profils")')
    await expectAccessible(page, 'profiles collection landing')
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(320)
    await page.click('button:has-text("Je commence")')
    await page.waitForSelector('button:has-text("J’envoie mon profil")')
    await expectAccessible(page, 'profile to send')
    await page.click('button:has-text("J’envoie mon profil")')
    await page.waitForSelector('text=Votre profil a été envoyé')
    const [row] = await rig.jalon.database.db.select().from(campaignParticipations).where(eq(campaignParticipations.campaignId, campaignId))
    expect(row).toMatchObject({ status: 'SHARED', pixScore: 0, isCertifiable: false })
    await page.close()
  }, 60_000)

  test('"Je retente" after the delay asks only skills that were not validated, and screens fit a phone', async () => {
    const { linkId } = await activity('Retenter', { targetProfileId: 'tp_competence_1_1', title: 'Retenter' })
    const hugo = rig.emu.users.noEmail.id
    const page = await topLevelApp(hugo, linkId, 360)
    await page.waitForSelector('button:has-text("Je commence")')
    await shot(page, 'phone-1-landing')
    await page.click('button:has-text("Je commence")')
    await page.click('button:has-text("Suivant")')
    await page.click('button:has-text("Je commence")')
    let phoneShots = false
    await play(page, (id, i) => (i === 0 ? rightAnswer(referential.challenges.get(id)!) : null), {
      afterAnswer: async (n) => {
        if (n === 1 && !phoneShots) {
          phoneShots = true
          await currentStep(page)
          await expectAccessible(page, 'challenge (phone)')
          expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360)
          await shot(page, 'phone-2-challenge')
        }
      },
      onCheckpoint: async () => shot(page, 'phone-3-checkpoint'),
    })
    await page.click('.lj-checkpoint-head button')
    await page.waitForSelector('text=Vous pourrez retenter dans')
    await shot(page, 'phone-4-results')
    expect(await page.locator('button:has-text("Je retente")').count()).toBe(0)

    // Four days later (configured delay): the failures are old enough.
    const db = rig.jalon.database.db
    const userId = (await db.execute<{ user_id: string }>(sql`SELECT user_id FROM campaign_participations cp JOIN campaigns c ON c.id = cp.campaign_id WHERE c.title = 'Retenter'`)).rows[0]!.user_id
    await db.update(knowledgeElements).set({ createdAt: sql`${knowledgeElements.createdAt} - interval '5 days'` }).where(eq(knowledgeElements.userId, userId))
    const kes = await db.select().from(knowledgeElements).where(eq(knowledgeElements.userId, userId))
    const validated = new Set([...latestNonResetBySkill(kes).values()].filter((k) => k.status === 'validated').map((k) => k.skillId))
    await page.reload()
    await page.waitForSelector('button:has-text("Je retente")')
    await expectAccessible(page, 'results with retry')
    await page.click('button:has-text("Je retente")')
    const retried = await play(page, () => null)
    expect(retried.length).toBeGreaterThan(0)
    for (const id of retried) expect(validated.has(referential.challenges.get(id)!.skillId)).toBe(false)
    await page.click('nav >> text=Mon profil')
    await page.waitForSelector('.lj-competence')
    const card = page.locator('.lj-competence', { has: page.locator('h2:has-text("1.1 ")') })
    await card.locator('text=Remise à zéro possible dans 7 jours').waitFor()
    await shot(page, 'phone-5-profile')

    // A week later, « Remettre à zéro » on 1.1: asked for confirmation first, focus on the confirming button.
    await db.update(knowledgeElements).set({ createdAt: sql`${knowledgeElements.createdAt} - interval '8 days'` }).where(eq(knowledgeElements.userId, userId))
    await page.reload()
    await card.locator('button.lj-reset').click()
    await card.locator('.lj-reset-confirm').waitFor()
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Oui, remettre à zéro')
    await expectAccessible(page, 'competence reset confirmation (phone)')
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360)
    await shot(page, 'phone-6-reset')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[role="status"]:has-text("est remise à zéro")')
    expect(await card.locator('.lj-level').innerText()).toMatch(/Niveau 0\s+0 pix/)
    expect(await card.locator('button.lj-reset').count()).toBe(0)
    expect([...latestNonResetBySkill(await db.select().from(knowledgeElements).where(eq(knowledgeElements.userId, userId))).values()].filter((k) => k.competenceCode === '1.1')).toEqual([])
    await page.close()
  }, 120_000)
})
