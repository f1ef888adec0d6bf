/**
 * smart-random: the semantics of Pix's campaign algorithm (pix-rules §12), re-implemented.
 * No fixed length: the test ends when no candidate skill remains (all tested — directly or by tube
 * inference —, unplayable, or more than 2 levels above the predicted level).
 */
import { buildBank, pickChallenge, type Bank } from './bank'
import { replayKnowledgeElements } from './knowledge-elements'
import { hashInt } from './prng'
import type { EngineInput, EngineSkill, KnowledgeElement, NextStep } from './types'

export interface SmartRandomConfig {
  /** Pix's DEFAULT_LEVEL_FOR_FIRST_CHALLENGE. */
  defaultLevelForFirstChallenge: number
  /** Pix's MAX_LEVEL_TO_BE_AN_EASY_TUBE: tubes up to this level are assessed first. */
  maxLevelToBeAnEasyTube: number
  /** Pix's MAX_DIFF_BETWEEN_USER_LEVEL_AND_SKILL_LEVEL. */
  maxDiffBetweenUserLevelAndSkillLevel: number
}

export const smartRandomDefaultConfig: SmartRandomConfig = {
  defaultLevelForFirstChallenge: 2,
  maxLevelToBeAnEasyTube: 3,
  maxDiffBetweenUserLevelAndSkillLevel: 2,
}

/** Pix's CAT_LEVELS: the grid of the level estimate. */
export const CAT_LEVELS: readonly number[] = Array.from({ length: 15 }, (_, i) => 0.5 + i * 0.5)

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

/**
 * Pix's predicted level: a grid maximum-likelihood estimate (1PL) over the direct KEs, with two virtual
 * answers (a success at level 0, a failure at level 7) so it is defined from the start. The lowest grid
 * level where the residual sum is closest to 0 wins.
 */
export function predictLevel(
  knowledgeElements: Iterable<KnowledgeElement>,
  skillById: ReadonlyMap<string, EngineSkill>,
): number {
  const obs: { d: number; y: number }[] = [
    { d: 0, y: 1 },
    { d: 7, y: 0 },
  ]
  for (const ke of knowledgeElements) {
    if (ke.source !== 'direct') continue
    const skill = skillById.get(ke.skillId)
    if (!skill) continue
    obs.push({ d: skill.level || 2, y: ke.status === 'validated' ? 1 : 0 })
  }
  let best = CAT_LEVELS[0]!
  let bestScore = -Infinity
  for (const level of CAT_LEVELS) {
    let residual = 0
    for (const o of obs) residual += o.y - sigmoid(level - o.d)
    const score = -Math.abs(residual)
    if (score > bestScore) {
      bestScore = score
      best = level
    }
  }
  return best
}

/** Pix's reward: expected number of untested tube skills settled by the answer (counts include the skill). */
export function reward(
  skill: EngineSkill,
  predictedLevel: number,
  bank: Bank,
  isTested: (skillId: string) => boolean,
): number {
  const p = sigmoid(predictedLevel - skill.level)
  let easier = 0
  let harder = 0
  for (const s of bank.tubes.get(skill.tubeName)?.skills ?? []) {
    if (isTested(s.id)) continue
    if (s.level <= skill.level) easier++
    if (s.level >= skill.level) harder++
  }
  return p * easier + (1 - p) * harder
}

/** Keeps the filtered list unless it would be empty (Pix's "unless that leaves none"). */
function preferNonEmpty<T>(list: T[], filtered: T[]): T[] {
  return filtered.length > 0 ? filtered : list
}

/** The candidate skills of the next question and the level estimate (Pix's getPossibleSkillsForNextChallenge). */
export function smartRandomCandidates(
  input: EngineInput,
  config: SmartRandomConfig,
  bank: Bank = buildBank(input),
): { skills: EngineSkill[]; level: number } {
  const { current } = replayKnowledgeElements(input)
  const isTested = (id: string) => current.has(id)
  const playable = (s: EngineSkill) => bank.hasRemaining(s.id)
  // Pix: a skill is timed when the first of its remaining challenges is.
  const timed = (s: EngineSkill) => bank.remaining(s.id)[0]?.timed === true
  const inEasyTube = (s: EngineSkill) =>
    (bank.tubes.get(s.tubeName)?.maxLevel ?? Infinity) <= config.maxLevelToBeAnEasyTube

  let skills = bank.skills.filter((s) => playable(s) && !isTested(s.id))
  skills = preferNonEmpty(skills, skills.filter(inEasyTube))
  const lastAnswer = input.answers[input.answers.length - 1]

  if (!lastAnswer) {
    skills = preferNonEmpty(skills, skills.filter((s) => !timed(s)))
    // The default level first, otherwise the lowest level.
    const rank = (level: number) => (level === config.defaultLevelForFirstChallenge ? -Infinity : level)
    const best = Math.min(...skills.map((s) => rank(s.level)))
    return { skills: skills.filter((s) => rank(s.level) === best), level: config.defaultLevelForFirstChallenge }
  }

  const level = predictLevel(current.values(), bank.skillById)
  if (lastAnswer.result === 'timedout') skills = preferNonEmpty(skills, skills.filter((s) => !timed(s)))
  skills = skills.filter((s) => s.level - level <= config.maxDiffBetweenUserLevelAndSkillLevel)

  let maxReward = -Infinity
  let best: EngineSkill[] = []
  for (const s of skills) {
    const r = reward(s, level, bank, isTested)
    if (r > maxReward) {
      maxReward = r
      best = [s]
    } else if (r === maxReward) best.push(s)
  }
  return { skills: best, level }
}

export function smartRandomNextStep(input: EngineInput, config: SmartRandomConfig): NextStep {
  const bank = buildBank(input)
  const { skills, level } = smartRandomCandidates(input, config, bank)
  const estimate = { level, expectedErrors: null }
  if (skills.length === 0) return { kind: 'stop', reason: 'no-candidate', estimate }
  // Pix seeds the pick with the assessment id: deterministic for a given assessment and candidate set.
  const skill = skills[hashInt(input.seed) % skills.length]!
  const challenge = pickChallenge(bank.remaining(skill.id), hashInt(input.seed + 1))
  return { kind: 'ask', challengeId: challenge.id, skillId: skill.id, estimate }
}
