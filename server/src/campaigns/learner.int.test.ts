/** The learner API on PostgreSQL: every participation and assessment rule, through HTTP. */
import type { RequestHandler } from 'express'
import { and, eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { listen, type TestServer } from '../../test/http'
import { addTestProfile, rightAnswer, wrongAnswer } from '../../test/learner'
import { testLogger } from '../../test/logger'
import { latestNonResetBySkill } from '../assessment/scoring'
import { loadReferential } from '../content/load-referential'
import type { Referential } from '../content/types'
import { answers, assessments, campaignParticipations, knowledgeElementSnapshots, knowledgeElements, memberships, organizations, users } from '../db/schema'
import { createApp } from '../http/app'
import { fixedClock } from '../shared/clock'
import { createCampaign } from './create-campaign'
import type { GradePassback, LearnerIdentity } from './learner-context'
import { learnerRoutes } from './learner.routes'

const ORG = '10000000-0000-4000-8000-000000000001'
const TEACHER = '20000000-0000-4000-8000-000000000001'
const DAY = 86_400_000
let db: TestDatabase
let server: TestServer
let referential: Referential
const clock = fixedClock('2026-09-01T08:00:00Z')
const grades: { kind: string; userId: string; participationId: string; value: string | number }[] = []
const identities = new Map<string, LearnerIdentity>()
let learnerCount = 0

const fakeGrades: GradePassback = {
  // Idempotent per participation and progress, as the outbox's keys make it.
  progress: async (_tx, l, participationId, progress) => {
    if (!fakeGrades.progressStored!(participationId, progress)) grades.push({ kind: 'progress', userId: l.userId, participationId, value: progress })
  },
  final: async (_tx, l, participationId, score) => void grades.push({ kind: 'final', userId: l.userId, participationId, value: score }),
  // As the outbox does: a progress already stored writes nothing again, and the answers after it skip their transaction.
  progressStored: (participationId, progress) => grades.some((g) => g.kind === 'progress' && g.participationId === participationId && g.value === progress),
}
// Stands in for lti's requireLearnerSession: the bearer token is a key of `identities`.
const fakeSession: RequestHandler = (req, _res, next) => {
  const id = identities.get((req.headers.authorization ?? '').replace('Bearer ', ''))
  if (!id) return next(Object.assign(new Error('no session'), { code: 'UNAUTHENTICATED' }))
  ;(req as unknown as { launch: LearnerIdentity }).launch = id
  next()
}

async function newLearner(over: Partial<LearnerIdentity> = {}): Promise<string> {
  learnerCount++
  const userId = `30000000-0000-4000-8000-${String(learnerCount).padStart(12, '0')}`
  await db.db.insert(users).values({ id: userId, firstName: `Élève${learnerCount}` })
  const token = `token-${learnerCount}`
  identities.set(token, { userId, organizationId: ORG, launchId: `launch-${learnerCount}`, ...over })
  return token
}

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/learner${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

function newCampaign(over: Partial<Parameters<typeof createCampaign>[0]> = {}) {
  return createCampaign(
    { organizationId: ORG, name: 'Rentrée', type: 'ASSESSMENT', targetProfileId: 'tp_test_short', ownerId: TEACHER, creatorId: TEACHER, ...over },
    { db: db.db, clock, targetProfileExists: (id) => referential.targetProfiles.has(id) },
  )
}

/** Answers until the end: `decide(challengeId, index)` says right or wrong. Returns the asked challenge ids. */
async function playUntilEnd(token: string, assessmentId: string, decide: (challengeId: string, i: number) => boolean): Promise<string[]> {
  const asked: string[] = []
  let state = (await call(token, 'GET', `/assessments/${assessmentId}`)).body
  for (let i = 0; i < 80 && state.step.kind !== 'completed'; i++) {
    if (state.step.kind !== 'challenge') {
      state = (await call(token, 'POST', `/assessments/${assessmentId}/start-challenge`, { challengeId: state.step.challengeId })).body
      continue
    }
    const ch = referential.challenges.get(state.step.challenge.id)!
    asked.push(ch.id)
    const value = decide(ch.id, asked.length - 1) ? rightAnswer(ch) : wrongAnswer(ch)
    const res = await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: ch.id, value })
    expect(res.status).toBe(201)
    state = res.body.state
  }
  expect(state.step.kind).toBe('completed')
  return asked
}

