/**
 * Simulated students for the demo campaigns, so Jalon Orga's Activité / Résultats / Analyse tabs have something
 * to show on a fresh `npm start`. They go through Jalon's own use cases, like learners launched from the LMS:
 * the organization imports its TD list (student numbers, groups), each student starts the campaign, answers the
 * adaptive test challenge after challenge (right, wrong or skipped, with a probability of success driven by the
 * student's ability and the skill's level, as in the engine simulator), then shares — or not. Students who did
 * the test also send their profile to the profiles collection; two of them take the test again (multiple sendings).
 *
 * Deterministic: a fixed seed decides abilities and answers (keyed on student and challenge); the engine itself
 * seeds each test from its assessment id, so the exact challenges asked may vary from one data dir to another.
 * Each student has their own controlled clock, so dates spread over the 10 days before the seeding.
 * The two demo campaigns, just created, are dated 10 days back (before their first participants).
 * No grade passback: these students did not come from the LMS. Idempotent: nothing is done when the
 * assessment campaign already has participations.
 */
import { and, count, eq, gt, inArray } from 'drizzle-orm'
import { getAssessmentState, startChallenge, submitAnswer, type AssessmentState } from '../../server/src/assessment'
import { defaultLearnerModel, successProbability } from '../../server/src/assessment/engine/simulate'
import { hashString, mixSeeds, mulberry32, normal, toUnit } from '../../server/src/assessment/engine/prng'
import {
  getCampaignByCode,
  improveParticipation,
  shareParticipation,
  startParticipation,
  type Campaign,
  type LearnerIdentity,
  type ParticipationDeps,
} from '../../server/src/campaigns'
import { SKIP_VALUE } from '../../server/src/content/answer-validation'
import { loadReferential } from '../../server/src/content/load-referential'
import type { Challenge, Referential } from '../../server/src/content/types'
import type { Db } from '../../server/src/db/client'
import { campaignParticipations, campaigns } from '../../server/src/db/schema'
import { createUser, DEMO_IDS } from '../../server/src/organizations'
import { importLearners } from '../../server/src/organizations/learners/import-learners'
import { fixedClock } from '../../server/src/shared/clock'

export const DEMO_ASSESSMENT_CODE = 'RENTRE234'
export const DEMO_PROFILES_CODE = 'PRFLCT234'
const SEED = 20260901
const DAY = 86_400_000
const MINUTE = 60_000

type Outcome =
  /** Shared the results. */
  | 'shared'
  /** Finished the test, did not click "J'envoie mes résultats". */
  | 'to-share'
  /** Stopped in the middle of the test. */
  | 'started'

interface DemoStudent {
  firstName: string | null
  lastName: string | null
  /** Imported by the organization (with the group) and sent by the "LMS" as the external id. */
  studentNumber?: string
  group?: 'TD1' | 'TD2'
  birthdate?: string
  outcome: Outcome
  /** Shares, then takes the test again a few days later (multiple sendings) and shares again. */
  secondParticipation?: boolean
  /** Sends the profile to the profiles collection (only students who finished the test). */
  sendsProfile?: boolean
}

