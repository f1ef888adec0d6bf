/**
 * Pix's tube recommendation ("pertinence", pix-rules §14.1). For one participant and one tube, with
 * validated skills only:
 *   score = 40·reached/maxDiffTube + 30·maxDiffTube/maxSkillLevel + 20·#validated/#tubeSkills + 10·reached/nextLevel
 * The campaign's score of a tube is the mean over participants (those with nothing validated count too).
 * A low score means the tube is worth working on: ≤ 25 → 4 marks, ≤ 50 → 3, ≤ 75 → 2, else 1.
 */

export function tubeScore(tubeLevels: readonly number[], validatedLevels: ReadonlySet<number>, maxSkillLevel: number): number {
  const maxDiffTube = Math.max(...tubeLevels)
  const validated = tubeLevels.filter((l) => validatedLevels.has(l))
  const reached = validated.length ? Math.max(...validated) : 0
  const notValidated = tubeLevels.filter((l) => !validatedLevels.has(l))
  const nextLevel = notValidated.length ? Math.min(...notValidated) : maxDiffTube
  return (
    (40 * reached) / maxDiffTube +
    (30 * maxDiffTube) / maxSkillLevel +
    (20 * validated.length) / tubeLevels.length +
    (reached === 0 ? 0 : (10 * reached) / nextLevel)
  )
}

/** Levels validated, as a bit mask (bit n = level n): how SQL groups participants cheaply. */
export function levelsFromMask(mask: number): Set<number> {
  const levels = new Set<number>()
  for (let level = 0; level < 31; level++) if (mask & (1 << level)) levels.add(level)
  return levels
}

/**
 * Mean score of a tube from participants grouped by the mask of their validated levels.
 * `participantCount` includes participants absent from `groups` (nothing validated in the tube).
 */
export function averageTubeScore(
  tubeLevels: readonly number[],
  groups: readonly { mask: number; count: number }[],
  participantCount: number,
  maxSkillLevel: number,
): number | null {
  if (participantCount === 0) return null
  let sum = 0
  let counted = 0
  for (const g of groups) {
    sum += g.count * tubeScore(tubeLevels, levelsFromMask(g.mask), maxSkillLevel)
    counted += g.count
  }
  sum += (participantCount - counted) * tubeScore(tubeLevels, new Set(), maxSkillLevel)
  return sum / participantCount
}

export type RecommendationMarks = 1 | 2 | 3 | 4

export function recommendationMarks(averageScore: number): RecommendationMarks {
  if (averageScore <= 25) return 4
  if (averageScore <= 50) return 3
  if (averageScore <= 75) return 2
  return 1
}
