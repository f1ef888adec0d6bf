/**
 * jalon-bayes: Jalon's own algorithm. A Bayesian model of each tube's true level, coupled within a
 * competence, with greedy selection of the question that most reduces the expected number of
 * misclassified target skills, and a per-competence stop rule on the expected drop of uncertainty.
 * See README.md for the math.
 */
import { buildBank, pickChallenge, type Bank, type StaticBank } from './bank'
import { isSuccess, makeKnowledgeElement, replayKnowledgeElements } from './knowledge-elements'
import { hashInt, hashString, mixSeeds } from './prng'
import type { EngineTube } from './tubes'
import type { EngineInput, EngineSkill, Estimate, KnowledgeElement, NextStep } from './types'

export interface JalonBayesConfig {
  /** Response model P(ok | θ, L) = guess + (1 − guess − slip)·σ(slope·(θ − L + offset)). */
  guess: number
  slip: number
  slope: number
  offset: number
  /** Prior of a competence's ability (in levels). */
  abilityMean: number
  abilitySd: number
  /** Spread of a tube's level around its competence's ability (what couples the tubes). */
  tubeSd: number
  /** Width of the level grid cells. */
  gridStep: number
  /** Stop when every target skill has P(mastered) ≥ confidence or ≤ 1 − confidence. */
  confidence: number
  /**
   * Stop when no question lowers the expected uncertainty Σ_skills P(m)(1 − P(m)) of its tube by at least
   * this much (the test's price of one question, in "skills × variance").
   */
  minGain: number
  maxLength: number
  maxQuestionsPerTube: number
  /** How much a KE from an earlier assessment is trusted (P(KE says mastered | mastered)). */
  directKeReliability: number
  inferredKeReliability: number
}

export const jalonBayesDefaultConfig: JalonBayesConfig = {
  guess: 0.1,
  slip: 0.1,
  slope: 1.7,
  offset: 0.5,
  abilityMean: 2.5,
  abilitySd: 1.5,
  tubeSd: 1,
  gridStep: 0.5,
  confidence: 0.85,
  minGain: 0.085,
  maxLength: 400,
  maxQuestionsPerTube: 4,
  directKeReliability: 0.95,
  inferredKeReliability: 0.85,
}

/** Ability grid: cell midpoints over [0, ABILITY_MAX]. */
const ABILITY_MAX = 8

interface TubeStatic {
  tube: EngineTube
  /** Number of grid cells; cell k covers [k·h, (k+1)·h), the first and last absorb the tails. */
  size: number
  /** Where the tube's cells start in the flat likelihood/posterior arrays. */
  offset: number
  /** P(θ in cell k | ability cell j), row-major [j·size + k]. */
  kernel: Float64Array
  /** Per target skill (tube order): the first cell above its level, so P(mastered) = Σ_{k ≥ cut} post[k]. */
  cuts: Int32Array
  /** P(ok | θ = cell midpoint) for each level 0..maxLevel. */
  curves: Float64Array[]
  /** Index of the tube's first skill in `Precomputed.skills`. */
  firstSkill: number
}

/** Everything that depends only on the bank and the model parameters, built once per pair. */
interface Precomputed {
  prior: Float64Array
  tubes: TubeStatic[]
  tubeIndex: Map<string, number>
  /** Tube indices of each competence. */
  competences: number[][]
  /** The tube indices of each tube's competence. */
  competenceOfTube: number[][]
  cells: number
  /** Target skills tube by tube (each tube easiest first). */
  skills: EngineSkill[]
  /** Recent posteriors of assessments on this bank with these parameters (LRU, see `posterior`). */
  posteriors: Map<string, Posterior>
}

const precomputedCache = new WeakMap<StaticBank, Map<string, Precomputed>>()

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): plenty for a prior.
  const sign = x < 0 ? -1 : 1
  const ax = Math.abs(x)
  const t = 1 / (1 + 0.3275911 * ax)
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-ax * ax)
  return sign * y
}
const normalCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2))