beforeAll(async () => {
  db = await createTestDatabase()
  referential = loadReferential()
  addTestProfile(referential, 'tp_test_short', [
    { tubeName: 'moteurRecherche', level: 3 },
    { tubeName: 'evaluationSource', level: 2 },
  ])
  await db.db.insert(organizations).values({ id: ORG, name: 'Université A' })
  await db.db.insert(users).values({ id: TEACHER })
  await db.db.insert(memberships).values({ organizationId: ORG, userId: TEACHER, role: 'ADMIN' })
  const app = createApp({
    logger: testLogger,
    version: 'test',
    pingDatabase: async () => true,
    serveClient: false,
    routers: [learnerRoutes({ db: db.db, clock, referential, retryDelayDays: 4, maxLevel: 5, grades: fakeGrades, requireLearner: fakeSession })],
  })
  server = await listen(app)
})
afterAll(async () => {
  await server?.close()
  await db?.drop()
})

describe('entering a campaign', () => {
  it('needs a session', async () => {
    expect((await call('nobody', 'GET', '/home')).status).toBe(401)
  })

  it('shows the landing page of a campaign found by its code, whatever the case', async () => {
    const c = await newCampaign({ title: 'Mener une recherche', customLandingPageText: '**Bonne chance** !' })
    const token = await newLearner()
    const res = await call(token, 'GET', `/campaigns/${c.code.toLowerCase()}`)
    expect(res.status).toBe(200)
    expect(res.body.campaign).toMatchObject({ code: c.code, title: 'Mener une recherche', landingText: '**Bonne chance** !', status: 'active' })
    expect(res.body).toMatchObject({ hasSeenRules: false, participation: null })
    expect((await call(token, 'GET', '/campaigns/NOPENO999')).body.error.code).toBe('CAMPAIGN_NOT_FOUND')
  })

  it('gives the campaign of the LMS activity on the home', async () => {
    const c = await newCampaign()
    const token = await newLearner({ campaignId: c.id })
    expect((await call(token, 'GET', '/home')).body).toMatchObject({ launchCampaignCode: c.code, participations: [] })
  })

  it('refuses to start an archived campaign (410) and says when it was deleted', async () => {
    const archived = await newCampaign()
    await db.db.update(campaignsTable()).set({ archivedAt: clock.now() }).where(eq(campaignsTable().id, archived.id))
    const deleted = await newCampaign()
    await db.db.update(campaignsTable()).set({ deletedAt: clock.now() }).where(eq(campaignsTable().id, deleted.id))
    const token = await newLearner()
    const a = await call(token, 'POST', `/campaigns/${archived.code}/participations`, {})
    expect([a.status, a.body.error.code]).toEqual([410, 'CAMPAIGN_ARCHIVED'])
    expect((await call(token, 'GET', `/campaigns/${archived.code}`)).body.campaign.status).toBe('archived')
    const d = await call(token, 'POST', `/campaigns/${deleted.code}/participations`, {})
    expect([d.status, d.body.error.code]).toEqual([410, 'CAMPAIGN_DELETED'])
  })

  it('asks for the external id with the campaign label, checks e-mails, and stores it', async () => {
    const c = await newCampaign({ externalIdLabel: 'Adresse e-mail de l’université', externalIdType: 'EMAIL' })
    const token = await newLearner()
    const missing = await call(token, 'POST', `/campaigns/${c.code}/participations`, {})
    expect([missing.status, missing.body.error.code]).toEqual([422, 'MISSING_EXTERNAL_ID'])
    const bad = await call(token, 'POST', `/campaigns/${c.code}/participations`, { participantExternalId: 'pas-un-email' })
    expect([bad.status, bad.body.error.code]).toEqual([422, 'INVALID_EXTERNAL_ID'])
    const ok = await call(token, 'POST', `/campaigns/${c.code}/participations`, { participantExternalId: ' ada@univ.fr ' })
    expect(ok.status).toBe(201)
    const view = (await call(token, 'GET', `/campaigns/${c.code}`)).body
    expect(view.participation).toMatchObject({ status: 'STARTED', participantExternalId: 'ada@univ.fr', assessmentId: ok.body.assessmentId })
  })

  it('takes the external id from the launch when the platform maps it', async () => {
    const c = await newCampaign({ externalIdLabel: 'Numéro étudiant' })
    const token = await newLearner({ externalId: 'E12345' })
    expect((await call(token, 'GET', `/campaigns/${c.code}`)).body.campaign.externalIdKnown).toBe(true)
    const res = await call(token, 'POST', `/campaigns/${c.code}/participations`, {})
    expect(res.status).toBe(201)
    expect((await call(token, 'GET', `/campaigns/${c.code}`)).body.participation.participantExternalId).toBe('E12345')
    // A student number is no e-mail: an EMAIL campaign asks for one.
    const email = await newCampaign({ externalIdLabel: 'E-mail', externalIdType: 'EMAIL' })
    expect((await call(token, 'GET', `/campaigns/${email.code}`)).body.campaign.externalIdKnown).toBe(false)
    expect((await call(token, 'POST', `/campaigns/${email.code}/participations`, {})).body.error.code).toBe('MISSING_EXTERNAL_ID')
  })

  it('never creates two participations: entering again resumes the live one, even concurrently', async () => {
    const c = await newCampaign()
    const token = await newLearner()
    const [a, b] = await Promise.all([
      call(token, 'POST', `/campaigns/${c.code}/participations`, {}),
      call(token, 'POST', `/campaigns/${c.code}/participations`, {}),
    ])
    expect(a.body.participationId).toBe(b.body.participationId)
    expect([a.status, b.status].sort()).toEqual([200, 201])
    const again = await call(token, 'POST', `/campaigns/${c.code}/participations`, {})
    expect(again.body).toMatchObject({ participationId: a.body.participationId, created: false })
  })
})

