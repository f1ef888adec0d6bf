/**
 * /api/orga campaign routes on PostgreSQL with a seeded campaign: tenancy on every route, owner/admin
 * rules, validation, and the read-model figures (counts, distributions, stages, badges, pertinence, CSV).
 */
import { parse } from 'csv-parse/sync'
import { eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertCampaign, insertLearner, insertMember, insertOrganization, insertParticipation, insertUser, type SnapshotKe } from '../../test/factories'
import { listen, type TestServer } from '../../test/http'
import { testLogger } from '../../test/logger'
import { loadReferential } from '../content/load-referential'
import { organizationLearners, organizations } from '../db/schema'
import { createApp } from '../http/app'
import { createOrgaSession, createOrgaSessionMiddlewares } from '../organizations/orga-session'
import { fixedClock } from '../shared/clock'
import { orgaCampaignRoutes } from './orga-campaigns.routes'

const referential = loadReferential()
const tp = referential.targetProfiles.get('tp_kit_survie')!
const clock = fixedClock('2026-02-01T10:00:00Z')
const PASSWORDS = tp.skillIds.filter((s) => s.startsWith('@motsDePasse'))
const OTHERS = tp.skillIds.filter((s) => !s.startsWith('@motsDePasse'))
const ke = (skillId: string, status: SnapshotKe['status']): SnapshotKe => ({
  skillId,
  competenceCode: referential.skills.get(skillId)!.competenceCode,
  status,
  earnedPix: status === 'validated' ? referential.skills.get(skillId)!.pixValue : 0,
})
const snapshot = (validated: string[]) => tp.skillIds.map((s) => ke(s, validated.includes(s) ? 'validated' : 'invalidated'))

let db: TestDatabase
let server: TestServer
const ids = {} as Record<'orgA' | 'orgB' | 'admin' | 'member' | 'outsider' | 'campaign' | 'aliceFirst' | 'aliceLive' | 'aliceLearner' | 'bob' | 'chloe' | 'david', string>
const cookies = {} as Record<'admin' | 'member' | 'outsider', string>

