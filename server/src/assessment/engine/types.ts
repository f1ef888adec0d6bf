/**
 * Engine input and output types. The engine knows nothing of the content module: an adapter
 * (../engine-input.ts) maps the referential and a target profile to these shapes.
 */

export interface EngineSkill {
  /** `@<tubeName><level>` in Jalon's content; any unique id works. */
  id: string
  tubeName: string
  competenceCode: string
  /** Pix's "difficulty": 1..8. */
  level: number
  pixValue: number
}

/** Operative challenges only matter; `obsolete` ones are never asked (Pix: "périmé"). */
export type ChallengeStatus = 'active' | 'archived' | 'obsolete'

export interface EngineChallenge {
  id: string
  skillId: string
  timed: boolean
  status: ChallengeStatus
}

export type KnowledgeElementStatus = 'validated' | 'invalidated' | 'reset'
export type KnowledgeElementSource = 'direct' | 'inferred'

export interface KnowledgeElement {
  skillId: string
  status: KnowledgeElementStatus
  source: KnowledgeElementSource
  /** The skill's pix value when validated, else 0. */
  earnedPix: number
  /** Epoch milliseconds, passed in by the caller (the engine has no clock). */
  createdAt: number
  answerId?: string
}

/** Only `ok` is a success; skipped, timed-out and focused-out answers count as failures (as in Pix). */
export type AnswerResult = 'ok' | 'ko' | 'skipped' | 'timedout' | 'focusedOut'

export interface Answer {
  challengeId: string
  result: AnswerResult
  id?: string
}

export type AlgorithmId = 'smart-random' | 'jalon-bayes'

/**
 * Everything needed to choose the next question. Replaying an assessment = calling `nextStep` with the
 * same input and growing prefixes of `answers`.
 */
export interface EngineInput {
  algorithm: AlgorithmId
  /** Merged over the algorithm's defaultConfig; store the merged copy with the assessment. */
  config?: Readonly<Record<string, unknown>>
  /** Per-assessment seed (e.g. a hash of the assessment id). */
  seed: number
  /** The target skills (the target profile's skills). */
  skills: readonly EngineSkill[]
  /** Challenges of the target skills (others are ignored). */
  challenges: readonly EngineChallenge[]
  /**
   * The learner's knowledge elements as they were when the assessment started, already reduced with
   * `toLatestUniqNonReset` and the improve filter. Constant during the assessment: the engine replays
   * `answers` over them.
   */
  knowledgeElements: readonly KnowledgeElement[]
  /** This assessment's answers, oldest first. */
  answers: readonly Answer[]
}

export interface Estimate {
  /** smart-random: Pix's predicted level; jalon-bayes: mean posterior level over the assessed tubes. */
  level: number
  /** jalon-bayes: expected number of misclassified target skills; null for smart-random. */
  expectedErrors: number | null
}

export type StopReason =
  /** smart-random: no candidate skill is left (all tested, unplayable or more than 2 above the predicted level). */
  | 'no-candidate'
  /** jalon-bayes: every target skill is confidently mastered or not. */
  | 'confident'
  /** jalon-bayes: no question would reduce the expected errors enough to be worth asking. */
  | 'not-informative'
  /** jalon-bayes: the configured maximum length was reached. */
  | 'max-length'
  /** jalon-bayes: no playable challenge is left. */
  | 'bank-exhausted'

export type NextStep =
  | { kind: 'ask'; challengeId: string; skillId: string; estimate: Estimate }
  | { kind: 'stop'; reason: StopReason; estimate: Estimate }