function precompute(bank: StaticBank, c: JalonBayesConfig): Precomputed {
  // Every parameter the posterior depends on, since memoised posteriors hang off this object.
  const key = [c.gridStep, c.abilityMean, c.abilitySd, c.tubeSd, c.guess, c.slip, c.slope, c.offset, c.directKeReliability, c.inferredKeReliability].join('|')
  let byKey = precomputedCache.get(bank)
  if (!byKey) {
    byKey = new Map()
    precomputedCache.set(bank, byKey)
  }
  const cached = byKey.get(key)
  if (cached) return cached

  const h = c.gridStep
  const n = Math.round(ABILITY_MAX / h)
  const prior = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    const z = ((j + 0.5) * h - c.abilityMean) / c.abilitySd
    prior[j] = Math.exp(-0.5 * z * z)
  }
  const tubes: TubeStatic[] = []
  const tubeIndex = new Map<string, number>()
  const byCompetence = new Map<string, number[]>()
  let cells = 0
  let firstSkill = 0
  for (const tube of bank.allTubes.values()) {
    // Cells up to one level above the tube's hardest target skill: above that every skill is mastered.
    const size = Math.round((tube.maxLevel + 1) / h)
    const kernel = new Float64Array(n * size)
    for (let j = 0; j < n; j++) {
      const a = (j + 0.5) * h
      for (let k = 0; k < size; k++) {
        const lo = k === 0 ? 0 : normalCdf((k * h - a) / c.tubeSd)
        const hi = k === size - 1 ? 1 : normalCdf(((k + 1) * h - a) / c.tubeSd)
        kernel[j * size + k] = Math.max(hi - lo, 1e-12)
      }
    }
    const curves = Array.from({ length: tube.maxLevel + 1 }, (_, level) => {
      const curve = new Float64Array(size)
      for (let k = 0; k < size; k++)
        curve[k] = c.guess + (1 - c.guess - c.slip) / (1 + Math.exp(-c.slope * ((k + 0.5) * h - level + c.offset)))
      return curve
    })
    const cuts = Int32Array.from(tube.skills, (s) => cutOf(s.level, h, size))
    tubeIndex.set(tube.name, tubes.length)
    const list = byCompetence.get(tube.competenceCode)
    if (list) list.push(tubes.length)
    else byCompetence.set(tube.competenceCode, [tubes.length])
    tubes.push({ tube, size, offset: cells, kernel, cuts, curves, firstSkill })
    cells += size
    firstSkill += tube.skills.length
  }
  const skills = tubes.flatMap((t) => t.tube.skills)
  const competenceOfTube = tubes.map((t) => byCompetence.get(t.tube.competenceCode)!)
  const pre = { prior, tubes, tubeIndex, competences: [...byCompetence.values()], competenceOfTube, cells, skills, posteriors: new Map() }
  byKey.set(key, pre)
  return pre
}

/** First cell whose midpoint is above `level`. */
const cutOf = (level: number, h: number, size: number) => Math.min(size, Math.max(0, Math.floor(level / h - 0.5) + 1))

export interface JalonBayesState {
  bank: Bank
  pre: Precomputed
  /** Per grid cell (flat, tube by tube): likelihood of the evidence, posterior of the tube's level. */
  lik: Float64Array
  post: Float64Array
  /** Questions asked per tube. */
  asked: Int32Array
  /**
   * Per skill (`pre.skills` order), NaN until computed: expected drop of the tube's misclassification risk
   * (Σ min(p, 1 − p)) and of its variance (Σ p(1 − p)) if the skill is asked.
   */
  errorGains: Float64Array
  varianceGains: Float64Array
  /** P(mastered) per target skill, in `pre.skills` order. */
  mastery: Float64Array
  /** Σ over target skills of min(p, 1 − p): the expected number of misclassified skills. */
  expectedErrors: number
  estimate: Estimate
}