async function api(who: keyof typeof cookies | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(who ? { cookie: `jalon_orga=${cookies[who]}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  // Keep the BOM: the CSV test checks it.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
  let json: any // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON shapes
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, json, text, headers: res.headers }
}

beforeAll(async () => {
  db = await createTestDatabase()
  const orgA = await insertOrganization(db.db, { name: 'Université A' })
  const orgB = await insertOrganization(db.db, { name: 'Université B' })
  const admin = await insertMember(db.db, orgA.id, 'ADMIN', { firstName: 'Audrey', lastName: 'Neyrat' })
  const member = await insertMember(db.db, orgA.id, 'MEMBER', { firstName: 'Henri', lastName: 'Dupont' })
  const outsider = await insertMember(db.db, orgB.id, 'ADMIN')
  Object.assign(ids, { orgA: orgA.id, orgB: orgB.id, admin: admin.id, member: member.id, outsider: outsider.id })
  for (const [who, user, org] of [['admin', admin, orgA], ['member', member, orgA], ['outsider', outsider, orgB]] as const)
    cookies[who] = (await createOrgaSession(db.db, { userId: user.id, organizationId: org.id, origin: 'PASSWORD', now: clock.now() })).token

  const campaign = await insertCampaign(db.db, {
    organizationId: orgA.id,
    ownerId: admin.id,
    name: 'Kit de survie — groupe A',
    code: 'KITSUR234',
    multipleSendings: true,
    externalIdLabel: 'Numéro étudiant',
    externalIdType: 'STRING',
    createdAt: new Date('2026-01-05T08:00:00Z'),
  })
  ids.campaign = campaign.id
  const person = async (firstName: string, lastName: string) => {
    const user = await insertUser(db.db, { firstName, lastName })
    const learner = await insertLearner(db.db, { organizationId: orgA.id, userId: user.id, firstName, lastName })
    return { userId: user.id, organizationLearnerId: learner.id, campaignId: campaign.id }
  }
  const alice = await person('Alice', 'Martin')
  ids.aliceLearner = alice.organizationLearnerId
  const bob = await person('Bob', 'Durand')
  const chloe = await person('Chloé', 'Bernard')
  const david = await person('David', 'Petit')
  const eve = await person('Eve', 'Zed')
  const at = (d: string) => new Date(`${d}T09:00:00Z`)
  // Alice shared twice (multiple sendings): the first one is superseded.
  ids.aliceFirst = (await insertParticipation(db.db, { ...alice, status: 'SHARED', isImproved: true, participantExternalId: 'A-001', createdAt: at('2026-01-08'), sharedAt: at('2026-01-10'), masteryRate: 0.27, validatedSkillsCount: 9 }, { snapshot: snapshot(OTHERS.slice(0, 9)), assessmentState: 'completed' })).id
  // 4 passwords + 20 others = 24/33 → 0.73, stage 3 of 4, both badges.
  ids.aliceLive = (await insertParticipation(db.db, { ...alice, status: 'SHARED', participantExternalId: 'A-001', createdAt: at('2026-01-18'), sharedAt: at('2026-01-20'), masteryRate: 0.73, validatedSkillsCount: 24 }, { snapshot: snapshot([...PASSWORDS, ...OTHERS.slice(0, 20)]), assessmentState: 'completed' })).id
  // 3 passwords of 4 (75 % < 80 %): no badge; 3/33 → 0.091, zero stage.
  ids.bob = (await insertParticipation(db.db, { ...bob, status: 'SHARED', participantExternalId: '=HYPERLINK("x")', createdAt: at('2026-01-08'), sharedAt: at('2026-01-15'), masteryRate: 0.091, validatedSkillsCount: 3 }, { snapshot: snapshot(PASSWORDS.slice(0, 3)), assessmentState: 'completed' })).id
  ids.chloe = (await insertParticipation(db.db, { ...chloe, status: 'STARTED', participantExternalId: 'C-3', createdAt: at('2026-01-18') }, { assessmentState: 'started', liveKnowledge: [...OTHERS.slice(0, 3).map((s) => ke(s, 'validated')), ...OTHERS.slice(3, 5).map((s) => ke(s, 'invalidated'))] })).id
  ids.david = (await insertParticipation(db.db, { ...david, status: 'TO_SHARE', participantExternalId: 'D-4', createdAt: at('2026-01-20') }, { assessmentState: 'completed' })).id
  await insertParticipation(db.db, { ...eve, status: 'SHARED', createdAt: at('2026-01-08'), sharedAt: at('2026-01-09'), masteryRate: 1, validatedSkillsCount: 33, deletedAt: at('2026-01-12') })

  const sessions = createOrgaSessionMiddlewares({ db: db.db, clock })
  const router = orgaCampaignRoutes({ db: db.db, sql: db.pool, clock, referential, requireOrgaSession: sessions.requireOrgaSession, publicUrl: 'https://jalon.test' })
  server = await listen(createApp({ logger: testLogger, version: 'test', pingDatabase: async () => true, serveClient: false, routers: [router] }))
})
afterAll(async () => {
  await server?.close()
  await db?.drop()
})

describe('campaign list, creation, edition', () => {
  it('lists "Mes campagnes" and "Toutes les campagnes" with counters, and nothing of another organization', async () => {
    const mine = await api('admin', 'GET', '/api/orga/campaigns?scope=mine')
    expect(mine.status).toBe(200)
    expect(mine.json.campaigns).toEqual([expect.objectContaining({ id: ids.campaign, code: 'KITSUR234', participantsCount: 4, sharedCount: 2 })])
    expect((await api('member', 'GET', '/api/orga/campaigns?scope=mine')).json.total).toBe(0)
    expect((await api('member', 'GET', '/api/orga/campaigns?scope=all')).json.total).toBe(1)
    expect((await api('member', 'GET', `/api/orga/campaigns?scope=all&ownerId=${ids.member}`)).json.total).toBe(0)
    expect((await api('member', 'GET', '/api/orga/campaigns?scope=all&name=survie')).json.total).toBe(1)
    expect((await api('member', 'GET', '/api/orga/campaigns?scope=all&status=archived')).json.total).toBe(0)
    expect((await api('outsider', 'GET', '/api/orga/campaigns?scope=all')).json.total).toBe(0)
    expect((await api(null, 'GET', '/api/orga/campaigns')).status).toBe(401)
  })

  it('creates a campaign with an external id; validation errors are 400/422', async () => {
    const created = await api('member', 'POST', '/api/orga/campaigns', {
      name: 'Parcours 1.1 - Groupe B',
      ownerId: ids.member,
      type: 'ASSESSMENT',
      targetProfileId: 'tp_competence_1_1',
      externalIdLabel: 'Numéro étudiant',
      externalIdType: 'STRING',
      customLandingPageText: '**Bienvenue**',
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ organizationId: ids.orgA, creatorId: ids.member, externalIdLabel: 'Numéro étudiant', canManage: true })
    expect(created.json.directLink).toBe(`https://jalon.test/app/campagnes/${created.json.code}`)
    const invalid = await api('member', 'POST', '/api/orga/campaigns', { name: ' ', ownerId: ids.member, type: 'ASSESSMENT', customLandingPageText: 'x'.repeat(5000) })
    expect(invalid.status).toBe(422)
    expect(invalid.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['name', 'targetProfileId'])
    expect((await api('member', 'POST', '/api/orga/campaigns', { name: 'x', ownerId: ids.member, type: 'ASSESSMENT', targetProfileId: 'tp_kit_survie', customLandingPageText: 'x'.repeat(5001) })).status).toBe(400)
    // An owner from another organization is refused.
    expect((await api('member', 'POST', '/api/orga/campaigns', { name: 'x', ownerId: ids.outsider, type: 'PROFILES_COLLECTION' })).status).toBe(403)
  })

  it('edits only name, owner, title and texts; a member who does not own it cannot change, archive or delete it', async () => {
    const path = `/api/orga/campaigns/${ids.campaign}`
    expect((await api('member', 'PATCH', path, { name: 'Volé' })).status).toBe(403)
    expect((await api('member', 'POST', `${path}/archive`)).status).toBe(403)
    expect((await api('member', 'POST', '/api/orga/campaigns/deletion', { campaignIds: [ids.campaign] })).status).toBe(403)
    expect((await api('admin', 'PATCH', path, { targetProfileId: 'tp_competence_1_1' })).status).toBe(400)
    expect((await api('admin', 'PATCH', path, { externalIdLabel: 'Autre' })).status).toBe(400)
    const renamed = await api('admin', 'PATCH', path, { name: 'Kit de survie — groupe A (S2)', title: 'Parcours Test 1' })
    expect(renamed.status).toBe(200)
    expect(renamed.json).toMatchObject({ name: 'Kit de survie — groupe A (S2)', title: 'Parcours Test 1', targetProfileId: 'tp_kit_survie' })
    expect((await api('admin', 'PATCH', path, { ownerId: ids.outsider })).status).toBe(403)
  })

  it('archives and unarchives (owner or admin); an archived campaign is read-only', async () => {
    const path = `/api/orga/campaigns/${ids.campaign}`
    expect((await api('admin', 'POST', `${path}/archive`)).json.archivedAt).toBeTruthy()
    expect((await api('admin', 'PATCH', path, { name: 'x' })).status).toBe(409)
    expect((await api('admin', 'GET', '/api/orga/campaigns?scope=all&status=archived')).json.total).toBe(1)
    expect((await api('admin', 'POST', `${path}/unarchive`)).json.archivedAt).toBeNull()
  })

  it('deletes several campaigns: owner of all or admin; participations anonymized', async () => {
    const a = (await api('member', 'POST', '/api/orga/campaigns', { name: 'A', ownerId: ids.member, type: 'PROFILES_COLLECTION' })).json
    const b = (await api('admin', 'POST', '/api/orga/campaigns', { name: 'B', ownerId: ids.admin, type: 'PROFILES_COLLECTION' })).json
    const user = await insertUser(db.db)
    await insertParticipation(db.db, { campaignId: a.id, userId: user.id, participantExternalId: 'secret' })
    expect((await api('member', 'POST', '/api/orga/campaigns/deletion', { campaignIds: [a.id, b.id] })).status).toBe(403)
    expect((await api('outsider', 'POST', '/api/orga/campaigns/deletion', { campaignIds: [a.id] })).status).toBe(404)
    expect((await api('member', 'POST', '/api/orga/campaigns/deletion', { campaignIds: [] })).status).toBe(400)
    expect((await api('member', 'POST', '/api/orga/campaigns/deletion', { campaignIds: [a.id] })).json).toEqual({ deleted: 1 })
    expect((await api('admin', 'POST', '/api/orga/campaigns/deletion', { campaignIds: [b.id] })).json).toEqual({ deleted: 1 })
    expect((await api('admin', 'GET', `/api/orga/campaigns/${a.id}`)).status).toBe(404)
    const { rows } = await db.pool.query('SELECT user_id, participant_external_id, deleted_at FROM campaign_participations WHERE campaign_id = $1', [a.id])
    expect(rows).toEqual([{ user_id: null, participant_external_id: null, deleted_at: clock.now() }])
  })

  it('gives the form options: members of the organization and target profiles by category', async () => {
    const { json } = await api('member', 'GET', '/api/orga/campaign-form-options')
    expect(json.members.map((m: { lastName: string }) => m.lastName)).toEqual(['Dupont', 'Neyrat'])
    expect(json.targetProfiles).toContainEqual(expect.objectContaining({ id: 'tp_kit_survie', category: 'THEMATIQUES' }))
  })
})

