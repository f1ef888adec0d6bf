import type { Badge } from '../../content/types'
import { evaluateBadge, evaluateCriterion } from './badges'

const target = ['@a1', '@a2', '@a3', '@a4', '@b1', '@b2', '@b3', '@b4', '@b5', '@b6']
const badge = (criteria: Badge['criteria']): Badge => ({ key: 'CYBER', title: 'Cyber', message: 'Bravo', isAlwaysVisible: false, criteria })

describe('badge criteria', () => {
  it('participation: mastery over the whole target profile', () => {
    const validated = new Set(['@a1', '@a2', '@b1', '@b2', '@b3']) // 50 %
    expect(evaluateCriterion({ scope: 'participation', threshold: 50 }, target, validated)).toEqual({
      scope: 'participation',
      threshold: 50,
      masteryPercentage: 50,
      acquisitionPercentage: 100,
      fulfilled: true,
    })
    expect(evaluateCriterion({ scope: 'participation', threshold: 80 }, target, validated)).toMatchObject({
      acquisitionPercentage: 63, // round(50 / 80 × 100) = round(62.5)
      fulfilled: false,
    })
  })
  it('cappedTubes: mastery over the criterion skills only', () => {
    const criterion = { scope: 'cappedTubes' as const, threshold: 75, skillIds: ['@a1', '@a2', '@a3', '@a4'] }
    expect(evaluateCriterion(criterion, target, new Set(['@a1', '@a2', '@a3', '@b1']))).toMatchObject({
      masteryPercentage: 75,
      fulfilled: true,
    })
    expect(evaluateCriterion(criterion, target, new Set(['@a1', '@a2', '@b1', '@b2', '@b3', '@b4']))).toMatchObject({
      masteryPercentage: 50,
      acquisitionPercentage: 67,
      fulfilled: false,
    })
  })
  it('caps the acquisition at 100', () => {
    expect(evaluateCriterion({ scope: 'participation', threshold: 10 }, target, new Set(target)).acquisitionPercentage).toBe(100)
  })
  it('never fulfils an empty criterion', () => {
    expect(evaluateCriterion({ scope: 'cappedTubes', threshold: 50, skillIds: [] }, target, new Set(target))).toMatchObject({
      acquisitionPercentage: 0,
      fulfilled: false,
    })
  })
})

describe('evaluateBadge', () => {
  const b = badge([
    { scope: 'participation', threshold: 50 },
    { scope: 'cappedTubes', threshold: 60, skillIds: ['@a1', '@a2'] },
  ])
  it('is acquired when every criterion reaches 100', () => {
    const result = evaluateBadge(b, target, new Set(['@a1', '@a2', '@b1', '@b2', '@b3']))
    expect(result).toMatchObject({ key: 'CYBER', acquired: true, acquisitionPercentage: 100 })
  })
  it('is partial otherwise, with the rounded mean of its criteria (Pix: 83 and 100 → 92)', () => {
    const result = evaluateBadge(b, target, new Set(['@a1', '@b1', '@b2', '@b3', '@b4']))
    expect(result.criteria.map((c) => c.acquisitionPercentage)).toEqual([100, 83])
    expect(result).toMatchObject({ acquired: false, acquisitionPercentage: 92 })
  })
  it('is not acquired with nothing validated', () => {
    expect(evaluateBadge(b, target, new Set())).toMatchObject({ acquired: false, acquisitionPercentage: 0 })
  })
})