type Posterior = Pick<JalonBayesState, 'lik' | 'post' | 'asked' | 'errorGains' | 'varianceGains'>

// ---------------------------------------------------------------------------------------------------------
// Posterior

/*
 * A test asks one question per call, so the posterior after n answers is usually the posterior after
 * n − 1 answers times one likelihood, and only that answer's competence changes. Recent posteriors are
 * memoised by a 64-bit hash of (KEs at start, answers); the incremental update performs the same float
 * operations in the same order as a full computation, so results are identical with or without the memo.
 */
const POSTERIOR_CACHE_SIZE = 256
let cacheGeneration = 0

/** Forgets memoised posteriors (tests and the benchmark use it to time or compare a cold computation). */
export function clearJalonBayesCache(): void {
  cacheGeneration++
}

const RESULT_CODES: Record<string, number> = { ok: 1, ko: 2, skipped: 3, timedout: 4, focusedOut: 5 }

function prefixKeys(input: EngineInput, generation: number): string[] {
  let a = mixSeeds(0x2545f491, generation)
  let b = 0x6a09e667 ^ generation
  for (const ke of input.knowledgeElements) {
    const h = hashString(ke.skillId)
    const code = (ke.status === 'validated' ? 1 : ke.status === 'invalidated' ? 2 : 3) + (ke.source === 'direct' ? 4 : 8)
    a = mixSeeds(a, h, code)
    b = hashInt(Math.imul(b, 31) + (h ^ (code << 7)))
  }
  const keys = [`${a}.${b}.k${input.knowledgeElements.length}`]
  for (const answer of input.answers) {
    const h = hashString(answer.challengeId)
    const code = RESULT_CODES[answer.result] ?? 0
    a = mixSeeds(a, h, code)
    b = hashInt(Math.imul(b, 31) + (h ^ (code << 7)))
    keys.push(`${a}.${b}.${keys.length}`)
  }
  return keys
}

function fullPosterior(input: EngineInput, c: JalonBayesConfig, bank: Bank, pre: Precomputed): Posterior {
  const lik = new Float64Array(pre.cells).fill(1)
  const post = new Float64Array(pre.cells)
  const asked = new Int32Array(pre.tubes.length)

  // Evidence from earlier assessments: a KE is a noisy statement about θ ≥ level.
  for (const ke of input.knowledgeElements) {
    const skill = bank.skillById.get(ke.skillId)
    if (!skill || ke.status === 'reset') continue
    const t = pre.tubes[pre.tubeIndex.get(skill.tubeName)!]!
    const r = ke.source === 'direct' ? c.directKeReliability : c.inferredKeReliability
    const up = ke.status === 'validated' ? r : 1 - r
    const cut = cutOf(skill.level, c.gridStep, t.size)
    for (let k = 0; k < t.size; k++) lik[t.offset + k]! *= k >= cut ? up : 1 - up
  }
  for (const answer of input.answers) applyAnswer(answer, bank, pre, lik, asked)
  for (const members of pre.competences) competencePosterior(pre, members, lik, post)
  return { lik, post, asked, errorGains: new Float64Array(pre.skills.length).fill(NaN), varianceGains: new Float64Array(pre.skills.length).fill(NaN) }
}

/** Multiplies the answer's likelihood into its tube; returns the tube index (−1: not a target skill). */
function applyAnswer(answer: EngineInput['answers'][number], bank: Bank, pre: Precomputed, lik: Float64Array, asked: Int32Array): number {
  const challenge = bank.challengeById.get(answer.challengeId)
  const skill = challenge && bank.skillById.get(challenge.skillId)
  if (!skill) return -1
  const ti = pre.tubeIndex.get(skill.tubeName)!
  const t = pre.tubes[ti]!
  asked[ti]!++
  const curve = t.curves[skill.level]!
  const ok = isSuccess(answer.result)
  for (let k = 0; k < t.size; k++) lik[t.offset + k]! *= ok ? curve[k]! : 1 - curve[k]!
  return ti
}