describe('tenancy: a member of organization B gets 404 on every route of a campaign of A', () => {
  const routes = (): [string, string, unknown?][] => [
    ['GET', `/api/orga/campaigns/${ids.campaign}`],
    ['PATCH', `/api/orga/campaigns/${ids.campaign}`, { name: 'pris' }],
    ['POST', `/api/orga/campaigns/${ids.campaign}/archive`],
    ['POST', `/api/orga/campaigns/${ids.campaign}/unarchive`],
    ['POST', '/api/orga/campaigns/deletion', { campaignIds: [ids.campaign] }],
    ['GET', `/api/orga/campaigns/${ids.campaign}/activity`],
    ['GET', `/api/orga/campaigns/${ids.campaign}/activity/participants`],
    ['GET', `/api/orga/campaigns/${ids.campaign}/results`],
    ['GET', `/api/orga/campaigns/${ids.campaign}/results/participants`],
    ['GET', `/api/orga/campaigns/${ids.campaign}/analysis`],
    ['GET', `/api/orga/campaigns/${ids.campaign}/participations/${ids.bob}`],
    ['GET', `/api/orga/campaigns/${ids.campaign}/export.csv`],
  ]
  it('refuses every route to B and to anonymous callers', async () => {
    for (const [method, path, body] of routes()) {
      expect([method, path, (await api('outsider', method, path, body)).status]).toEqual([method, path, 404])
      expect([method, path, (await api(null, method, path, body)).status]).toEqual([method, path, 401])
    }
  })
  it('finds a participation only under its own campaign', async () => {
    const other = (await api('admin', 'POST', '/api/orga/campaigns', { name: 'Autre', ownerId: ids.admin, type: 'ASSESSMENT', targetProfileId: 'tp_kit_survie' })).json
    expect((await api('admin', 'GET', `/api/orga/campaigns/${other.id}/participations/${ids.bob}`)).status).toBe(404)
    expect((await api('admin', 'GET', `/api/orga/campaigns/not-a-uuid`)).status).toBe(400)
  })
})