/** 24 students of the demo organization, in the order they started (about 10 days ago → today). */
export const DEMO_STUDENTS: readonly DemoStudent[] = [
  { firstName: 'Manon', lastName: 'Lefèvre', studentNumber: '22401001', group: 'TD1', birthdate: '2006-03-14', outcome: 'shared', secondParticipation: true, sendsProfile: true },
  { firstName: 'Lucas', lastName: 'Moreau', studentNumber: '22401002', group: 'TD1', birthdate: '2005-11-02', outcome: 'shared', sendsProfile: true },
  { firstName: 'Chloé', lastName: 'Fournier', studentNumber: '22401003', group: 'TD1', birthdate: '2006-07-21', outcome: 'shared', secondParticipation: true, sendsProfile: true },
  { firstName: 'Nathan', lastName: 'Girard', outcome: 'shared', sendsProfile: true },
  { firstName: 'Emma', lastName: 'Dubois', studentNumber: '22401004', group: 'TD1', birthdate: '2006-01-30', outcome: 'shared', sendsProfile: true },
  { firstName: 'Yanis', lastName: 'Benali', outcome: 'shared', sendsProfile: true },
  { firstName: 'Camille', lastName: 'Roux', studentNumber: '22401005', group: 'TD2', birthdate: '2005-09-18', outcome: 'shared', sendsProfile: true },
  { firstName: 'Théo', lastName: 'Lambert', outcome: 'shared', sendsProfile: true },
  { firstName: null, lastName: null, outcome: 'shared', sendsProfile: true },
  { firstName: 'Jade', lastName: 'Bonnet', studentNumber: '22401006', group: 'TD2', birthdate: '2006-05-09', outcome: 'shared', sendsProfile: true },
  { firstName: 'Louis', lastName: 'Mercier', outcome: 'shared' },
  { firstName: 'Sarah', lastName: 'Nguyen', studentNumber: '22401007', group: 'TD2', birthdate: '2006-02-25', outcome: 'shared', sendsProfile: true },
  { firstName: 'Adam', lastName: 'Chevalier', outcome: 'shared', sendsProfile: true },
  { firstName: 'Zoé', lastName: 'Faure', outcome: 'shared', sendsProfile: true },
  { firstName: 'Gabriel', lastName: 'Rousseau', studentNumber: '22401008', group: 'TD2', birthdate: '2005-12-12', outcome: 'shared', sendsProfile: true },
  { firstName: 'Lina', lastName: 'Garnier', outcome: 'shared', sendsProfile: true },
  { firstName: 'Hugo', lastName: 'Blanc', outcome: 'to-share', sendsProfile: true },
  { firstName: 'Alice', lastName: 'Perrin', outcome: 'shared' },
  { firstName: null, lastName: null, outcome: 'started' },
  { firstName: 'Raphaël', lastName: 'Morel', outcome: 'shared', sendsProfile: true },
  { firstName: 'Inès', lastName: 'Haddad', outcome: 'to-share' },
  { firstName: 'Mathis', lastName: 'Robin', outcome: 'started' },
  { firstName: 'Léna', lastName: 'Gauthier', outcome: 'shared', sendsProfile: true },
  { firstName: 'Tom', lastName: 'Marchand', outcome: 'started' },
]

export interface SeedDemoParticipationsDeps {
  db: Db
  /** RETRY_DELAY_DAYS and MAX_REACHABLE_LEVEL of the running Jalon. */
  retryDelayDays: number
  maxLevel: number
  referential?: Referential
  /** The seeding's "today": simulated dates are spread over the 10 days before it. */
  now?: Date
}

export interface SeedDemoParticipationsResult {
  /** False when the campaign already had participations (nothing done). */
  seeded: boolean
  students: number
  answers: number
}

/** A right answer built from the challenge's solution, in the form the client sends it. */
export function rightAnswerValue(ch: Challenge): string | Record<string, string> {
  switch (ch.type) {
    case 'QCU':
      return String(ch.solution)
    case 'QCM':
      return ch.solution.join(',')
    case 'QROC':
      return ch.solutions[0]!
    case 'QROCM-ind':
      return Object.fromEntries(ch.fields.map((f) => [f.key, f.solutions[0]!]))
    case 'QROCM-dep':
      return Object.fromEntries(ch.fields.map((f, i) => [f.key, ch.solutionGroups[i]![0]!]))
  }
}

/** A plausible wrong answer: another proposal, a partial choice, a wrong number or word. */
export function wrongAnswerValue(ch: Challenge): string | Record<string, string> {
  switch (ch.type) {
    case 'QCU':
      return String(ch.solution === 1 ? 2 : 1)
    case 'QCM':
      // The first right proposal only: a partial answer is wrong.
      return String(ch.solution[0])
    case 'QROC':
      return ch.format === 'nombre' ? '-987654' : 'je ne sais pas'
    case 'QROCM-ind':
      return Object.fromEntries(ch.fields.map((f) => [f.key, f.options ? (f.options.find((o) => !f.solutions.includes(o)) ?? f.options[0]!) : 'aucune idée']))
    case 'QROCM-dep': {
      const expected = new Set(ch.solutionGroups.flat())
      return Object.fromEntries(ch.fields.map((f) => [f.key, f.options ? (f.options.find((o) => !expected.has(o)) ?? f.options[0]!) : 'aucune idée']))
    }
  }
}

