import { buildBank } from './bank'
import { nextStep } from './next-step'
import { CAT_LEVELS, predictLevel, reward, smartRandomCandidates, smartRandomDefaultConfig } from './smart-random'
import type { Answer, EngineChallenge, EngineInput, EngineSkill, KnowledgeElement } from './types'

const skill = (tubeName: string, level: number): EngineSkill => ({ id: `@${tubeName}${level}`, tubeName, competenceCode: '1.1', level, pixValue: 1 })
const tube = (name: string, max: number) => Array.from({ length: max }, (_, i) => skill(name, i + 1))
const challengesOf = (skills: EngineSkill[], timed: (s: EngineSkill) => boolean = () => false): EngineChallenge[] =>
  skills.map((s) => ({ id: `ch${s.id}`, skillId: s.id, timed: timed(s), status: 'active' }))

const input = (skills: EngineSkill[], extra: Partial<EngineInput> = {}): EngineInput => ({
  algorithm: 'smart-random',
  seed: 7,
  skills,
  challenges: challengesOf(skills),
  knowledgeElements: [],
  answers: [],
  ...extra,
})
const ids = (skills: EngineSkill[]) => skills.map((s) => s.id).sort()
const ke = (skillId: string, status: 'validated' | 'invalidated', source: 'direct' | 'inferred' = 'direct'): KnowledgeElement => ({ skillId, status, source, earnedPix: 0, createdAt: 0 })

describe('smart-random: first challenge', () => {
  it('asks a level-2 skill of an easy tube (max level ≤ 3) first', () => {
    const skills = [...tube('hard', 5), ...tube('easy', 3)]
    const { skills: candidates, level } = smartRandomCandidates(input(skills), smartRandomDefaultConfig)
    expect(ids(candidates)).toEqual(['@easy2'])
    expect(level).toBe(2)
  })

  it('without easy tubes, asks level 2 of any tube', () => {
    const skills = [...tube('a', 5), ...tube('b', 6)]
    expect(ids(smartRandomCandidates(input(skills), smartRandomDefaultConfig).skills)).toEqual(['@a2', '@b2'])
  })

  it('never starts with a timed challenge when an untimed skill exists', () => {
    const skills = [...tube('a', 5), ...tube('b', 5)]
    const challenges = challengesOf(skills, (s) => s.id === '@a2')
    expect(ids(smartRandomCandidates(input(skills, { challenges }), smartRandomDefaultConfig).skills)).toEqual(['@b2'])
  })

  it('falls back to the lowest level when no level-2 skill is left, skipping tested skills', () => {
    const skills = tube('a', 5)
    const { skills: candidates } = smartRandomCandidates(input(skills, { knowledgeElements: [ke('@a2', 'validated')] }), smartRandomDefaultConfig)
    expect(ids(candidates)).toEqual(['@a1'])
  })
})

describe('smart-random: predicted level (grid MLE with two virtual answers)', () => {
  const skills = tube('a', 7)
  const byId = new Map(skills.map((s) => [s.id, s]))

  it('is 3.5 without evidence: the two virtual answers balance there', () => {
    expect(predictLevel([], byId)).toBe(3.5)
  })

  it('moves up with successes, down with failures, and ignores inferred KEs', () => {
    expect(predictLevel([ke('@a5', 'validated'), ke('@a6', 'validated')], byId)).toBeGreaterThan(3.5)
    expect(predictLevel([ke('@a1', 'invalidated'), ke('@a2', 'invalidated')], byId)).toBeLessThan(3.5)
    expect(predictLevel([ke('@a1', 'invalidated', 'inferred')], byId)).toBe(3.5)
  })

  it('is a root of the residual sum on the CAT grid', () => {
    const level = predictLevel([ke('@a2', 'validated'), ke('@a4', 'invalidated')], byId)
    expect(CAT_LEVELS).toContain(level)
    const residual = (l: number) => [[0, 1], [7, 0], [2, 1], [4, 0]].reduce((s, [d, y]) => s + y! - 1 / (1 + Math.exp(-(l - d!))), 0)
    for (const other of CAT_LEVELS) expect(Math.abs(residual(level))).toBeLessThanOrEqual(Math.abs(residual(other)))
  })
})