function posterior(input: EngineInput, c: JalonBayesConfig, bank: Bank, pre: Precomputed): Posterior {
  const cache = pre.posteriors
  const keys = prefixKeys(input, cacheGeneration)
  const key = keys[keys.length - 1]!
  const hit = cache.get(key)
  if (hit) return hit
  const prev = keys.length > 1 ? cache.get(keys[keys.length - 2]!) : undefined
  let result: Posterior
  if (prev) {
    const lik = prev.lik.slice()
    const asked = prev.asked.slice()
    const post = prev.post.slice()
    const errorGains = prev.errorGains.slice()
    const varianceGains = prev.varianceGains.slice()
    const ti = applyAnswer(input.answers[input.answers.length - 1]!, bank, pre, lik, asked)
    if (ti >= 0) {
      const members = pre.competenceOfTube[ti]!
      competencePosterior(pre, members, lik, post)
      for (const u of members) {
        const { firstSkill, cuts } = pre.tubes[u]!
        errorGains.fill(NaN, firstSkill, firstSkill + cuts.length)
        varianceGains.fill(NaN, firstSkill, firstSkill + cuts.length)
      }
    }
    result = { lik, post, asked, errorGains, varianceGains }
  } else {
    result = fullPosterior(input, c, bank, pre)
  }
  cache.set(key, result)
  if (cache.size > POSTERIOR_CACHE_SIZE) cache.delete(cache.keys().next().value!)
  return result
}

export function jalonBayesState(input: EngineInput, c: JalonBayesConfig, bank: Bank = buildBank(input)): JalonBayesState {
  const pre = precompute(bank.base, c)
  const { lik, post, asked, errorGains, varianceGains } = posterior(input, c, bank, pre)
  const mastery = new Float64Array(pre.skills.length)
  let expectedErrors = 0
  let levelSum = 0
  let si = 0
  for (const t of pre.tubes) {
    for (let i = 0; i < t.cuts.length; i++) {
      const p = tail(post, t.offset + t.cuts[i]!, t.offset + t.size)
      mastery[si++] = p
      expectedErrors += Math.min(p, 1 - p)
    }
    for (let k = 0; k < t.size; k++) levelSum += post[t.offset + k]! * (k + 0.5) * c.gridStep
  }
  const estimate = { level: pre.tubes.length > 0 ? levelSum / pre.tubes.length : 0, expectedErrors }
  return { bank, pre, lik, post, asked, errorGains, varianceGains, mastery, expectedErrors, estimate }
}

/**
 * Exact posterior of a star-shaped model: ability → tube levels → answers. Each tube sends the ability
 * its likelihood message; each tube's posterior is its likelihood times the prior predicted from the
 * ability prior and the other tubes' messages.
 */
function competencePosterior(pre: Precomputed, members: readonly number[], lik: Float64Array, post: Float64Array): void {
  const n = pre.prior.length
  const messages = new Float64Array(members.length * n)
  members.forEach((ti, u) => {
    const t = pre.tubes[ti]!
    let max = 0
    for (let j = 0; j < n; j++) {
      let sum = 0
      const row = j * t.size
      for (let k = 0; k < t.size; k++) sum += t.kernel[row + k]! * lik[t.offset + k]!
      messages[u * n + j] = sum
      if (sum > max) max = sum
    }
    for (let j = 0; j < n; j++) messages[u * n + j]! /= max
  })
  members.forEach((ti, u) => {
    const t = pre.tubes[ti]!
    for (let k = 0; k < t.size; k++) post[t.offset + k] = 0
    for (let j = 0; j < n; j++) {
      let w = pre.prior[j]!
      for (let v = 0; v < members.length; v++) if (v !== u) w *= messages[v * n + j]!
      const row = j * t.size
      for (let k = 0; k < t.size; k++) post[t.offset + k]! += w * t.kernel[row + k]!
    }
    let total = 0
    for (let k = 0; k < t.size; k++) {
      const v = post[t.offset + k]! * lik[t.offset + k]!
      post[t.offset + k] = v
      total += v
    }
    for (let k = 0; k < t.size; k++) post[t.offset + k]! /= total
  })
}

