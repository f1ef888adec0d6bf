/**
 * Knowledge elements (Pix's KE, pix-rules §8): what Jalon stores about a learner's skills, and what
 * every result (pix, levels, mastery rate, stages, badges) is computed from.
 */
import { staticBank } from './bank'
import type { EngineTube } from './tubes'
import type { Answer, AnswerResult, EngineChallenge, EngineSkill, KnowledgeElement, KnowledgeElementStatus } from './types'

const DAY_MS = 24 * 60 * 60 * 1000

/** Pix: only an `ok` answer is a success; skipped, timed-out and focused-out answers are failures. */
export function isSuccess(result: AnswerResult): boolean {
  return result === 'ok'
}

export function makeKnowledgeElement(
  skill: EngineSkill,
  status: Exclude<KnowledgeElementStatus, 'reset'>,
  source: KnowledgeElement['source'],
  createdAt: number,
  answerId?: string,
): KnowledgeElement {
  const ke: KnowledgeElement = { skillId: skill.id, status, source, earnedPix: status === 'validated' ? skill.pixValue : 0, createdAt }
  if (answerId !== undefined) ke.answerId = answerId
  return ke
}

/**
 * KEs created by one answer on `skill`: a direct KE if the skill is a target skill not yet assessed, and
 * tube inference over the untested target skills — a success validates the strictly easier ones, a
 * failure invalidates the strictly harder ones. `assessed` holds the skills that already have a KE.
 */
export function createKnowledgeElementsForAnswer(args: {
  answer: Answer
  skill: EngineSkill
  tube: EngineTube | undefined
  assessed: ReadonlySet<string>
  createdAt: number
}): KnowledgeElement[] {
  const { answer, skill, tube, assessed, createdAt } = args
  const ok = isSuccess(answer.result)
  const status = ok ? 'validated' : 'invalidated'
  const created: KnowledgeElement[] = []
  const isTarget = tube !== undefined && tube.skills.some((s) => s.id === skill.id)
  if (isTarget && !assessed.has(skill.id)) created.push(makeKnowledgeElement(skill, status, 'direct', createdAt, answer.id))
  if (!tube) return created
  for (const other of tube.skills) {
    if (other.id === skill.id || assessed.has(other.id)) continue
    if (ok ? other.level < skill.level : other.level > skill.level)
      created.push(makeKnowledgeElement(other, status, 'inferred', createdAt, answer.id))
  }
  return created
}

/** Latest KE per skill (ties: the later one in the list), then without `reset` ones. */
export function toLatestUniqNonReset(knowledgeElements: readonly KnowledgeElement[]): KnowledgeElement[] {
  const latest = new Map<string, KnowledgeElement>()
  for (const ke of knowledgeElements) {
    const prev = latest.get(ke.skillId)
    if (!prev || ke.createdAt >= prev.createdAt) latest.set(ke.skillId, ke)
  }
  return [...latest.values()].filter((ke) => ke.status !== 'reset')
}

/**
 * The improve filter (pix-rules §2.6), applied when a learner retries: invalidated KEs created at least
 * `minimumDelayInDays` (fractional days) before the new assessment are forgotten, so those skills are asked
 * again; validated KEs are always kept.
 */
export function applyImproveFilter(
  knowledgeElements: readonly KnowledgeElement[],
  args: { assessmentCreatedAt: number; minimumDelayInDays: number },
): KnowledgeElement[] {
  return knowledgeElements.filter(
    (ke) => ke.status === 'validated' || (args.assessmentCreatedAt - ke.createdAt) / DAY_MS < args.minimumDelayInDays,
  )
}

/** A KE for reset: same skill, status `reset`, no pix, no answer (Pix's `KnowledgeElement.reset`). */
export function resetKnowledgeElement(ke: KnowledgeElement, createdAt: number): KnowledgeElement {
  return { skillId: ke.skillId, status: 'reset', source: ke.source, earnedPix: 0, createdAt }
}

/**
 * Replays the Pix KE rule over an assessment's answers, starting from the KEs the learner had when it
 * started. Returns the KEs each answer created and the resulting latest KE per skill.
 */
export function replayKnowledgeElements(args: {
  skills: readonly EngineSkill[]
  challenges: readonly EngineChallenge[]
  knowledgeElements: readonly KnowledgeElement[]
  answers: readonly Answer[]
  createdAt?: (answerIndex: number) => number
}): { current: Map<string, KnowledgeElement>; createdByAnswer: KnowledgeElement[][] } {
  const { allTubes: tubes, skillById, challengeById } = staticBank(args.skills, args.challenges)
  const current = new Map<string, KnowledgeElement>()
  for (const ke of toLatestUniqNonReset(args.knowledgeElements)) if (skillById.has(ke.skillId)) current.set(ke.skillId, ke)
  const assessed = new Set(current.keys())
  const createdByAnswer = args.answers.map((answer, i) => {
    const skill = skillById.get(challengeById.get(answer.challengeId)?.skillId ?? '')
    if (!skill) return []
    const created = createKnowledgeElementsForAnswer({
      answer,
      skill,
      tube: tubes.get(skill.tubeName),
      assessed,
      createdAt: args.createdAt ? args.createdAt(i) : 0,
    })
    for (const ke of created) {
      current.set(ke.skillId, ke)
      assessed.add(ke.skillId)
    }
    return created
  })
  return { current, createdByAnswer }
}