describe('smart-random: next challenge', () => {
  it('drops skills more than 2 levels above the predicted level', () => {
    const skills = tube('a', 8)
    // Failures on levels 1-2 put the predicted level low; @a3.. were invalidated by inference except a gap.
    const kes = [ke('@a1', 'validated'), ke('@a2', 'invalidated'), ke('@a3', 'invalidated', 'inferred'), ke('@a4', 'invalidated', 'inferred')]
    const i = input(skills, { knowledgeElements: kes, answers: [{ challengeId: 'ch@a2', result: 'ko' }] })
    const level = predictLevel(kes, new Map(skills.map((s) => [s.id, s])))
    const { skills: candidates } = smartRandomCandidates(i, smartRandomDefaultConfig)
    expect(candidates.every((s) => s.level - level <= 2)).toBe(true)
  })

  it('rewards with inclusive counts of untested tube skills and keeps every tie', () => {
    const skills = tube('a', 5)
    const bank = buildBank(input(skills))
    const untested = () => false
    // p = σ(3 − 3) = 0.5: 0.5·|{1,2,3}| + 0.5·|{3,4,5}| = 3.
    expect(reward(skills[2]!, 3, bank, untested)).toBeCloseTo(3)
    // With everything else tested the skill still counts itself: reward 1.
    expect(reward(skills[2]!, 3, bank, (id) => id !== '@a3')).toBeCloseTo(1)
    const twoTubes = [...tube('a', 5), ...tube('b', 5)]
    const i = input(twoTubes, { answers: [{ challengeId: 'nope', result: 'ok' }] })
    expect(ids(smartRandomCandidates(i, smartRandomDefaultConfig).skills)).toEqual(['@a3', '@b3'])
  })

  it('avoids timed skills right after a timed-out answer', () => {
    const skills = [...tube('a', 5), ...tube('b', 5)]
    const challenges = challengesOf(skills, (s) => s.tubeName === 'a')
    const answers: Answer[] = [{ challengeId: 'ch@b4', result: 'timedout' }]
    const after = smartRandomCandidates(input(skills, { challenges, answers }), smartRandomDefaultConfig).skills
    expect(after.length).toBeGreaterThan(0)
    expect(after.every((s) => s.tubeName === 'b')).toBe(true)
    const okAnswers: Answer[] = [{ challengeId: 'ch@b4', result: 'ko' }]
    expect(smartRandomCandidates(input(skills, { challenges, answers: okAnswers }), smartRandomDefaultConfig).skills.some((s) => s.tubeName === 'a')).toBe(true)
  })

  it('stops when no candidate skill remains', () => {
    const skills = tube('a', 3)
    const steps = runToEnd(input(skills), () => 'ok')
    expect(steps.at(-1)).toMatchObject({ kind: 'stop', reason: 'no-candidate' })
    // @a2 then @a3 (a success validates @a1 by inference).
    expect(steps.filter((s) => s.kind === 'ask').map((s) => s.kind === 'ask' && s.skillId)).toEqual(['@a2', '@a3'])
  })

  it('is deterministic: same seed, same sequence', () => {
    const skills = [...tube('a', 5), ...tube('b', 5), ...tube('c', 4)]
    const answerOf = (id: string) => (id.length % 2 ? 'ok' : 'ko')
    const a = runToEnd(input(skills, { seed: 123 }), answerOf)
    const b = runToEnd(input(skills, { seed: 123 }), answerOf)
    expect(a).toEqual(b)
  })
})

function runToEnd(start: EngineInput, result: (challengeId: string) => Answer['result']) {
  const answers: Answer[] = []
  const steps = []
  for (let i = 0; i < 100; i++) {
    const step = nextStep({ ...start, answers: [...answers] })
    steps.push(step)
    if (step.kind === 'stop') break
    answers.push({ challengeId: step.challengeId, result: result(step.challengeId) })
  }
  return steps
}
