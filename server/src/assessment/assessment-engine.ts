/**
 * The bridge between stored assessments and the pure engine: which skills an assessment targets, the
 * knowledge the learner started with, and moving the assessment to its next step inside a transaction.
 */
import type { Referential, TargetProfile } from '../content/types'
import {
  algorithms,
  applyImproveFilter,
  finalKnowledgeElements,
  hashString,
  knowledgeElementsForLastAnswer,
  nextStep,
  replayKnowledgeElements,
  toLatestUniqNonReset,
  type AlgorithmId,
  type AnswerResult,
  type EngineInput,
  type KnowledgeElement,
} from './engine'
import { engineBank, type EngineBank } from './engine-input'
import {
  campaignTargetProfileId,
  insertKnowledgeElements,
  listKnowledgeElements,
  markParticipationToShare,
  toEngineKe,
  updateAssessment,
  type AnswerRow,
  type AssessmentRow,
  type Executor,
} from './assessment.repository'

/** Campaigns and self-started tests use Jalon's algorithm. */
export const DEFAULT_ALGORITHM: AlgorithmId = 'jalon-bayes'
export const IMPROVING_MIN_GAIN = 0.01

export interface EngineDeps {
  referential: Referential
  clock: { now(): Date }
}

/** The stored configuration of a new assessment: the algorithm's defaults plus the improve delay in force. */
export function newAssessmentSettings(id: string, improveDelayDays: number, isImproving: boolean) {
  const algorithm = algorithms[DEFAULT_ALGORITHM]
  return {
    algorithm: algorithm.id,
    algorithmConfigVersion: algorithm.configVersion,
    algorithmConfig: {
      ...algorithm.defaultConfig,
      // A learner who asked to try again expects the forgotten skills to be asked: the engine's price of
      // a question is lowered, or it may judge a couple of uncertain skills not worth a question.
      ...(isImproving ? { minGain: IMPROVING_MIN_GAIN } : {}),
      // The engine ignores unknown keys; the delay is kept here so a retry can be replayed with it.
      improveDelayDays,
    },
    seed: hashString(id) | 0,
  }
}

export function competenceTargetProfile(referential: Referential, competenceCode: string): TargetProfile | undefined {
  return referential.targetProfiles.get(`tp_competence_${competenceCode.replace('.', '_')}`)
}

/** `knownTargetProfileId`: the campaign's, when the caller already read it (the answer path). */
export async function targetProfileOf(
  db: Executor,
  referential: Referential,
  assessment: AssessmentRow,
  knownTargetProfileId?: string | null,
): Promise<TargetProfile> {
  const id =
    assessment.type === 'CAMPAIGN' && assessment.campaignParticipationId
      ? (knownTargetProfileId ?? (await campaignTargetProfileId(db, assessment.campaignParticipationId)))
      : null
  const profile = id ? referential.targetProfiles.get(id) : assessment.competenceCode ? competenceTargetProfile(referential, assessment.competenceCode) : undefined
  if (!profile) throw new Error(`assessment ${assessment.id} has no target profile in the content`)
  return profile
}

/**
 * KEs the learner had when the assessment started (this assessment's own excluded), reduced to the latest
 * non-reset per skill; on a retry, failures older than the delay are forgotten (pix-rules §2.6).
 */
export async function knowledgeAtStart(db: Executor, assessment: AssessmentRow): Promise<KnowledgeElement[]> {
  // Only KEs created before the assessment count, and KEs are append-only and stamped with the time they are
  // written: the answer is the same on every request of the assessment, on every instance. Kept per process.
  const cached = knowledgeAtStartMemo.get(assessment.id)
  if (cached) return cached
  const known = await readKnowledgeAtStart(db, assessment)
  knowledgeAtStartMemo.set(assessment.id, known)
  if (knowledgeAtStartMemo.size > KNOWLEDGE_AT_START_MEMO_SIZE) knowledgeAtStartMemo.delete(knowledgeAtStartMemo.keys().next().value!)
  return known
}

const knowledgeAtStartMemo = new Map<string, KnowledgeElement[]>()
/** Tests in progress kept (a few KB each): beyond this, the oldest entries are read again when needed. */
const KNOWLEDGE_AT_START_MEMO_SIZE = 5_000

async function readKnowledgeAtStart(db: Executor, assessment: AssessmentRow): Promise<KnowledgeElement[]> {
  const rows = await listKnowledgeElements(db, assessment.userId, new Date(assessment.createdAt.getTime() + 1))
  const latest = toLatestUniqNonReset(rows.filter((r) => r.assessmentId !== assessment.id).map(toEngineKe))
  if (!assessment.isImproving) return latest
  const config = assessment.algorithmConfig as { improveDelayDays?: number }
  return applyImproveFilter(latest, { assessmentCreatedAt: assessment.createdAt.getTime(), minimumDelayInDays: config.improveDelayDays ?? 4 })
}

/*
 * The engine memoises its static bank, its precomputed grids and recent posteriors by the identity of the
 * `skills` and `challenges` arrays it is given (engine/bank.ts, jalon-bayes.ts). Rebuilding them on every
 * request defeated all three (a full posterior and grid per call): the same arrays are handed out again for
 * the same content and target profile, and for the same set of known skills. Contents are identical.
 */