describe('read models on the seeded campaign', () => {
  it('Activité: counters over live participations, cumulative days, statuses, participant list', async () => {
    const { json } = await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/activity`)
    expect(json).toMatchObject({ participantsCount: 4, sharedCount: 2, byStatus: { started: 1, toShare: 1, shared: 2 }, notStarted: null })
    expect(json.byDay).toEqual([
      { day: '2026-01-08', started: 1, shared: 0 },
      { day: '2026-01-15', started: 1, shared: 1 },
      { day: '2026-01-18', started: 3, shared: 1 },
      { day: '2026-01-20', started: 4, shared: 2 },
    ])
    const list = (await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/activity/participants`)).json
    expect(list.participants.map((p: { lastName: string; status: string; participationCount: number }) => [p.lastName, p.status, p.participationCount])).toEqual([
      ['Bernard', 'STARTED', 1],
      ['Durand', 'SHARED', 1],
      ['Martin', 'SHARED', 2],
      ['Petit', 'TO_SHARE', 1],
    ])
    expect((await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/activity/participants?status=TO_SHARE`)).json.total).toBe(1)
    expect((await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/activity/participants?search=alice`)).json.participants[0].lastName).toBe('Martin')
    expect((await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/activity/participants?status=NOPE`)).status).toBe(400)
  })

  it('Résultats: average mastery, 10 bins, stages and average stage, badges, rows with filters', async () => {
    const { json } = await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/results`)
    expect(json.sharedParticipantsCount).toBe(2)
    expect(json.averageMasteryRate).toBeCloseTo((0.73 + 0.091) / 2, 5)
    expect(json.masteryDistribution).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0])
    expect(json.stages.map((s: { reachedStage: number; count: number; title: string }) => [s.reachedStage, s.count, s.title])).toEqual([
      [1, 1, 'À accompagner'],
      [2, 0, 'Niveau 1 acquis'],
      [3, 1, 'Niveau 2 acquis'],
      [4, 0, 'Autonome'],
    ])
    expect(json.averageStage).toBe(1)
    expect(json.badges).toEqual([
      { key: 'MOTS_DE_PASSE_SOLIDES', title: 'Mots de passe solides', count: 1 },
      { key: 'KIT_DE_SURVIE_VALIDE', title: 'Kit de survie validé', count: 1 },
    ])
    const rows = (await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/results/participants`)).json
    expect(rows.participants.map((r: { lastName: string; masteryRate: number; reachedStage: number; badges: string[]; sharedCount: number }) => [r.lastName, r.masteryRate, r.reachedStage, r.badges, r.sharedCount])).toEqual([
      ['Durand', expect.closeTo(0.091, 5), 1, [], 1],
      ['Martin', expect.closeTo(0.73, 5), 3, ['MOTS_DE_PASSE_SOLIDES', 'KIT_DE_SURVIE_VALIDE'], 2],
    ])
    const byStage = (await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/results/participants?stages=1`)).json
    expect(byStage.participants.map((r: { lastName: string }) => r.lastName)).toEqual(['Durand'])
    const byBadge = (await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/results/participants?badges=MOTS_DE_PASSE_SOLIDES`)).json
    expect(byBadge.participants.map((r: { lastName: string }) => r.lastName)).toEqual(['Martin'])
  })

  it('Analyse: tubes ranked by pertinence, collective mastery per competence', async () => {
    const { json } = await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/analysis`)
    expect(json.participantsCount).toBe(2)
    const tube = (name: string) => json.tubes.find((t: { tubeName: string }) => t.tubeName === name)
    // maxSkillLevel 4. Passwords [1..4]: Alice 40+30+20+10 = 100, Bob 30+30+15+7.5 = 82.5.
    expect(tube('motsDePasseAuthentification')).toMatchObject({ averageScore: 91.25, marks: 1 })
    // Phishing [1..3]: Alice {1}: 13.33+22.5+6.67+5 = 47.5, Bob nothing: 22.5.
    expect(tube('hameconnageArnaques')).toMatchObject({ averageScore: 35, marks: 3 })
    expect(tube('identiteNumerique')).toMatchObject({ averageScore: 22.5, marks: 4 })
    expect(json.tubes[0].averageScore).toBe(22.5)
    expect(json.tubes.at(-1).tubeName).toBe('motsDePasseAuthentification')
    expect(tube('identiteNumerique').tutorials.length).toBeGreaterThan(0)
    // 4.1: 7 skills; Alice 5 validated, Bob 3 → 4 on average → 57 %.
    expect(json.competences.find((c: { competenceCode: string }) => c.competenceCode === '4.1')).toMatchObject({ targetedSkillsCount: 7, averageValidatedSkills: 4, masteryPercentage: 57 })
  })

  it('participant detail: selector of sendings, results per competence and per tube; progression of one in progress', async () => {
    const { json } = await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/participations/${ids.aliceLive}`)
    expect(json.participations.map((p: { id: string; number: number }) => [p.id, p.number])).toEqual([[ids.aliceFirst, 1], [ids.aliceLive, 2]])
    expect(json.participation).toMatchObject({ firstName: 'Alice', lastName: 'Martin', participantExternalId: 'A-001', progression: 100 })
    expect(json.assessment).toMatchObject({ masteryRate: 0.73, validatedSkillsCount: 24, testedSkillsCount: 33, totalSkillsCount: 33, reachedStage: { reachedStage: 3, totalStage: 4 } })
    expect(json.assessment.competences.find((c: { code: string }) => c.code === '4.1')).toMatchObject({ validated: 5, total: 7 })
    expect(json.assessment.badges.every((b: { acquired: boolean }) => b.acquired)).toBe(true)
    const chloe = (await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/participations/${ids.chloe}`)).json
    expect(chloe.participation.progression).toBe(Math.round((5 * 100) / 33))
    expect(chloe.assessment).toBeNull()
  })
})

