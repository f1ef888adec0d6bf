/**
 * The engine's one entry point and the algorithm registry. An assessment stores
 * {algorithm, configVersion, config, seed}; with the same content, KEs at start and answers, every step
 * replays identically.
 */
import { replayKnowledgeElements } from './knowledge-elements'
import { jalonBayesDefaultConfig, jalonBayesFinalKnowledgeElements, jalonBayesNextStep, type JalonBayesConfig } from './jalon-bayes'
import { smartRandomDefaultConfig, smartRandomNextStep, type SmartRandomConfig } from './smart-random'
import type { AlgorithmId, EngineInput, KnowledgeElement, NextStep } from './types'

export interface Algorithm<C> {
  id: AlgorithmId
  /** Bump when a change of code or defaults would change the questions asked for the same input. */
  configVersion: number
  defaultConfig: Readonly<C>
  nextStep(input: EngineInput, config: C): NextStep
  /** KEs to store when the test stops, on top of the answer-by-answer ones. */
  finalKnowledgeElements(input: EngineInput, config: C, createdAt: number): KnowledgeElement[]
}

const smartRandom: Algorithm<SmartRandomConfig> = {
  id: 'smart-random',
  configVersion: 1,
  defaultConfig: smartRandomDefaultConfig,
  nextStep: smartRandomNextStep,
  // Pix's KEs are final as soon as each answer is recorded.
  finalKnowledgeElements: () => [],
}

const jalonBayes: Algorithm<JalonBayesConfig> = {
  id: 'jalon-bayes',
  configVersion: 1,
  defaultConfig: jalonBayesDefaultConfig,
  nextStep: jalonBayesNextStep,
  finalKnowledgeElements: jalonBayesFinalKnowledgeElements,
}

export const algorithms = { 'smart-random': smartRandom, 'jalon-bayes': jalonBayes } as const

/** Defaults overridden by the keys of `config` that exist in the defaults and have the same type. */
export function resolveConfig<C extends object>(defaults: Readonly<C>, config: Readonly<Record<string, unknown>> | undefined): C {
  const out = { ...defaults } as Record<string, unknown>
  for (const [key, value] of Object.entries(config ?? {})) {
    if (key in out && typeof value === typeof out[key]) out[key] = value
  }
  return out as C
}

export function nextStep(input: EngineInput): NextStep {
  if (input.algorithm === 'smart-random')
    return smartRandom.nextStep(input, resolveConfig(smartRandom.defaultConfig, input.config))
  return jalonBayes.nextStep(input, resolveConfig(jalonBayes.defaultConfig, input.config))
}

/**
 * KEs to store after the last answer of `input.answers` (Pix's rule, for both algorithms, so partial
 * results exist while a test is running).
 */
export function knowledgeElementsForLastAnswer(input: EngineInput, createdAt: number): KnowledgeElement[] {
  const last = input.answers.length - 1
  if (last < 0) return []
  return replayKnowledgeElements({ ...input, createdAt: () => createdAt }).createdByAnswer[last] ?? []
}

/** KEs to store once `nextStep` has returned `stop`. */
export function finalKnowledgeElements(input: EngineInput, createdAt: number): KnowledgeElement[] {
  if (input.algorithm === 'smart-random')
    return smartRandom.finalKnowledgeElements(input, resolveConfig(smartRandom.defaultConfig, input.config), createdAt)
  return jalonBayes.finalKnowledgeElements(input, resolveConfig(jalonBayes.defaultConfig, input.config), createdAt)
}

/** Every step of a recorded assessment: step i is what was decided after i answers. */
export function replay(input: EngineInput): NextStep[] {
  return Array.from({ length: input.answers.length + 1 }, (_, i) => nextStep({ ...input, answers: input.answers.slice(0, i) }))
}
