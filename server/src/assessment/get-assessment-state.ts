import { leanTransaction, type Db } from '../db/client'
import type { Challenge, Referential } from '../content/types'
import type { Clock } from '../shared/clock'
import { advance, engineInputFor, progressOf } from './assessment-engine'
import { presentChallenge, type PublicChallenge } from './assessment.presenter'
import { lockAssessment, updateAssessment, type AssessmentRow, type Executor } from './assessment.repository'
import type { EngineInput } from './engine'
import { AssessmentNotFound } from './errors'

export const CHECKPOINT_EVERY = 5

export type AssessmentStep =
  | { kind: 'challenge'; challenge: PublicChallenge; askedAt: string; remainingSeconds: number | null }
  /** Before a timed challenge: its duration only, not its content. */
  | { kind: 'timed-warning'; challengeId: string; timer: number }
  /** Every 5 answers, before the next challenge is shown. */
  | { kind: 'checkpoint'; challengeId: string; nextTimer: number | null }
  | { kind: 'completed' }

export interface AssessmentState {
  id: string
  type: AssessmentRow['type']
  campaignParticipationId: string | null
  competenceCode: string | null
  isImproving: boolean
  answeredCount: number
  /** 0..1: target skills already known. */
  progress: number
  step: AssessmentStep
}

export interface AssessmentDeps {
  db: Db
  clock: Clock
  referential: Referential
}

/**
 * Where the learner is in the test, computed from the database only, so a reload, a closed tab or another
 * device resumes exactly there. The first time a challenge is returned as `challenge`, its asked time is
 * recorded (timers run from it).
 */
export async function getAssessmentState(input: { assessmentId: string; userId: string }, deps: AssessmentDeps): Promise<AssessmentState> {
  return leanTransaction(deps.db, (tx) => lockedStateOf(tx, input, deps))
}

/** getAssessmentState inside the caller's transaction; `update` changes the locked row first. */
export async function lockedStateOf(
  tx: Executor,
  input: { assessmentId: string; userId: string },
  deps: AssessmentDeps,
  update?: (assessment: AssessmentRow) => Promise<AssessmentRow>,
): Promise<AssessmentState> {
  const found = await lockAssessment(tx, input.assessmentId, input.userId)
  if (!found) throw new AssessmentNotFound('Test introuvable.')
  let assessment = update ? await update(found.assessment) : found.assessment
  const { input: engineInput } = await engineInputFor(tx, deps.referential, assessment, found.answers, found.targetProfileId)
  if (assessment.state === 'started' && !assessment.currentChallengeId) assessment = await advance(tx, deps, assessment, engineInput)
  return stateOf(tx, deps, assessment, engineInput)
}

/**
 * The state of a locked assessment whose next step is already stored, from the engine input of its answers
 * (what getAssessmentState computes; submitAnswer calls it in the answer's transaction).
 */
export async function stateOf(tx: Executor, deps: AssessmentDeps, assessment: AssessmentRow, engineInput: EngineInput): Promise<AssessmentState> {
  const answered = engineInput.answers.length
  const step = await stepOf(tx, deps, assessment, answered)
  return {
    id: assessment.id,
    type: assessment.type,
    campaignParticipationId: assessment.campaignParticipationId,
    competenceCode: assessment.competenceCode,
    isImproving: assessment.isImproving,
    answeredCount: answered,
    progress: assessment.state === 'completed' ? 1 : progressOf(engineInput),
    step,
  }
}

/**
 * What the learner sees before a challenge after `answered` answers: a checkpoint every 5 answers, the
 * warning of a timed challenge, or nothing (the challenge is shown, and asked, at once).
 */
export function screenBefore(challenge: Pick<Challenge, 'timer'>, answered: number): 'checkpoint' | 'timed-warning' | null {
  if (answered > 0 && answered % CHECKPOINT_EVERY === 0) return 'checkpoint'
  if (challenge.timer) return 'timed-warning'
  return null
}

async function stepOf(tx: Executor, deps: AssessmentDeps, a: AssessmentRow, answered: number): Promise<AssessmentStep> {
  if (a.state !== 'started' || !a.currentChallengeId) return { kind: 'completed' }
  const challenge = deps.referential.challenges.get(a.currentChallengeId)
  if (!challenge) throw new Error(`challenge ${a.currentChallengeId} is not in the content`)
  let askedAt = a.currentChallengeAskedAt
  if (!askedAt) {
    const screen = screenBefore(challenge, answered)
    if (screen === 'checkpoint') return { kind: 'checkpoint', challengeId: challenge.id, nextTimer: challenge.timer ?? null }
    if (screen === 'timed-warning') return { kind: 'timed-warning', challengeId: challenge.id, timer: challenge.timer! }
    askedAt = deps.clock.now()
    await updateAssessment(tx, a.id, { currentChallengeAskedAt: askedAt })
  }
  const remainingSeconds = challenge.timer
    ? Math.max(0, Math.ceil(challenge.timer - (deps.clock.now().getTime() - askedAt.getTime()) / 1000))
    : null
  return { kind: 'challenge', challenge: presentChallenge(challenge), askedAt: askedAt.toISOString(), remainingSeconds }
}
