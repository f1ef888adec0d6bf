import { clearJalonBayesCache, jalonBayesDefaultConfig, jalonBayesState, masteryBySkill } from './jalon-bayes'
import { replayKnowledgeElements, toLatestUniqNonReset } from './knowledge-elements'
import { finalKnowledgeElements, nextStep, replay } from './next-step'
import { syntheticBank } from './synthetic-bank'
import type { Answer, EngineInput, KnowledgeElement, NextStep } from './types'

// Two competences of three tubes (levels 1..5, 1..4, 1..6).
const bank = syntheticBank({ competences: 2, tubeMaxLevels: [5, 4, 6], timedEvery: 5 })
const base: EngineInput = { algorithm: 'jalon-bayes', seed: 11, skills: bank.skills, challenges: bank.challenges, knowledgeElements: [], answers: [] }
const c = jalonBayesDefaultConfig
const mastery = (input: EngineInput) => masteryBySkill(jalonBayesState(input, c))
const answer = (skillId: string, result: Answer['result'], k = 0): Answer => ({ challengeId: `ch-${skillId.slice(1)}-${k}`, result })

function run(start: EngineInput, result: (step: Extract<NextStep, { kind: 'ask' }>) => Answer['result']) {
  const answers: Answer[] = []
  const steps: NextStep[] = []
  for (let i = 0; i < 200; i++) {
    const step = nextStep({ ...start, answers: [...answers] })
    steps.push(step)
    if (step.kind === 'stop') break
    answers.push({ challengeId: step.challengeId, result: result(step), id: `a${i}` })
  }
  return { steps, answers }
}

describe('jalon-bayes: posterior', () => {
  it('gives each tube a decreasing P(mastered) along its levels', () => {
    const m = mastery({ ...base, answers: [answer('@c1t05', 'ok'), answer('@c1t03', 'ko')] })
    for (const tube of ['c1t0', 'c1t1', 'c1t2']) {
      const ps = [1, 2, 3, 4].map((l) => m.get(`@${tube}${l}`)!)
      for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeLessThanOrEqual(ps[i - 1]! + 1e-12)
    }
  })

  it('a success raises the skill, the tube and — through the ability — the other tubes of the competence only', () => {
    const before = mastery(base)
    const after = mastery({ ...base, answers: [answer('@c1t03', 'ok')] })
    expect(after.get('@c1t03')!).toBeGreaterThan(before.get('@c1t03')! + 0.2)
    expect(after.get('@c1t02')!).toBeGreaterThan(before.get('@c1t02')!)
    expect(after.get('@c1t13')!).toBeGreaterThan(before.get('@c1t13')!)
    expect(after.get('@c2t03')!).toBeCloseTo(before.get('@c2t03')!, 12)
  })

  it('a failure lowers it; a skipped or timed-out answer counts as a failure', () => {
    const before = mastery(base).get('@c1t02')!
    for (const result of ['ko', 'skipped', 'timedout'] as const) expect(mastery({ ...base, answers: [answer('@c1t02', result)] }).get('@c1t02')!).toBeLessThan(before - 0.2)
  })

  it('uses KEs from earlier assessments as evidence', () => {
    const ke: KnowledgeElement = { skillId: '@c1t04', status: 'validated', source: 'direct', earnedPix: 1, createdAt: 0 }
    expect(mastery({ ...base, knowledgeElements: [ke] }).get('@c1t04')!).toBeGreaterThan(0.8)
    // Memoised posteriors are per parameter set: a less trusted KE moves the estimate less.
    const doubtful = masteryBySkill(jalonBayesState({ ...base, knowledgeElements: [ke] }, { ...c, directKeReliability: 0.6 }))
    expect(doubtful.get('@c1t04')!).toBeLessThan(mastery({ ...base, knowledgeElements: [ke] }).get('@c1t04')!)
  })

  it('memoised incremental posteriors equal a cold computation', () => {
    const { answers } = run(base, (s) => (s.skillId.endsWith('1') || s.skillId.endsWith('2') ? 'ok' : 'ko'))
    const input = { ...base, answers }
    const warm = jalonBayesState(input, c)
    clearJalonBayesCache()
    const cold = jalonBayesState(input, c)
    expect(Array.from(warm.post)).toEqual(Array.from(cold.post))
    expect(Array.from(warm.mastery)).toEqual(Array.from(cold.mastery))
  })
})