const bankMemo = new WeakMap<Referential, WeakMap<TargetProfile, EngineBank & { byKnown: Map<string, EngineBank['challenges']> }>>()
const BY_KNOWN_SIZE = 256

function memoBank(referential: Referential, profile: TargetProfile) {
  let byProfile = bankMemo.get(referential)
  if (!byProfile) bankMemo.set(referential, (byProfile = new WeakMap()))
  let bank = byProfile.get(profile)
  if (!bank) byProfile.set(profile, (bank = { ...engineBank(referential, profile), byKnown: new Map() }))
  return bank
}

/**
 * Pix's rule, kept whatever the algorithm: a skill the learner already has a KE for (validated, or failed
 * within the retry delay) is not asked again; its challenges are out of this assessment's bank.
 */
function challengesWithout(bank: ReturnType<typeof memoBank>, known: readonly KnowledgeElement[]): EngineBank['challenges'] {
  const knownSkills = new Set(known.map((ke) => ke.skillId))
  const hit = bank.skills.filter((s) => knownSkills.has(s.id)).map((s) => s.id)
  if (!hit.length) return bank.challenges
  const key = hit.join('\n')
  let challenges = bank.byKnown.get(key)
  if (!challenges) {
    challenges = bank.challenges.map((c) => (knownSkills.has(c.skillId) ? { ...c, status: 'obsolete' as const } : c))
    bank.byKnown.set(key, challenges)
    if (bank.byKnown.size > BY_KNOWN_SIZE) bank.byKnown.delete(bank.byKnown.keys().next().value!)
  }
  return challenges
}

export async function engineInputFor(
  db: Executor,
  referential: Referential,
  assessment: AssessmentRow,
  answers: readonly Pick<AnswerRow, 'id' | 'challengeId' | 'result'>[],
  knownTargetProfileId?: string | null,
): Promise<{ input: EngineInput; profile: TargetProfile }> {
  const profile = await targetProfileOf(db, referential, assessment, knownTargetProfileId)
  const bank = memoBank(referential, profile)
  const known = await knowledgeAtStart(db, assessment)
  const challenges = challengesWithout(bank, known)
  return {
    profile,
    input: {
      algorithm: assessment.algorithm as AlgorithmId,
      config: assessment.algorithmConfig as Record<string, unknown>,
      seed: assessment.seed,
      skills: bank.skills,
      challenges,
      knowledgeElements: known,
      answers: answers.map((a) => ({ id: a.id, challengeId: a.challengeId, result: a.result as AnswerResult })),
    },
  }
}

/** Share of target skills already known (tested or inferred): the "avancement du parcours". */
export function progressOf(input: EngineInput): number {
  if (!input.skills.length) return 1
  const { current } = replayKnowledgeElements(input)
  return Math.min(1, current.size / input.skills.length)
}

const keRow = (assessment: AssessmentRow, referential: Referential) => (ke: KnowledgeElement) => ({
  userId: assessment.userId,
  assessmentId: assessment.id,
  answerId: ke.answerId ?? null,
  skillId: ke.skillId,
  competenceCode: referential.skills.get(ke.skillId)?.competenceCode ?? '',
  status: ke.status,
  source: ke.source,
  earnedPix: ke.earnedPix,
  createdAt: new Date(ke.createdAt),
})

/** The KE rows of the answer just recorded (the last of `input.answers`), to store with it. */
export function answerKnowledgeRows(deps: EngineDeps, assessment: AssessmentRow, input: EngineInput, at: Date) {
  return knowledgeElementsForLastAnswer(input, at.getTime()).map(keRow(assessment, deps.referential))
}

/**
 * Asks the engine what comes next and stores it: the next challenge (not yet shown), or the end of the
 * test (final KEs, completed, participation waiting to be shared). Call with the assessment row locked.
 */
export async function advance(
  db: Executor,
  deps: EngineDeps,
  assessment: AssessmentRow,
  input: EngineInput,
  lastAnswerAt?: Date,
): Promise<AssessmentRow> {
  const step = nextStep(input)
  // Final KEs may overwrite the last answer's: they must be strictly later for "latest wins".
  const now = new Date(Math.max(deps.clock.now().getTime(), (lastAnswerAt?.getTime() ?? 0) + 1))
  if (step.kind === 'ask') {
    const values = { currentChallengeId: step.challengeId, currentChallengeAskedAt: null }
    await updateAssessment(db, assessment.id, values)
    return { ...assessment, ...values }
  }
  const finals = finalKnowledgeElements(input, now.getTime())
  await insertKnowledgeElements(db, finals.map(keRow(assessment, deps.referential)))
  const values = { state: 'completed' as const, completedAt: now, currentChallengeId: null, currentChallengeAskedAt: null }
  await updateAssessment(db, assessment.id, values)
  if (assessment.campaignParticipationId) await markParticipationToShare(db, assessment.campaignParticipationId)
  return { ...assessment, ...values }
}
