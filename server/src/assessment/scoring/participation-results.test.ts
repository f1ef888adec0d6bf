import type { Stage, TargetProfile } from '../../content/types'
import { masteryPercentage, masteryRate } from './mastery'
import { participationResults } from './participation-results'
import { ke, makeReferential } from './test-fixtures'

const ref = makeReferential()

const stageOf = (title: string, threshold: number): Stage => ({
  kind: 'threshold',
  value: threshold,
  threshold,
  title,
  message: title,
  prescriberTitle: title,
  prescriberDescription: title,
})

// Tubes t1a (1–3) and t2a capped at 2, t2b capped at 3: 3 + 1 + 2 = 6 skills over two competences.
const profile: TargetProfile = {
  id: 'tp_test',
  name: 'Test',
  description: 'Test',
  category: 'THEMATIQUES',
  cappedTubes: [
    { tubeName: 't1a', level: 3 },
    { tubeName: 't2a', level: 1 },
    { tubeName: 't2b', level: 3 },
  ],
  skillIds: ['@t1a1', '@t1a2', '@t1a3', '@t2a1', '@t2b2', '@t2b3'],
  areKnowledgeElementsResettable: false,
  stages: [stageOf('départ', 0), stageOf('moitié', 50), stageOf('tout', 100)],
  badges: [
    {
      key: 'T1',
      title: 'Tube 1',
      message: 'Bravo',
      isAlwaysVisible: false,
      criteria: [{ scope: 'cappedTubes', threshold: 100, skillIds: ['@t1a1', '@t1a2', '@t1a3'] }],
    },
  ],
}

describe('mastery rounding', () => {
  it('rate keeps 2 significant digits, percentage is a whole number', () => {
    expect(masteryRate(1, 3)).toBe(0.33)
    expect(masteryRate(2, 3)).toBe(0.67)
    expect(masteryRate(1, 7)).toBe(0.14)
    expect(masteryRate(1, 300)).toBe(0.0033)
    expect(masteryRate(3, 3)).toBe(1)
    expect(masteryPercentage(2, 3)).toBe(67)
    expect(masteryPercentage(1, 8)).toBe(13)
  })
  it('is 0 for an empty profile', () => {
    expect(masteryRate(0, 0)).toBe(0)
    expect(masteryPercentage(0, 0)).toBe(0)
  })
})

describe('participationResults', () => {
  it('counts only target skills, with per-competence breakdown, stage and badges', () => {
    const kes = [
      ke('@t1a1'),
      ke('@t1a2'),
      ke('@t1a3'),
      ke('@t2a1', 'invalidated'),
      ke('@t2b2', 'validated'),
      ke('@t2b2', 'reset'), // reset: untested again
      ke('@t3a1'), // outside the target profile
    ]
    const results = participationResults(ref, profile, kes)
    expect(results).toMatchObject({
      targetProfileId: 'tp_test',
      totalSkills: 6,
      testedSkills: 4,
      validatedSkills: 3,
      masteryRate: 0.5,
      masteryPercentage: 50,
      validatedSkillIds: ['@t1a1', '@t1a2', '@t1a3'],
    })
    expect(results.competences).toEqual([
      { competenceCode: '1.1', name: 'Compétence 1.1', areaCode: '1', totalSkills: 3, testedSkills: 3, validatedSkills: 3, masteryRate: 1, masteryPercentage: 100 },
      { competenceCode: '1.2', name: 'Compétence 1.2', areaCode: '1', totalSkills: 3, testedSkills: 1, validatedSkills: 0, masteryRate: 0, masteryPercentage: 0 },
    ])
    expect(results.reachedStage).toMatchObject({ stage: { title: 'moitié' }, reachedStage: 2, totalStage: 3 })
    expect(results.badges).toMatchObject([{ key: 'T1', acquired: true, acquisitionPercentage: 100 }])
  })

  it('starts at the zero stage with no badge', () => {
    const results = participationResults(ref, profile, [])
    expect(results).toMatchObject({ testedSkills: 0, validatedSkills: 0, masteryRate: 0 })
    expect(results.reachedStage).toMatchObject({ stage: { title: 'départ' }, reachedStage: 1 })
    expect(results.badges[0]).toMatchObject({ acquired: false, acquisitionPercentage: 0 })
  })

  it('rounds a 1/6 mastery to 0.17 and 17 %', () => {
    expect(participationResults(ref, profile, [ke('@t1a1')])).toMatchObject({ masteryRate: 0.17, masteryPercentage: 17 })
  })
})
