import { averageTubeScore, levelsFromMask, recommendationMarks, tubeScore } from './tube-recommendation'

describe('Pix pertinence score of a tube (pix-rules §14.1)', () => {
  const tube = [1, 2, 3, 4]
  it('scores one participant from the validated levels', () => {
    expect(tubeScore(tube, new Set(), 6)).toBeCloseTo(20) // only 30·4/6
    expect(tubeScore(tube, new Set([1, 2]), 6)).toBeCloseTo(20 + 20 + 10 + (10 * 2) / 3)
    expect(tubeScore(tube, new Set([1, 2, 3, 4]), 6)).toBeCloseTo(40 + 20 + 20 + 10)
    // A gap (level 2 not validated): nextLevel is the lowest one missing.
    expect(tubeScore(tube, new Set([1, 3]), 6)).toBeCloseTo(30 + 20 + 10 + 15)
  })

  it('averages over every participant, those with nothing validated included', () => {
    expect(averageTubeScore(tube, [{ mask: 0b110, count: 2 }], 4, 6)).toBeCloseTo((2 * (50 + 20 / 3) + 2 * 20) / 4)
    expect(averageTubeScore(tube, [], 0, 6)).toBeNull()
    expect([...levelsFromMask(0b10110)]).toEqual([1, 2, 4])
  })

  it('shows 4 marks for the lowest scores (most worth working on)', () => {
    expect([0, 25, 25.01, 50, 50.5, 75, 75.1, 100].map(recommendationMarks)).toEqual([4, 4, 3, 3, 2, 2, 1, 1])
  })
})
