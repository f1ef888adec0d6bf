/**
 * Simulated learners and assessments, to compare algorithms on the same seeded population (pure: the
 * caller may pass a `step` wrapper to time `nextStep` from outside).
 */
import { replayKnowledgeElements, toLatestUniqNonReset } from './knowledge-elements'
import { finalKnowledgeElements, nextStep } from './next-step'
import { hashString, mixSeeds, mulberry32, normal, toUnit } from './prng'
import type { AlgorithmId, Answer, EngineChallenge, EngineInput, EngineSkill, KnowledgeElement, NextStep, StopReason } from './types'

export interface LearnerModel {
  /** P(ok) = guess + (1 − guess − slip)·σ(slope·(θ − L + offset)). */
  guess: number
  slip: number
  slope: number
  offset: number
  /** Per-competence ability ~ N(abilityMean, abilitySd); tube level ~ N(ability, tubeSd); clipped to [0, maxLevel]. */
  abilityMean: number
  abilitySd: number
  tubeSd: number
  maxLevel: number
}

export const defaultLearnerModel: LearnerModel = {
  guess: 0.1,
  slip: 0.1,
  slope: 1.7,
  offset: 0.5,
  abilityMean: 2.5,
  abilitySd: 1.25,
  tubeSd: 0.75,
  maxLevel: 8,
}

export interface SimLearner {
  seed: number
  /** True (continuous) level per tube: a skill is mastered when the level reaches the skill's level. */
  tubeLevels: Map<string, number>
}

export function generateLearners(skills: readonly EngineSkill[], count: number, seed: number, model: LearnerModel): SimLearner[] {
  const competences = new Map<string, Set<string>>()
  for (const s of skills) {
    const tubes = competences.get(s.competenceCode) ?? new Set<string>()
    tubes.add(s.tubeName)
    competences.set(s.competenceCode, tubes)
  }
  const codes = [...competences.keys()].sort()
  const clip = (x: number) => Math.min(model.maxLevel, Math.max(0, x))
  return Array.from({ length: count }, (_, i) => {
    const learnerSeed = mixSeeds(seed, i)
    const tubeLevels = new Map<string, number>()
    for (const code of codes) {
      // One stream per (learner, competence): a competence's learners do not depend on the other competences.
      const rand = mulberry32(mixSeeds(learnerSeed, hashString(code)))
      const ability = model.abilityMean + model.abilitySd * normal(rand)
      for (const tube of [...competences.get(code)!].sort()) tubeLevels.set(tube, clip(ability + model.tubeSd * normal(rand)))
    }
    return { seed: learnerSeed, tubeLevels }
  })
}

export function isMastered(learner: SimLearner, skill: EngineSkill): boolean {
  return (learner.tubeLevels.get(skill.tubeName) ?? 0) >= skill.level
}

export function successProbability(theta: number, level: number, model: LearnerModel): number {
  return model.guess + (1 - model.guess - model.slip) / (1 + Math.exp(-model.slope * (theta - level + model.offset)))
}

/** The learner's answer to a challenge; keyed on (learner, challenge) so every algorithm sees the same outcome. */
export function simulateAnswer(learner: SimLearner, challengeId: string, skill: EngineSkill, model: LearnerModel): Answer {
  const p = successProbability(learner.tubeLevels.get(skill.tubeName) ?? 0, skill.level, model)
  const u = toUnit(mixSeeds(learner.seed, hashString(challengeId)))
  return { challengeId, result: u < p ? 'ok' : 'ko', id: `a${challengeId}` }
}

export interface SimulationRun {
  answers: Answer[]
  knowledgeElements: KnowledgeElement[]
  stopReason: StopReason | 'safety-cap'
}