function tail(post: Float64Array, from: number, to: number): number {
  let p = 0
  for (let k = from; k < to; k++) p += post[k]!
  return p
}

export function masteryBySkill(state: JalonBayesState): Map<string, number> {
  return new Map(state.pre.skills.map((s, i) => [s.id, state.mastery[i]!]))
}

// ---------------------------------------------------------------------------------------------------------
// Selection

// Scratch buffers for the hot loop (no allocation per candidate).
let suffix1 = new Float64Array(32)
let suffix0 = new Float64Array(32)

/**
 * Fills the skill's expected gains: the drop of the tube's Σ min(p, 1 − p) (expected misclassified skills)
 * and of its Σ p(1 − p) if a challenge of the skill is answered. Exact for the tube (its posterior is
 * multiplied by the response likelihood); the other tubes of the competence also learn from the answer,
 * which is left out (counting it did not improve the benchmark, see README).
 */
export function computeGains(state: JalonBayesState, tubeIndex: number, skillIndex: number): void {
  const t = state.pre.tubes[tubeIndex]!
  const curve = t.curves[state.pre.skills[skillIndex]!.level]!
  if (suffix1.length < t.size) {
    suffix1 = new Float64Array(t.size)
    suffix0 = new Float64Array(t.size)
  }
  // Suffix sums of the joint P(θ in cells ≥ k, y) for y = 1 and y = 0.
  let s1 = 0
  let s0 = 0
  for (let k = t.size - 1; k >= 0; k--) {
    const p = state.post[t.offset + k]!
    const q = p * curve[k]!
    s1 += q
    s0 += p - q
    suffix1[k] = s1
    suffix0[k] = s0
  }
  let errorBefore = 0
  let errorAfter = 0
  let varianceBefore = 0
  let varianceAfter = 0
  for (let i = 0; i < t.cuts.length; i++) {
    const cut = t.cuts[i]!
    // P(mastered, y): the posterior after y is t_y / s_y, weighted by P(y) = s_y.
    const t1 = cut < t.size ? suffix1[cut]! : 0
    const t0 = cut < t.size ? suffix0[cut]! : 0
    const p = t1 + t0
    errorBefore += Math.min(p, 1 - p)
    errorAfter += Math.min(t1, s1 - t1) + Math.min(t0, s0 - t0)
    varianceBefore += p * (1 - p)
    varianceAfter += (s1 > 0 ? (t1 * (s1 - t1)) / s1 : 0) + (s0 > 0 ? (t0 * (s0 - t0)) / s0 : 0)
  }
  state.errorGains[skillIndex] = errorBefore - errorAfter
  state.varianceGains[skillIndex] = varianceBefore - varianceAfter
}

interface Candidate {
  skill: EngineSkill
  errorGain: number
  varianceGain: number
  untimed: boolean
}

