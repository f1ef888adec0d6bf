import { orderStages, reachedStage, reachedStages } from './stages'

const stage = (title: string, threshold: number, isFirstSkill?: boolean) => ({ title, threshold, isFirstSkill })
const zero = stage('zéro', 0)
const s30 = stage('30', 30)
const s60 = stage('60', 60)
const s100 = stage('100', 100)

describe('orderStages', () => {
  it('sorts by threshold and moves the first-skill stage to position 1', () => {
    const first = stage('premier acquis', 40, true)
    expect(orderStages([s60, first, s30, zero]).map((s) => s.title)).toEqual(['zéro', 'premier acquis', '30', '60'])
  })
})

describe('reachedStage', () => {
  const stages = [s100, s30, zero, s60]

  it('is the zero stage when nothing is validated', () => {
    expect(reachedStage(stages, 0, 0)).toEqual({ stage: zero, reachedStage: 1, totalStage: 4 })
  })
  it('is the last stage whose threshold ≤ mastery %', () => {
    expect(reachedStage(stages, 3, 29)!.stage).toBe(zero)
    expect(reachedStage(stages, 3, 30)).toEqual({ stage: s30, reachedStage: 2, totalStage: 4 })
    expect(reachedStage(stages, 6, 99)!.stage).toBe(s60)
    expect(reachedStage(stages, 10, 100)).toEqual({ stage: s100, reachedStage: 4, totalStage: 4 })
  })
  it('reaches the first-skill stage with one validated skill, whatever its threshold', () => {
    const first = stage('premier acquis', 50, true)
    const withFirst = [zero, s30, first, s60]
    expect(reachedStage(withFirst, 0, 0)!.stage).toBe(zero)
    expect(reachedStage(withFirst, 1, 5)).toEqual({ stage: first, reachedStage: 2, totalStage: 4 })
    expect(reachedStage(withFirst, 4, 35)).toEqual({ stage: s30, reachedStage: 3, totalStage: 4 })
  })
  it('handles level stages through their converted thresholds', () => {
    // A competence profile: zero, level 1 (→ 20 %), level 3 (→ 60 %), level 5 (→ 100 %).
    const levelStages = [
      { kind: 'threshold', threshold: 0, title: 'zéro' },
      { kind: 'level', value: 1, threshold: 20, title: 'niveau 1' },
      { kind: 'level', value: 3, threshold: 60, title: 'niveau 3' },
      { kind: 'level', value: 5, threshold: 100, title: 'niveau 5' },
    ]
    expect(reachedStage(levelStages, 2, 20)!.stage.title).toBe('niveau 1')
    expect(reachedStage(levelStages, 5, 59)!.stage.title).toBe('niveau 1')
    expect(reachedStage(levelStages, 6, 60)!.stage.title).toBe('niveau 3')
  })
  it('is null without stages, or without a zero stage before the first threshold', () => {
    expect(reachedStage([], 3, 50)).toBeNull()
    expect(reachedStage([s30, s60], 1, 10)).toBeNull()
    expect(reachedStage([s30, s60], 3, 30)).toEqual({ stage: s30, reachedStage: 1, totalStage: 2 })
  })
  it('lists every reached stage in order', () => {
    expect(reachedStages(stages, 6, 65).map((s) => s.title)).toEqual(['zéro', '30', '60'])
  })
})