describe('the test', () => {
  it('runs to the end with a checkpoint after 5 answers, then shows the rules as seen', async () => {
    const c = await newCampaign({ targetProfileId: 'tp_competence_1_1' })
    const token = await newLearner({ campaignId: c.id })
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    let state = (await call(token, 'GET', `/assessments/${assessmentId}`)).body
    let answered = 0
    let sawCheckpoint = false
    while (state.step.kind !== 'completed') {
      if (state.step.kind === 'checkpoint') {
        sawCheckpoint = true
        expect(state.answeredCount % 5).toBe(0)
        const reviews = (await call(token, 'GET', `/assessments/${assessmentId}/reviews?scope=checkpoint`)).body.answers
        expect(reviews).toHaveLength(5)
        expect(reviews[0]).toEqual(expect.objectContaining({ result: expect.stringMatching(/ok|ko|skipped/), correction: expect.any(Object) }))
        expect(reviews[0].tutorials.length).toBeGreaterThan(0)
        // A reload at the checkpoint stays on the checkpoint.
        expect((await call(token, 'GET', `/assessments/${assessmentId}`)).body.step.kind).toBe('checkpoint')
      }
      if (state.step.kind !== 'challenge') {
        const challengeId = state.step.challengeId
        state = (await call(token, 'POST', `/assessments/${assessmentId}/start-challenge`, { challengeId })).body
        expect(state.step.kind).toBe('challenge')
        // Starting it again later (a second tab, a retried request) keeps the time it was first shown.
        clock.advance(2_000)
        const again = (await call(token, 'POST', `/assessments/${assessmentId}/start-challenge`, { challengeId })).body
        expect(again.step.askedAt).toBe(state.step.askedAt)
        continue
      }
      // No solution ever reaches the client before the answer.
      expect(JSON.stringify(state.step.challenge)).not.toMatch(/solution/)
      const ch = referential.challenges.get(state.step.challenge.id)!
      const value = answered === 2 ? '#ABAND#' : answered % 2 ? wrongAnswer(ch) : rightAnswer(ch)
      const res = await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: ch.id, value })
      expect(res.status).toBe(201)
      if (answered === 2) expect(res.body.answer.result).toBe('skipped')
      answered++
      state = res.body.state
      expect(state.answeredCount).toBe(answered)
    }
    expect(sawCheckpoint).toBe(true)
    expect(answered).toBeGreaterThanOrEqual(6)
    expect((await call(token, 'GET', `/campaigns/${c.code}`)).body).toMatchObject({ hasSeenRules: true, participation: { status: 'TO_SHARE' } })
    const all = (await call(token, 'GET', `/assessments/${assessmentId}/reviews?scope=all`)).body.answers
    expect(all).toHaveLength(answered)
    // Progress is reported with the first answer; the later ones know it is stored and write no more of it.
    expect(grades.filter((g) => g.userId === identities.get(token)!.userId).map((g) => g.value)).toEqual(['Started', 'InProgress'])
  })

  // The first answer is written in a transaction with the AGS progress; later ones by a guarded write alone.
  it.each([
    ['the first answer (locked row, with its progress)', 0],
    ['a later answer (no transaction)', 2],
  ])('records a double-clicked or retried answer once and returns the same outcome: %s', async (_label, answeredBefore) => {
    const c = await newCampaign({ targetProfileId: 'tp_competence_1_1' })
    const token = await newLearner({ campaignId: c.id })
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    const current = async () => {
      const state = (await call(token, 'GET', `/assessments/${assessmentId}`)).body
      return state.step.kind === 'challenge' ? state : (await call(token, 'POST', `/assessments/${assessmentId}/start-challenge`, { challengeId: state.step.challengeId })).body
    }
    for (let i = 0; i < answeredBefore; i++) {
      const state = await current()
      const ch = referential.challenges.get(state.step.challenge.id)!
      expect((await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: ch.id, value: rightAnswer(ch) })).status).toBe(201)
    }
    const ch = referential.challenges.get((await current()).step.challenge.id)!
    const body = { challengeId: ch.id, value: rightAnswer(ch) }
    const results = await Promise.all([1, 2, 3].map(() => call(token, 'POST', `/assessments/${assessmentId}/answers`, body)))
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201])
    expect(new Set(results.map((r) => r.body.answer.result))).toEqual(new Set(['ok']))
    expect(results.filter((r) => r.body.alreadyRecorded)).toHaveLength(2)
    // All three see the same next step.
    expect(new Set(results.map((r) => JSON.stringify(r.body.state.step)))).toHaveProperty('size', 1)
    expect(await db.db.select().from(answers).where(and(eq(answers.assessmentId, assessmentId), eq(answers.challengeId, ch.id)))).toHaveLength(1)
    expect(await db.db.select().from(answers).where(eq(answers.assessmentId, assessmentId))).toHaveLength(answeredBefore + 1)
    // Its knowledge elements are written once (jalon-bayes may ask a skill twice: not every answer brings a direct KE).
    const kes = await db.db.select().from(knowledgeElements).where(eq(knowledgeElements.assessmentId, assessmentId))
    expect(new Set(kes.map((k) => `${k.answerId}|${k.skillId}`)).size).toBe(kes.length)
    // A retried request later, with another value, still returns the first outcome.
    const late = await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: ch.id, value: wrongAnswer(ch) })
    expect(late.body).toMatchObject({ alreadyRecorded: true, answer: { result: 'ok' } })
  })

  it('refuses an answer to another challenge than the current one, and a malformed value', async () => {
    const c = await newCampaign()
    const token = await newLearner()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    const state = (await call(token, 'GET', `/assessments/${assessmentId}`)).body
    const other = await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: 'ch_autre_1_1', value: '1' })
    expect([other.status, other.body.error.code]).toEqual([409, 'CHALLENGE_NOT_ASKED'])
    const id = state.step.challenge?.id ?? state.step.challengeId
    const ch = referential.challenges.get(id)!
    const bad = ch.type === 'QCU' || ch.type === 'QCM' ? '99' : { nope: 'x' }
    const res = await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: id, value: bad })
    expect(res.status).toBe(400)
  })

  it('times out a timed challenge answered too late, whatever the client says', async () => {
    const c = await newCampaign({ targetProfileId: 'tp_competence_1_1' })
    const token = await newLearner()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    let state = (await call(token, 'GET', `/assessments/${assessmentId}`)).body
    for (let i = 0; i < 30 && state.step.kind !== 'timed-warning'; i++) {
      if (state.step.kind === 'completed') return // this seed asks no timed challenge: covered elsewhere
      if (state.step.kind === 'checkpoint') {
        state = (await call(token, 'POST', `/assessments/${assessmentId}/start-challenge`, { challengeId: state.step.challengeId })).body
        continue
      }
      const ch = referential.challenges.get(state.step.challenge.id)!
      state = (await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: ch.id, value: rightAnswer(ch) })).body.state
    }
    if (state.step.kind !== 'timed-warning') return
    expect(state.step.timer).toBeGreaterThan(0)
    state = (await call(token, 'POST', `/assessments/${assessmentId}/start-challenge`, { challengeId: state.step.challengeId })).body
    expect(state.step.remainingSeconds).toBe(state.step.challenge.timer)
    clock.advance((state.step.challenge.timer + 10) * 1000)
    const ch = referential.challenges.get(state.step.challenge.id)!
    const res = await call(token, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: ch.id, value: rightAnswer(ch) })
    expect(res.body.answer.result).toBe('timedout')
  })

  it('never lets a learner read or answer another learner’s assessment', async () => {
    const c = await newCampaign()
    const owner = await newLearner()
    const intruder = await newLearner()
    const { assessmentId } = (await call(owner, 'POST', `/campaigns/${c.code}/participations`, {})).body
    const state = (await call(owner, 'GET', `/assessments/${assessmentId}`)).body
    expect((await call(intruder, 'GET', `/assessments/${assessmentId}`)).status).toBe(404)
    expect((await call(intruder, 'GET', `/assessments/${assessmentId}/reviews?scope=all`)).status).toBe(404)
    const id = state.step.challenge?.id ?? state.step.challengeId
    const res = await call(intruder, 'POST', `/assessments/${assessmentId}/answers`, { challengeId: id, value: '#ABAND#' })
    expect([res.status, res.body.error.code]).toEqual([404, 'ASSESSMENT_NOT_FOUND'])
    expect((await call(intruder, 'GET', `/campaigns/${c.code}`)).body.participation).toBeNull()
  })
})

