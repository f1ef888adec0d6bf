import { applyImproveFilter, createKnowledgeElementsForAnswer, isSuccess, replayKnowledgeElements, toLatestUniqNonReset } from './knowledge-elements'
import { groupTubes } from './tubes'
import type { EngineChallenge, EngineSkill, KnowledgeElement } from './types'

const skill = (tubeName: string, level: number, pixValue = 1): EngineSkill => ({ id: `@${tubeName}${level}`, tubeName, competenceCode: '1.1', level, pixValue })
const tubeA = [1, 2, 3, 4, 5].map((l) => skill('a', l, l))
const tubeB = [1, 2, 3].map((l) => skill('b', l))
const skills = [...tubeA, ...tubeB]
const tubes = groupTubes(skills)
const challenges: EngineChallenge[] = skills.map((s) => ({ id: `ch${s.id}`, skillId: s.id, timed: false, status: 'active' }))
const DAY = 24 * 3600 * 1000

const statuses = (kes: KnowledgeElement[]) => Object.fromEntries(kes.map((ke) => [ke.skillId, `${ke.status}/${ke.source}`]))

describe('knowledge elements for an answer (tube inference)', () => {
  it('a success validates the skill directly and the strictly easier skills of its tube by inference', () => {
    const kes = createKnowledgeElementsForAnswer({ answer: { challengeId: 'x', result: 'ok', id: 'ans1' }, skill: tubeA[2]!, tube: tubes.get('a'), assessed: new Set(), createdAt: 5 })
    expect(statuses(kes)).toEqual({ '@a3': 'validated/direct', '@a1': 'validated/inferred', '@a2': 'validated/inferred' })
    expect(kes.find((k) => k.skillId === '@a3')).toEqual({ skillId: '@a3', status: 'validated', source: 'direct', earnedPix: 3, createdAt: 5, answerId: 'ans1' })
  })

  it('a failure invalidates the skill and the strictly harder ones, with no pix', () => {
    const kes = createKnowledgeElementsForAnswer({ answer: { challengeId: 'x', result: 'ko' }, skill: tubeA[2]!, tube: tubes.get('a'), assessed: new Set(), createdAt: 0 })
    expect(statuses(kes)).toEqual({ '@a3': 'invalidated/direct', '@a4': 'invalidated/inferred', '@a5': 'invalidated/inferred' })
    expect(kes.every((k) => k.earnedPix === 0)).toBe(true)
  })

  it.each(['skipped', 'timedout', 'focusedOut'] as const)('a %s answer counts as a failure', (result) => {
    expect(isSuccess(result)).toBe(false)
    const kes = createKnowledgeElementsForAnswer({ answer: { challengeId: 'x', result }, skill: tubeB[1]!, tube: tubes.get('b'), assessed: new Set(), createdAt: 0 })
    expect(statuses(kes)).toEqual({ '@b2': 'invalidated/direct', '@b3': 'invalidated/inferred' })
  })

  it('creates no direct KE for an already assessed skill and does not infer over assessed skills', () => {
    const kes = createKnowledgeElementsForAnswer({ answer: { challengeId: 'x', result: 'ok' }, skill: tubeA[3]!, tube: tubes.get('a'), assessed: new Set(['@a4', '@a2']), createdAt: 0 })
    expect(statuses(kes)).toEqual({ '@a1': 'validated/inferred', '@a3': 'validated/inferred' })
  })

  it('never infers across tubes', () => {
    const kes = createKnowledgeElementsForAnswer({ answer: { challengeId: 'x', result: 'ko' }, skill: tubeB[0]!, tube: tubes.get('b'), assessed: new Set(), createdAt: 0 })
    expect(kes.every((k) => k.skillId.startsWith('@b'))).toBe(true)
  })
})

describe('toLatestUniqNonReset', () => {
  it('keeps the latest KE per skill and drops reset ones', () => {
    const ke = (skillId: string, status: KnowledgeElement['status'], createdAt: number): KnowledgeElement => ({ skillId, status, source: 'direct', earnedPix: 0, createdAt })
    const latest = toLatestUniqNonReset([ke('@a1', 'validated', 1), ke('@a1', 'invalidated', 3), ke('@a2', 'validated', 1), ke('@a2', 'reset', 2), ke('@a3', 'invalidated', 2), ke('@a3', 'validated', 2)])
    expect(statuses(latest)).toEqual({ '@a1': 'invalidated/direct', '@a3': 'validated/direct' })
  })
})

describe('improve filter', () => {
  const now = 100 * DAY
  const ke = (status: 'validated' | 'invalidated', ageDays: number): KnowledgeElement => ({ skillId: `${status}${ageDays}`, status, source: 'direct', earnedPix: 0, createdAt: now - ageDays * DAY })

  it('forgets invalidated KEs at least N days old and keeps validated ones of any age', () => {
    const kept = applyImproveFilter([ke('invalidated', 3.9), ke('invalidated', 4), ke('invalidated', 10), ke('validated', 10), ke('validated', 1)], { assessmentCreatedAt: now, minimumDelayInDays: 4 })
    expect(kept.map((k) => k.skillId)).toEqual(['invalidated3.9', 'validated10', 'validated1'])
  })

  it('uses the delay it is given', () => {
    expect(applyImproveFilter([ke('invalidated', 2)], { assessmentCreatedAt: now, minimumDelayInDays: 1 })).toEqual([])
  })
})

describe('replayKnowledgeElements', () => {
  it('replays answers in order over the KEs at start; non-target challenges create nothing', () => {
    const start: KnowledgeElement[] = [{ skillId: '@a2', status: 'invalidated', source: 'direct', earnedPix: 0, createdAt: 0 }, { skillId: '@zz9', status: 'validated', source: 'direct', earnedPix: 8, createdAt: 0 }]
    const { current, createdByAnswer } = replayKnowledgeElements({
      skills,
      challenges,
      knowledgeElements: start,
      answers: [
        { challengeId: 'ch@a4', result: 'ok' },
        { challengeId: 'unknown', result: 'ok' },
        { challengeId: 'ch@b1', result: 'ko' },
      ],
      createdAt: (i) => 10 + i,
    })
    expect(statuses(createdByAnswer[0]!)).toEqual({ '@a4': 'validated/direct', '@a1': 'validated/inferred', '@a3': 'validated/inferred' })
    expect(createdByAnswer[1]).toEqual([])
    expect(statuses(createdByAnswer[2]!)).toEqual({ '@b1': 'invalidated/direct', '@b2': 'invalidated/inferred', '@b3': 'invalidated/inferred' })
    expect(current.get('@a2')!.status).toBe('invalidated')
    expect(current.has('@zz9')).toBe(false)
    expect(current.get('@b3')!.createdAt).toBe(12)
  })
})