export function simulateAssessment(args: {
  algorithm: AlgorithmId
  config?: Record<string, unknown>
  skills: readonly EngineSkill[]
  challenges: readonly EngineChallenge[]
  learner: SimLearner
  model: LearnerModel
  seed: number
  step?: (input: EngineInput) => NextStep
  maxSteps?: number
}): SimulationRun {
  const step = args.step ?? nextStep
  const skillById = new Map(args.skills.map((s) => [s.id, s]))
  const answers: Answer[] = []
  const base = { algorithm: args.algorithm, seed: args.seed, skills: args.skills, challenges: args.challenges, knowledgeElements: [] }
  const input = (): EngineInput => (args.config ? { ...base, config: args.config, answers } : { ...base, answers })
  let stopReason: SimulationRun['stopReason'] = 'safety-cap'
  for (let i = 0; i < (args.maxSteps ?? 2000); i++) {
    const next = step(input())
    if (next.kind === 'stop') {
      stopReason = next.reason
      break
    }
    answers.push(simulateAnswer(args.learner, next.challengeId, skillById.get(next.skillId)!, args.model))
  }
  const perAnswer = replayKnowledgeElements({ ...input(), createdAt: (i) => i + 1 }).createdByAnswer.flat()
  const final = finalKnowledgeElements(input(), answers.length + 1)
  return { answers, knowledgeElements: [...perAnswer, ...final], stopReason }
}

/** Pix's per-competence score: floor of the earned pix, capped; level = floor(pix / 8), capped. */
export function competenceScore(earnedPix: number, maxLevel = 5): { pix: number; level: number } {
  const pix = Math.min(Math.floor(earnedPix), maxLevel * 8)
  return { pix, level: Math.min(Math.floor(pix / 8), maxLevel) }
}

export interface RunScore {
  length: number
  correctSkills: number
  totalSkills: number
  pixErrors: number[]
  levelErrors: number[]
}

export function scoreRun(skills: readonly EngineSkill[], learner: SimLearner, run: SimulationRun): RunScore {
  const validated = new Set(toLatestUniqNonReset(run.knowledgeElements).filter((ke) => ke.status === 'validated').map((ke) => ke.skillId))
  let correctSkills = 0
  const estPix = new Map<string, number>()
  const truePix = new Map<string, number>()
  for (const s of skills) {
    const mastered = isMastered(learner, s)
    if (validated.has(s.id) === mastered) correctSkills++
    estPix.set(s.competenceCode, (estPix.get(s.competenceCode) ?? 0) + (validated.has(s.id) ? s.pixValue : 0))
    truePix.set(s.competenceCode, (truePix.get(s.competenceCode) ?? 0) + (mastered ? s.pixValue : 0))
  }
  const pixErrors: number[] = []
  const levelErrors: number[] = []
  for (const [code, pix] of truePix) {
    const t = competenceScore(pix)
    const e = competenceScore(estPix.get(code) ?? 0)
    pixErrors.push(Math.abs(t.pix - e.pix))
    levelErrors.push(Math.abs(t.level - e.level))
  }
  return { length: run.answers.length, correctSkills, totalSkills: skills.length, pixErrors, levelErrors }
}

export interface AlgorithmSummary {
  algorithm: AlgorithmId
  learners: number
  meanLength: number
  p90Length: number
  accuracy: number
  pixMae: number
  levelMae: number
  stopReasons: Record<string, number>
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN)

/** Runs one algorithm over the learners and aggregates the figures of the benchmark. */
export function runPopulation(args: {
  algorithm: AlgorithmId
  config?: Record<string, unknown>
  skills: readonly EngineSkill[]
  challenges: readonly EngineChallenge[]
  learners: readonly SimLearner[]
  model: LearnerModel
  step?: (input: EngineInput) => NextStep
}): AlgorithmSummary {
  const scores: RunScore[] = []
  const stopReasons: Record<string, number> = {}
  for (const learner of args.learners) {
    const run = simulateAssessment({ ...args, learner, seed: learner.seed })
    stopReasons[run.stopReason] = (stopReasons[run.stopReason] ?? 0) + 1
    scores.push(scoreRun(args.skills, learner, run))
  }
  const lengths = scores.map((s) => s.length)
  return {
    algorithm: args.algorithm,
    learners: args.learners.length,
    meanLength: mean(lengths),
    p90Length: percentile(lengths, 0.9),
    accuracy: scores.reduce((a, s) => a + s.correctSkills, 0) / scores.reduce((a, s) => a + s.totalSkills, 0),
    pixMae: mean(scores.flatMap((s) => s.pixErrors)),
    levelMae: mean(scores.flatMap((s) => s.levelErrors)),
    stopReasons,
  }
}
