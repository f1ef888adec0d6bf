/**
 * Connects the demo LMS and Jalon the way an LMS administrator would (manual registration on both sides),
 * then prepares what a visitor needs to try Jalon at once: two demo campaigns of the demo organization and an
 * activity bound to the assessment one. Idempotent: fixed client id and campaign codes, so restarts reuse them.
 * The emulator's own "Positionnement numérique (Jalon)" activity stays unbound: a teacher binds it with the picker.
 */
import type { LmsEmulator } from '../lms-emulator'
import { jalonPlatformRegistration, registerJalonTool } from '../lms-emulator/jalon-registration'
import { loadReferential } from '../../server/src/content/load-referential'
import { createCampaign, getCampaignByCode, type Campaign } from '../../server/src/campaigns'
import type { RunningJalon } from '../../server/src/main'
import { registerPlatform } from '../../server/src/lti'
import { DEMO_IDS } from '../../server/src/organizations/seed-demo'
import { systemClock } from '../../server/src/shared/clock'
import { seedDemoParticipations } from './seed-demo-participations'

const DEMO_CLIENT_ID = 'jalon-demo'

async function ensureCampaign(jalon: RunningJalon, code: string, input: Omit<Parameters<typeof createCampaign>[0], 'organizationId' | 'ownerId' | 'creatorId'>): Promise<Campaign> {
  const db = jalon.database.db
  try {
    return await getCampaignByCode(code, { db })
  } catch {
    const referential = loadReferential()
    return createCampaign(
      { ...input, organizationId: DEMO_IDS.organization, ownerId: DEMO_IDS.teacher, creatorId: DEMO_IDS.teacher },
      { db, clock: systemClock, targetProfileExists: (id) => referential.targetProfiles.has(id), generateCode: () => code },
    )
  }
}

export async function connectDemoLms(jalon: RunningJalon, lms: LmsEmulator): Promise<{ boundActivityName: string }> {
  const details = registerJalonTool(lms, jalon.url, { clientId: DEMO_CLIENT_ID })
  await registerPlatform(
    jalonPlatformRegistration(details, { organizationId: DEMO_IDS.organization }, 'LMS de démonstration (Moodle)'),
    { db: jalon.database.db },
  )
  await jalon.lti.refreshPlatforms()

  const assessment = await ensureCampaign(jalon, 'RENTRE234', {
    name: 'Rentrée L1 — positionnement',
    title: 'Panorama de rentrée',
    type: 'ASSESSMENT',
    targetProfileId: 'tp_panorama_rentree',
    multipleSendings: true,
    customLandingPageText:
      'Bienvenue ! Ce test **adaptatif** fait le point sur vos compétences numériques en début d’année.\n\n' +
      '- Comptez une vingtaine de minutes.\n- Vous pouvez vous arrêter et reprendre plus tard.\n- *Pas de panique* : les questions s’adaptent à vos réponses.',
  })
  await ensureCampaign(jalon, 'PRFLCT234', { name: 'Collecte des profils — L1', type: 'PROFILES_COLLECTION' })
  await seedDemoParticipations({ db: jalon.database.db, retryDelayDays: jalon.config.RETRY_DELAY_DAYS, maxLevel: jalon.config.MAX_REACHABLE_LEVEL })

  const boundActivityName = 'Panorama de rentrée (Jalon)'
  lms.createResourceLink({
    name: boundActivityName,
    description: 'Le test de positionnement numérique de la rentrée.',
    toolClientId: DEMO_CLIENT_ID,
    customParameters: { jalon_campaign: assessment.id },
    lineItem: { scoreMaximum: 100, resourceId: assessment.id, tag: 'jalon' },
  })
  return { boundActivityName }
}