export function jalonBayesNextStep(input: EngineInput, c: JalonBayesConfig): NextStep {
  const state = jalonBayesState(input, c)
  const { bank, pre, estimate } = state
  const stop = (reason: Extract<NextStep, { kind: 'stop' }>['reason']): NextStep => ({ kind: 'stop', reason, estimate })

  let confident = true
  for (const p of state.mastery) if (p > 1 - c.confidence && p < c.confidence) confident = false
  if (confident) return stop('confident')
  if (input.answers.length >= c.maxLength) return stop('max-length')

  const candidates: Candidate[] = []
  for (let ti = 0; ti < pre.tubes.length; ti++) {
    if (state.asked[ti]! >= c.maxQuestionsPerTube) continue
    const { tube, firstSkill } = pre.tubes[ti]!
    for (let k = 0; k < tube.skills.length; k++) {
      const skill = tube.skills[k]!
      let playable = false
      let untimed = false
      for (const ch of bank.challengesBySkill.get(skill.id) ?? []) {
        if (bank.answered.has(ch.id)) continue
        playable = true
        if (!ch.timed) untimed = true
      }
      if (!playable) continue
      const si = firstSkill + k
      if (Number.isNaN(state.errorGains[si]!)) computeGains(state, ti, si)
      candidates.push({ skill, errorGain: state.errorGains[si]!, varianceGain: state.varianceGains[si]!, untimed })
    }
  }
  if (candidates.length === 0) return stop('bank-exhausted')

  // A competence stays open while one of its questions lowers the expected variance enough (smooth in the
  // evidence, unlike the error count, which only moves when an answer can flip a classification). Per
  // competence, so that a multi-competence test is the sum of its single-competence tests.
  const open = new Set(candidates.filter((x) => x.varianceGain >= c.minGain).map((x) => x.skill.competenceCode))
  if (open.size === 0) return stop('not-informative')
  let pool = candidates.filter((x) => open.has(x.skill.competenceCode))
  // After a time-out, and for the first question, avoid timed challenges when an untimed one is worth asking.
  const avoidTimed = input.answers.length === 0 || input.answers[input.answers.length - 1]!.result === 'timedout'
  if (avoidTimed && pool.some((x) => x.untimed)) pool = pool.filter((x) => x.untimed)

  // Most expected misclassifications removed; then most variance removed; near-ties broken by the seed.
  const bestError = Math.max(...pool.map((x) => x.errorGain))
  pool = pool.filter((x) => x.errorGain >= bestError - 1e-9)
  const bestVariance = Math.max(...pool.map((x) => x.varianceGain))
  pool = pool.filter((x) => x.varianceGain >= bestVariance - 1e-9)
  const pickHash = mixSeeds(input.seed, input.answers.length)
  const chosen = pool[pickHash % pool.length]!
  let remaining = bank.remaining(chosen.skill.id)
  if (avoidTimed && chosen.untimed) remaining = remaining.filter((ch) => !ch.timed)
  const challenge = pickChallenge(remaining, hashInt(pickHash))
  return { kind: 'ask', challengeId: challenge.id, skillId: chosen.skill.id, estimate }
}

/**
 * KEs that make the stored state match the final classification (P(mastered) ≥ 0.5 → validated): one per
 * target skill whose current KE (earlier assessments + this one's answer-by-answer KEs) says otherwise or
 * is missing. Direct when the skill was asked and its last answer agrees, inferred otherwise.
 */
export function jalonBayesFinalKnowledgeElements(input: EngineInput, c: JalonBayesConfig, createdAt: number): KnowledgeElement[] {
  const state = jalonBayesState(input, c)
  const mastery = masteryBySkill(state)
  const { current } = replayKnowledgeElements(input)
  const lastAnswerOnSkill = new Map<string, { ok: boolean; id: string | undefined }>()
  for (const a of input.answers) {
    const ch = state.bank.challengeById.get(a.challengeId)
    if (ch) lastAnswerOnSkill.set(ch.skillId, { ok: isSuccess(a.result), id: a.id })
  }
  const out: KnowledgeElement[] = []
  for (const skill of input.skills) {
    const validated = (mastery.get(skill.id) ?? 0) >= 0.5
    const status = validated ? 'validated' : 'invalidated'
    const last = lastAnswerOnSkill.get(skill.id)
    const direct = last !== undefined && last.ok === validated
    const existing = current.get(skill.id)
    if (existing && existing.status === status && (existing.source === 'direct') === direct) continue
    out.push(makeKnowledgeElement(skill, status, direct ? 'direct' : 'inferred', createdAt, direct ? last.id : undefined))
  }
  return out
}
