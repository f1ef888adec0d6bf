/** The adaptive engine's public surface (pure: no I/O, no clock, no Math.random). */
export type {
  AlgorithmId,
  Answer,
  AnswerResult,
  ChallengeStatus,
  EngineChallenge,
  EngineInput,
  EngineSkill,
  Estimate,
  KnowledgeElement,
  KnowledgeElementSource,
  KnowledgeElementStatus,
  NextStep,
  StopReason,
} from './types'
export { algorithms, finalKnowledgeElements, knowledgeElementsForLastAnswer, nextStep, replay, resolveConfig, type Algorithm } from './next-step'
export {
  applyImproveFilter,
  createKnowledgeElementsForAnswer,
  isSuccess,
  replayKnowledgeElements,
  resetKnowledgeElement,
  toLatestUniqNonReset,
} from './knowledge-elements'
export { hashString } from './prng'
export type { JalonBayesConfig } from './jalon-bayes'
export type { SmartRandomConfig } from './smart-random'