async function participationCount(db: Db, campaign: Campaign): Promise<number> {
  const [row] = await db.select({ n: count() }).from(campaignParticipations).where(eq(campaignParticipations.campaignId, campaign.id))
  return row?.n ?? 0
}

const csvDate = (iso: string) => iso.split('-').reverse().join('/')

/** One simulated student: an ability, per-tube levels around it, answers keyed on (student, challenge, attempt). */
function simulatedMind(index: number) {
  const seed = mixSeeds(SEED, index)
  const rand = mulberry32(seed)
  const ability = Math.min(5, Math.max(0.3, 1.7 + 1.1 * normal(rand)))
  const tubeLevels = new Map<string, number>()
  const tubeLevel = (tubeName: string, boost: number) => {
    let level = tubeLevels.get(tubeName)
    if (level === undefined) {
      level = ability + defaultLearnerModel.tubeSd * normal(mulberry32(mixSeeds(seed, hashString(tubeName))))
      tubeLevels.set(tubeName, level)
    }
    return level + boost
  }
  return {
    rand,
    /** 'right' | 'wrong' | 'skip' for this challenge; `attempt` > 0 after studying (a bit better). */
    decide(ch: Challenge, level: number, attempt: number): 'right' | 'wrong' | 'skip' {
      const p = successProbability(tubeLevel(ch.tubeName, attempt * 0.8), level, defaultLearnerModel)
      const u = toUnit(mixSeeds(seed, hashString(ch.id), attempt))
      if (u < p) return 'right'
      // A quarter of the misses are "Je passe".
      return toUnit(mixSeeds(seed, hashString(ch.id), attempt, 7)) < 0.25 ? 'skip' : 'wrong'
    },
  }
}