describe('results and sharing', () => {
  it('refuses to share before the end, then shares once: snapshot, frozen mastery, final score to the LMS', async () => {
    const c = await newCampaign()
    const token = await newLearner({ campaignId: c.id })
    const userId = identities.get(token)!.userId
    const { assessmentId, participationId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    const early = await call(token, 'POST', `/campaigns/${c.code}/share`)
    expect([early.status, early.body.error.code]).toEqual([409, 'ASSESSMENT_NOT_COMPLETED'])
    await playUntilEnd(token, assessmentId, (_id, i) => i % 2 === 0)
    const before = (await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results
    expect(before).toMatchObject({ status: 'TO_SHARE', canShare: true })
    expect(before.assessment.stage).toMatchObject({ title: expect.any(String), message: expect.any(String) })
    expect(before.assessment.competences.length).toBeGreaterThan(0)

    const shared = await call(token, 'POST', `/campaigns/${c.code}/share`)
    expect(shared.body).toMatchObject({ status: 'SHARED', alreadyShared: false, masteryRate: before.assessment.masteryRate })
    const [row] = await db.db.select().from(campaignParticipations).where(eq(campaignParticipations.id, participationId))
    expect(row).toMatchObject({ status: 'SHARED', masteryRate: before.assessment.masteryRate, validatedSkillsCount: before.assessment.validatedSkills })
    expect(await db.db.select().from(knowledgeElementSnapshots).where(eq(knowledgeElementSnapshots.campaignParticipationId, participationId))).toHaveLength(1)
    expect(grades.filter((g) => g.userId === userId && g.kind === 'final')).toEqual([
      { kind: 'final', userId, participationId, value: Math.round(before.assessment.masteryRate * 100) },
    ])
    expect((await call(token, 'POST', `/campaigns/${c.code}/share`)).body.alreadyShared).toBe(true)
    expect(grades.filter((g) => g.userId === userId && g.kind === 'final')).toHaveLength(1)

    // Knowledge gained later does not change shared results.
    const skillId = referential.targetProfiles.get('tp_test_short')!.skillIds[0]!
    await db.db.insert(knowledgeElements).values({ userId, skillId, competenceCode: '1.1', status: 'reset', source: 'direct', earnedPix: 0, createdAt: clock.now() })
    const after = (await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results
    expect(after.assessment.masteryRate).toBe(before.assessment.masteryRate)
    expect(after.assessment.validatedSkills).toBe(before.assessment.validatedSkills)
  })

  it('refuses to share in an archived campaign', async () => {
    const c = await newCampaign()
    const token = await newLearner()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    await playUntilEnd(token, assessmentId, () => true)
    await db.db.update(campaignsTable()).set({ archivedAt: clock.now() }).where(eq(campaignsTable().id, c.id))
    const res = await call(token, 'POST', `/campaigns/${c.code}/share`)
    expect([res.status, res.body.error.code]).toEqual([410, 'CAMPAIGN_ARCHIVED'])
    expect((await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results).toMatchObject({ disabled: true, canShare: false })
  })
})

describe('trying again', () => {
  it('"Je retente": only after the delay, and only failed or skipped skills come back', async () => {
    const c = await newCampaign()
    const token = await newLearner()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    const first = await playUntilEnd(token, assessmentId, (_id, i) => i % 2 === 1)
    const userId = identities.get(token)!.userId
    const validatedBefore = new Set(
      [...latestNonResetBySkill(await db.db.select().from(knowledgeElements).where(eq(knowledgeElements.userId, userId))).values()]
        .filter((k) => k.status === 'validated')
        .map((k) => k.skillId),
    )
    expect(first.length).toBeGreaterThan(0)
    const early = await call(token, 'POST', `/campaigns/${c.code}/retry`)
    expect([early.status, early.body.error.code]).toEqual([409, 'RETRY_NOT_ALLOWED'])
    const results = (await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results
    expect(results.retry).toMatchObject({ allowed: false, reason: 'TOO_EARLY', remainingSeconds: 4 * 86400 })

    clock.advance(4 * DAY + 1000)
    expect((await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results.retry).toEqual({ allowed: true })
    const retry = await call(token, 'POST', `/campaigns/${c.code}/retry`)
    expect(retry.status).toBe(201)
    expect((await call(token, 'GET', `/campaigns/${c.code}`)).body.participation).toMatchObject({ status: 'STARTED', assessmentId: retry.body.assessmentId })
    const second = await playUntilEnd(token, retry.body.assessmentId, () => true)
    expect(second.length).toBeGreaterThan(0)
    for (const id of second) expect(validatedBefore.has(referential.challenges.get(id)!.skillId)).toBe(false)
    expect((await call(token, 'GET', `/campaigns/${c.code}`)).body.participation.status).toBe('TO_SHARE')
  })

  it('"Repasser mon parcours" needs multiple sendings, the delay, and marks the previous participation improved', async () => {
    const single = await newCampaign()
    const multi = await newCampaign({ multipleSendings: true, externalIdLabel: 'Numéro' })
    const token = await newLearner()
    for (const c of [single, multi]) {
      const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, { participantExternalId: 'N42' })).body
      await playUntilEnd(token, assessmentId, () => false)
      await call(token, 'POST', `/campaigns/${c.code}/share`)
    }
    const none = await call(token, 'POST', `/campaigns/${single.code}/improve`)
    expect([none.status, none.body.error.code]).toEqual([409, 'RETRY_NOT_ALLOWED'])
    expect((await call(token, 'GET', `/campaigns/${single.code}/results`)).body.results.improve.reason).toBe('NO_MULTIPLE_SENDINGS')
    expect((await call(token, 'GET', `/campaigns/${multi.code}/results`)).body.results.improve.reason).toBe('TOO_EARLY')
    expect((await call(token, 'POST', `/campaigns/${multi.code}/improve`)).status).toBe(409)

    clock.advance(4 * DAY + 1000)
    const previous = (await call(token, 'GET', `/campaigns/${multi.code}`)).body.participation
    const improved = await call(token, 'POST', `/campaigns/${multi.code}/improve`)
    expect(improved.status).toBe(201)
    expect(improved.body.participationId).not.toBe(previous.id)
    const rows = await db.db.select().from(campaignParticipations).where(eq(campaignParticipations.campaignId, multi.id))
    expect(rows.find((r) => r.id === previous.id)).toMatchObject({ isImproved: true, status: 'SHARED' })
    expect(rows.find((r) => r.id === improved.body.participationId)).toMatchObject({ isImproved: false, status: 'STARTED', participantExternalId: 'N42' })
  })

  it('a learner who mastered everything cannot retry, but may reset when the profile allows it', async () => {
    const c = await newCampaign({ multipleSendings: true })
    const token = await newLearner()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    await playUntilEnd(token, assessmentId, () => true)
    const results = (await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results
    expect(results.assessment.masteryRate).toBe(1)
    expect(results.retry.reason).toBe('EVERYTHING_MASTERED')
    await call(token, 'POST', `/campaigns/${c.code}/share`)
    clock.advance(4 * DAY + 1000)
    const shared = (await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results
    expect(shared.improve.reason).toBe('EVERYTHING_MASTERED')
    expect(shared.reset).toEqual({ allowed: true })
    expect((await call(token, 'POST', `/campaigns/${c.code}/improve`)).status).toBe(409)

    const reset = await call(token, 'POST', `/campaigns/${c.code}/reset`)
    expect(reset.status).toBe(201)
    const asked = await playUntilEnd(token, reset.body.assessmentId, () => true)
    expect(asked.length).toBeGreaterThan(0) // everything is asked again
  })

  it('refuses a reset when the target profile does not allow it', async () => {
    addTestProfile(referential, 'tp_test_no_reset', [{ tubeName: 'moteurRecherche', level: 2 }], { areKnowledgeElementsResettable: false })
    const c = await newCampaign({ multipleSendings: true, targetProfileId: 'tp_test_no_reset' })
    const token = await newLearner()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    await playUntilEnd(token, assessmentId, () => false)
    await call(token, 'POST', `/campaigns/${c.code}/share`)
    clock.advance(5 * DAY)
    const res = await call(token, 'POST', `/campaigns/${c.code}/reset`)
    expect([res.status, res.body.error.code]).toEqual([409, 'RETRY_NOT_ALLOWED'])
  })
})

describe('profiles collection', () => {
  it('sends a snapshot of the whole profile once, unless multiple sendings', async () => {
    const once = await newCampaign({ type: 'PROFILES_COLLECTION', targetProfileId: null })
    const multi = await newCampaign({ type: 'PROFILES_COLLECTION', targetProfileId: null, multipleSendings: true })
    const token = await newLearner()
    // Some knowledge first, from an assessment campaign.
    const a = await newCampaign()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${a.code}/participations`, {})).body
    await playUntilEnd(token, assessmentId, () => true)

    for (const c of [once, multi]) {
      const start = await call(token, 'POST', `/campaigns/${c.code}/participations`, {})
      expect(start.body).toMatchObject({ status: 'TO_SHARE', assessmentId: null })
      const shared = await call(token, 'POST', `/campaigns/${c.code}/share`)
      expect(shared.body.status).toBe('SHARED')
      const [row] = await db.db.select().from(campaignParticipations).where(eq(campaignParticipations.id, start.body.participationId))
      expect(row!.pixScore).toBeGreaterThan(0)
      expect(row!.isCertifiable).toBe(false)
      const results = (await call(token, 'GET', `/campaigns/${c.code}/results`)).body.results
      expect(results.profile.competences).toHaveLength(16)
      expect(results.profile.totalPix).toBe(row!.pixScore)
    }
    expect((await call(token, 'POST', `/campaigns/${once.code}/improve`)).status).toBe(409)
    const again = await call(token, 'POST', `/campaigns/${multi.code}/improve`)
    expect(again.body).toMatchObject({ status: 'TO_SHARE' })
    expect((await call(token, 'POST', `/campaigns/${multi.code}/share`)).body.alreadyShared).toBe(false)
  })
})

describe('the learner profile', () => {
  it('resets a competence once 7 days have passed since its latest knowledge element, and starts it again from zero', async () => {
    const token = await newLearner()
    const userId = identities.get(token)!.userId
    const card = async (code: string) => ((await call(token, 'GET', '/profile')).body.competences as { code: string; level: number; pixScore: number; remainingDaysBeforeReset: number | null; ongoingAssessmentId: string | null }[]).find((c) => c.code === code)!
    expect((await card('1.1')).remainingDaysBeforeReset).toBeNull()
    const nothing = await call(token, 'POST', '/competences/1.1/reset')
    expect([nothing.status, nothing.body.error.code]).toEqual([409, 'COMPETENCE_RESET_NOT_ALLOWED'])
    expect((await call(token, 'POST', '/competences/9.9/reset')).status).toBe(400)

    const first = (await call(token, 'POST', '/competence-evaluations', { competenceCode: '1.1' })).body.assessmentId
    await playUntilEnd(token, first, () => true)
    const played = await card('1.1')
    expect(played.pixScore).toBeGreaterThan(0)
    expect(played.remainingDaysBeforeReset).toBe(7)
    const others = (await call(token, 'GET', '/profile')).body.competences.filter((c: { code: string }) => c.code !== '1.1')

    clock.advance(3 * DAY + 60_000)
    expect((await card('1.1')).remainingDaysBeforeReset).toBe(4)
    const early = await call(token, 'POST', '/competences/1.1/reset')
    expect([early.status, early.body.error.message]).toEqual([409, 'La remise à zéro sera possible dans 4 jours.'])

    clock.advance(4 * DAY)
    // A test on the competence in progress is abandoned by the reset.
    const ongoing = (await call(token, 'POST', '/competence-evaluations', { competenceCode: '1.1' })).body.assessmentId
    expect((await card('1.1')).remainingDaysBeforeReset).toBe(0)
    // A double click resets once.
    const both = await Promise.all([1, 2].map(() => call(token, 'POST', '/competences/1.1/reset')))
    expect(both.map((r) => r.status).sort()).toEqual([204, 409])
    expect(await card('1.1')).toMatchObject({ level: 0, pixScore: 0, remainingDaysBeforeReset: null, ongoingAssessmentId: null })
    expect((await call(token, 'GET', '/profile')).body.competences.filter((c: { code: string }) => c.code !== '1.1')).toEqual(others)
    const [aborted] = await db.db.select().from(assessments).where(eq(assessments.id, ongoing))
    expect(aborted!.state).toBe('aborted')
    const kes11 = (await db.db.select().from(knowledgeElements).where(eq(knowledgeElements.userId, userId))).filter((k) => k.competenceCode === '1.1')
    expect(latestNonResetBySkill(kes11).size).toBe(0)
    expect(kes11.filter((k) => k.status === 'reset').length).toBe(new Set(kes11.map((k) => k.skillId)).size)

    // The next test starts from zero: a new one, not an improvement, which asks again what was validated.
    const next = await call(token, 'POST', '/competence-evaluations', { competenceCode: '1.1' })
    expect(next.status).toBe(201)
    const [row] = await db.db.select().from(assessments).where(eq(assessments.id, next.body.assessmentId))
    expect(row!.isImproving).toBe(false)
    const state = (await call(token, 'GET', `/assessments/${next.body.assessmentId}`)).body
    expect(state).toMatchObject({ answeredCount: 0, progress: 0 })
  })

  it('shows 16 competences, accumulates knowledge across tests, and keeps saved tutorials', async () => {
    const token = await newLearner()
    const c = await newCampaign()
    const { assessmentId } = (await call(token, 'POST', `/campaigns/${c.code}/participations`, {})).body
    await playUntilEnd(token, assessmentId, () => true)
    const userId = identities.get(token)!.userId
    const validated = new Set(
      [...latestNonResetBySkill(await db.db.select().from(knowledgeElements).where(eq(knowledgeElements.userId, userId))).values()]
        .filter((k) => k.status === 'validated')
        .map((k) => k.skillId),
    )
    const profile = (await call(token, 'GET', '/profile')).body
    expect(profile.competences).toHaveLength(16)
    expect(profile.totalPix).toBeGreaterThan(0)
    expect(profile.isCertifiable).toBe(false)

    const started = await call(token, 'POST', '/competence-evaluations', { competenceCode: '1.1' })
    expect(started.status).toBe(201)
    expect((await call(token, 'POST', '/competence-evaluations', { competenceCode: '1.1' })).body).toEqual({ assessmentId: started.body.assessmentId, resumed: true })
    expect((await call(token, 'GET', '/profile')).body.competences[0].ongoingAssessmentId).toBe(started.body.assessmentId)
    clock.advance(1000)
    const asked = await playUntilEnd(token, started.body.assessmentId, () => false)
    for (const id of asked) expect(validated.has(referential.challenges.get(id)!.skillId)).toBe(false)
    expect((await call(token, 'POST', '/competence-evaluations', { competenceCode: '9.9' })).status).toBe(400)

    const tutorialId = [...referential.tutorials.keys()][0]!
    expect((await call(token, 'PUT', `/saved-tutorials/${tutorialId}`)).status).toBe(204)
    expect((await call(token, 'PUT', `/saved-tutorials/${tutorialId}`)).status).toBe(204)
    expect((await call(token, 'GET', '/profile')).body.savedTutorials.map((t: { id: string }) => t.id)).toEqual([tutorialId])
    expect((await call(token, 'DELETE', `/saved-tutorials/${tutorialId}`)).status).toBe(204)
    expect((await call(token, 'GET', '/profile')).body.savedTutorials).toEqual([])
    expect((await call(token, 'PUT', '/saved-tutorials/tuto_inconnu')).status).toBe(404)
  })
})

// Imported lazily to keep the header of this file about the journey.
function campaignsTable() {
  return require('../db/schema').campaigns as typeof import('../db/schema').campaigns
}