describe('CSV export', () => {
  it('streams Pix’s headers and one line per participation, NA when not shared, formulas neutralised', async () => {
    const res = await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/export.csv`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`Resultats-Kit de survie — groupe A (S2)-${ids.campaign}-2026-02-01-1000.csv`)}`)
    expect(res.text.charCodeAt(0)).toBe(0xfeff)
    const [headers, ...lines] = parse(res.text, { bom: true, delimiter: ';', relax_column_count: false }) as string[][]
    const competenceNames = ['1.1', '1.2', '2.1', '2.4', '4.1'].map((c) => referential.competenceByCode.get(c)!.name)
    const areaTitles = ['1', '2', '4'].map((a) => referential.areas.find((x) => x.code === a)!.title)
    expect(headers).toEqual([
      "Nom de l'organisation", 'ID Campagne', 'Code', 'Nom de la campagne', 'Parcours', 'Nom du Participant', 'Prénom du Participant',
      'Numéro étudiant', '% de progression', 'Date de début', 'Partage (O/N)', 'Date du partage', 'Palier obtenu (/3)',
      'Mots de passe solides obtenu (O/N)', 'Kit de survie validé obtenu (O/N)', "% maitrise de l'ensemble des acquis du profil",
      ...competenceNames.flatMap((n) => [`% de maitrise des acquis de la compétence ${n}`, `Nombre d'acquis du profil cible dans la compétence ${n}`, `Acquis maitrisés dans la compétence ${n}`]),
      ...areaTitles.flatMap((n) => [`% de maitrise des acquis du domaine ${n}`, `Nombre d'acquis du profil cible du domaine ${n}`, `Acquis maitrisés du domaine ${n}`]),
    ])
    expect(lines.map((l) => [l[5], l[6]])).toEqual([['Bernard', 'Chloé'], ['Durand', 'Bob'], ['Martin', 'Alice'], ['Martin', 'Alice'], ['Petit', 'David']])
    const start = ['Université A', ids.campaign, 'KITSUR234', 'Kit de survie — groupe A (S2)', tp.name]
    const na = Array.from({ length: 4 + 3 * 8 }, () => 'NA')
    expect(lines[0]).toEqual([...start, 'Bernard', 'Chloé', 'C-3', '0.15', '2026-01-18', 'Non', 'NA', ...na])
    expect(lines[1]!.slice(7, 16)).toEqual([`'=HYPERLINK("x")`, '1', '2026-01-08', 'Oui', '2026-01-15', '0', 'Non', 'Non', '0.091'])
    expect(lines[2]!.slice(7, 16)).toEqual(['A-001', '1', '2026-01-08', 'Oui', '2026-01-10', '1', 'Non', 'Non', '0.27'])
    // 1.1: 3/3, 1.2: 11/11, 2.1: 5/5, 2.4: 0/7, 4.1: 5/7; areas 1: 14/14, 2: 5/12, 4: 5/7.
    expect(lines[3]!.slice(7)).toEqual(['A-001', '1', '2026-01-18', 'Oui', '2026-01-20', '2', 'Oui', 'Oui', '0.73',
      '1', '3', '3', '1', '11', '11', '1', '5', '5', '0', '7', '0', '0.71', '7', '5',
      '1', '14', '14', '0.42', '12', '5', '0.71', '7', '5'])
    expect(lines[4]!.slice(7, 12)).toEqual(['D-4', '1', '2026-01-20', 'Non', 'NA'])
  })

  it('exports a profiles collection with levels and pix per competence', async () => {
    const c = await insertCampaign(db.db, { organizationId: ids.orgA, ownerId: ids.admin, type: 'PROFILES_COLLECTION', name: '+Collecte', code: 'COLLEC234' })
    const user = await insertUser(db.db, { firstName: 'Zoé', lastName: 'Roux' })
    const skills = [...referential.skills.values()].filter((s) => ['1.1', '1.2', '2.1', '2.2', '3.1'].includes(s.competenceCode) && s.level <= 2)
    await insertParticipation(db.db, { campaignId: c.id, userId: user.id, status: 'SHARED', createdAt: new Date('2026-01-02T10:00:00Z'), sharedAt: new Date('2026-01-03T10:00:00Z') }, { snapshot: skills.map((s) => ({ skillId: s.id, competenceCode: s.competenceCode, status: 'validated', earnedPix: s.pixValue })) })
    await insertParticipation(db.db, { campaignId: c.id, userId: (await insertUser(db.db, { lastName: 'Abel', firstName: 'Jo' })).id, status: 'STARTED' })
    const res = await api('admin', 'GET', `/api/orga/campaigns/${c.id}/export.csv`)
    const [headers, abel, roux] = parse(res.text, { bom: true, delimiter: ';' }) as string[][]
    expect(headers!.slice(0, 11)).toEqual(["Nom de l'organisation", 'ID Campagne', 'Code', 'Nom de la campagne', 'Nom du Participant', 'Prénom du Participant', 'Envoi (O/N)', "Date de l'envoi", 'Nombre de pix total', 'Certifiable (O/N)', 'Nombre de compétences certifiables'])
    expect(headers!.slice(11, 13)).toEqual([`Niveau pour la compétence ${referential.competences[0]!.name}`, `Nombre de pix pour la compétence ${referential.competences[0]!.name}`])
    expect(headers).toHaveLength(11 + 2 * 16)
    expect(abel!.slice(3, 11)).toEqual(["'+Collecte", 'Abel', 'Jo', 'Non', 'NA', 'NA', 'NA', 'NA'])
    expect(roux!.slice(6, 15)).toEqual(['Oui', '2026-01-03', '80', 'Oui', '5', '2', '16', '2', '16'])
  })

  it('adds « Groupe » and « Numéro Étudiant » once the organization knows its students (SUP), « Classe » for SCO', async () => {
    const schoolColumns = async () => {
      const [headers, ...lines] = parse((await api('member', 'GET', `/api/orga/campaigns/${ids.campaign}/export.csv`)).text, { bom: true, delimiter: ';' }) as string[][]
      return { headers: headers!.slice(5, 10), lines: lines.map((l) => l.slice(5, 9)) }
    }
    try {
      await db.db.update(organizationLearners).set({ group: 'L1 — groupe B', studentNumber: '=20260042' }).where(eq(organizationLearners.id, ids.aliceLearner))
      expect(await schoolColumns()).toEqual({
        headers: ['Nom du Participant', 'Prénom du Participant', 'Groupe', 'Numéro Étudiant', 'Numéro étudiant'],
        lines: [
          ['Bernard', 'Chloé', '', ''],
          ['Durand', 'Bob', '', ''],
          ['Martin', 'Alice', 'L1 — groupe B', "'=20260042"],
          ['Martin', 'Alice', 'L1 — groupe B', "'=20260042"],
          ['Petit', 'David', '', ''],
        ],
      })
      await db.db.update(organizations).set({ type: 'SCO' }).where(eq(organizations.id, ids.orgA))
      expect((await schoolColumns()).headers).toEqual(['Nom du Participant', 'Prénom du Participant', 'Classe', 'Numéro étudiant', '% de progression'])
      await db.db.update(organizations).set({ type: 'PRO' }).where(eq(organizations.id, ids.orgA))
      expect((await schoolColumns()).headers).toEqual(['Nom du Participant', 'Prénom du Participant', 'Numéro étudiant', '% de progression', 'Date de début'])
    } finally {
      await db.db.update(organizationLearners).set({ group: null, studentNumber: null }).where(eq(organizationLearners.id, ids.aliceLearner))
      await db.db.update(organizations).set({ type: 'SUP' }).where(eq(organizations.id, ids.orgA))
    }
  })
})