export async function seedDemoParticipations(deps: SeedDemoParticipationsDeps): Promise<SeedDemoParticipationsResult> {
  const { db } = deps
  const referential = deps.referential ?? loadReferential()
  const assessmentCampaign = await getCampaignByCode(DEMO_ASSESSMENT_CODE, { db })
  const profilesCampaign = await getCampaignByCode(DEMO_PROFILES_CODE, { db })
  if ((await participationCount(db, assessmentCampaign)) > 0) return { seeded: false, students: 0, answers: 0 }

  const now = deps.now ?? new Date()
  const start = now.getTime() - 10 * DAY
  // The campaigns were just created: date them before their first participants, as the teacher would have.
  await db
    .update(campaigns)
    .set({ createdAt: new Date(start) })
    .where(and(inArray(campaigns.id, [assessmentCampaign.id, profilesCampaign.id]), gt(campaigns.createdAt, new Date(start))))
  // Latest moment a simulated action may happen: an hour before "now".
  const latest = now.getTime() - 60 * MINUTE
  let answers = 0

  // The TD lists, imported by the organization before the campaign (student numbers and groups).
  const imported = DEMO_STUDENTS.filter((s) => s.studentNumber)
  const csv = ['Nom;Prénom;Date de naissance;Numéro étudiant;Groupe']
    .concat(imported.map((s) => [s.lastName, s.firstName, csvDate(s.birthdate!), s.studentNumber, s.group].join(';')))
    .join('\n')
  await importLearners({ organizationId: DEMO_IDS.organization, content: csv }, { db, clock: fixedClock(new Date(start - DAY)) })

  const runStudent = async (student: DemoStudent, index: number) => {
    const mind = simulatedMind(index)
    // Started 9 days ago … yesterday, in this order, between 8 a.m. and 7 p.m. (UTC, close enough for a demo).
    const day = Math.floor(start / DAY) * DAY + Math.floor((index * 9) / DEMO_STUDENTS.length) * DAY + DAY
    const clock = fixedClock(new Date(Math.min(latest - 3 * 60 * MINUTE, day + (8 + mind.rand() * 11) * 60 * MINUTE)))
    const participationDeps: ParticipationDeps = { db, clock, referential, retryDelayDays: deps.retryDelayDays, maxLevel: deps.maxLevel }
    const userId = await createUser(db, {
      firstName: student.firstName,
      lastName: student.lastName,
      email: student.firstName && student.lastName ? `${slug(student.firstName)}.${slug(student.lastName)}@etu.demo.jalon.test` : null,
      locale: 'fr-FR',
    })
    const learner: LearnerIdentity = {
      userId,
      organizationId: DEMO_IDS.organization,
      launchId: `demo-seed-${index}`,
      ...(student.firstName ? { firstName: student.firstName } : {}),
      ...(student.lastName ? { lastName: student.lastName } : {}),
      ...(student.studentNumber ? { externalId: student.studentNumber } : {}),
    }

    const playTest = async (assessmentId: string, attempt: number, stopAfter: number) => {
      let state: AssessmentState = await getAssessmentState({ assessmentId, userId }, participationDeps)
      let given = 0
      while (state.step.kind !== 'completed' && given < stopAfter) {
        const step = state.step
        if (step.kind === 'timed-warning' || step.kind === 'checkpoint') {
          // Reads the checkpoint's corrections, or the timer's warning, then goes on.
          clock.advance((step.kind === 'checkpoint' ? 40 : 8) * 1000 + mind.rand() * 30_000)
          state = await startChallenge({ assessmentId, userId, challengeId: step.challengeId }, participationDeps)
          continue
        }
        const ch = referential.challenges.get(step.challenge.id)!
        const level = referential.skills.get(ch.skillId)?.level ?? 1
        const decision = mind.decide(ch, level, attempt)
        const thinking = (20 + mind.rand() * 70 + level * 10) * 1000
        clock.advance(ch.timer ? Math.min(thinking, (ch.timer - 3) * 1000) : thinking)
        const value = decision === 'right' ? rightAnswerValue(ch) : decision === 'wrong' ? wrongAnswerValue(ch) : SKIP_VALUE
        state = (await submitAnswer({ assessmentId, userId, challengeId: ch.id, value }, participationDeps)).state
        given++
        answers++
      }
      return state.step.kind === 'completed'
    }

    const started = await startParticipation({ code: DEMO_ASSESSMENT_CODE, learner }, participationDeps)
    const stopAfter = student.outcome === 'started' ? 4 + Math.floor(mind.rand() * 8) : Infinity
    const completed = await playTest(started.assessmentId!, 0, stopAfter)
    if (!completed || student.outcome === 'to-share') return
    clock.advance(MINUTE + mind.rand() * 3 * MINUTE)
    await shareParticipation({ code: DEMO_ASSESSMENT_CODE, learner }, participationDeps)

    const sharedAt = clock.now().getTime()
    if (student.sendsProfile) {
      // The profiles collection comes a little later: the next day, about the same time.
      const at = Math.min(latest, sharedAt + DAY + (mind.rand() - 0.5) * 4 * 60 * MINUTE)
      if (at > sharedAt) clock.advance(at - sharedAt)
      await startParticipation({ code: DEMO_PROFILES_CODE, learner }, participationDeps)
      clock.advance(2 * MINUTE)
      await shareParticipation({ code: DEMO_PROFILES_CODE, learner }, participationDeps)
    }
    if (student.secondParticipation) {
      // "Repasser mon parcours" once the retry delay is over, if that still lies in the past.
      const at = sharedAt + (deps.retryDelayDays + 0.5) * DAY
      if (at + 2 * 60 * MINUTE > latest) return
      clock.advance(at - clock.now().getTime())
      const again = await improveParticipation({ code: DEMO_ASSESSMENT_CODE, learner }, participationDeps)
      if (await playTest(again.assessmentId!, 1, Infinity)) {
        clock.advance(2 * MINUTE)
        await shareParticipation({ code: DEMO_ASSESSMENT_CODE, learner }, participationDeps)
      }
    }
  }

  // A few students at a time: each has their own user, clock and transactions.
  const CONCURRENCY = 4
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < DEMO_STUDENTS.length) {
        const index = next++
        await runStudent(DEMO_STUDENTS[index]!, index)
      }
    }),
  )
  return { seeded: true, students: DEMO_STUDENTS.length, answers }
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '')
}