describe('jalon-bayes: steps', () => {
  it('asks an untimed challenge first', () => {
    const step = nextStep(base)
    expect(step.kind).toBe('ask')
    if (step.kind === 'ask') expect(bank.challenges.find((ch) => ch.id === step.challengeId)!.timed).toBe(false)
  })

  it('stops on its own, with fewer questions than target skills, and never asks a challenge twice', () => {
    const { steps, answers } = run(base, (s) => (Number(s.skillId.at(-1)) <= 2 ? 'ok' : 'ko'))
    expect(steps.at(-1)).toMatchObject({ kind: 'stop', reason: 'not-informative' })
    expect(answers.length).toBeGreaterThan(2)
    expect(answers.length).toBeLessThan(bank.skills.length)
    expect(new Set(answers.map((a) => a.challengeId)).size).toBe(answers.length)
  })

  it('honours maxLength and the per-tube cap, and reports an exhausted bank', () => {
    expect(run({ ...base, config: { maxLength: 3 } }, () => 'ok').steps.at(-1)).toMatchObject({ kind: 'stop', reason: 'max-length' })
    const capped = run({ ...base, config: { maxQuestionsPerTube: 1, minGain: 0 } }, () => 'ok')
    expect(capped.answers.length).toBe(6)
    expect(capped.steps.at(-1)).toMatchObject({ kind: 'stop', reason: 'bank-exhausted' })
  })

  it('stops as soon as every skill is confidently classified', () => {
    const kes: KnowledgeElement[] = bank.skills.map((s) => ({ skillId: s.id, status: s.level <= 2 ? 'validated' : 'invalidated', source: 'direct', earnedPix: 0, createdAt: 0 }))
    expect(nextStep({ ...base, knowledgeElements: kes, config: { directKeReliability: 0.999 } })).toMatchObject({ kind: 'stop', reason: 'confident' })
  })

  it('is deterministic and replayable: same seed and answers, same steps', () => {
    const answerOf = (s: Extract<NextStep, { kind: 'ask' }>) => (s.challengeId.length % 3 ? 'ok' : 'ko')
    const a = run(base, answerOf)
    clearJalonBayesCache()
    const b = run(base, answerOf)
    expect(b.steps).toEqual(a.steps)
    expect(replay({ ...base, answers: a.answers })).toEqual(a.steps)
    const other = run({ ...base, seed: 12 }, answerOf)
    expect(other.steps.length).toBeGreaterThan(1)
  })
})

describe('jalon-bayes: final knowledge elements', () => {
  it('make the latest KE of every target skill match the final classification', () => {
    const { answers } = run(base, (s) => (Number(s.skillId.at(-1)) <= 3 ? 'ok' : 'ko'))
    const input = { ...base, answers }
    const perAnswer = replayKnowledgeElementsFlat(input)
    const finals = finalKnowledgeElements(input, 1000)
    const latest = new Map(toLatestUniqNonReset([...perAnswer, ...finals]).map((ke) => [ke.skillId, ke]))
    const m = mastery(input)
    for (const skill of bank.skills) {
      const ke = latest.get(skill.id)!
      expect(ke.status).toBe(m.get(skill.id)! >= 0.5 ? 'validated' : 'invalidated')
      expect(ke.earnedPix).toBe(ke.status === 'validated' ? skill.pixValue : 0)
    }
    // Direct only when the skill's last answer agrees with the classification.
    for (const ke of finals.filter((k) => k.source === 'direct')) expect(ke.answerId).toBeDefined()
  })
})

function replayKnowledgeElementsFlat(input: EngineInput): KnowledgeElement[] {
  return replayKnowledgeElements({ ...input, createdAt: (i) => i }).createdByAnswer.flat()
}
