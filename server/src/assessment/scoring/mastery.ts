/** The two roundings of mastery Pix uses, kept apart on purpose (pix-rules §2.5 and §7.4). */

/** Ratio in [0, 1] rounded to 2 significant digits (JS toPrecision(2)): shown to learners and in exports. */
export function masteryRate(validated: number, total: number): number {
  if (total === 0) return 0
  return Number((validated / total).toPrecision(2))
}

/** Whole percentage used by stages and badges: round(validated × 100 / total). */
export function masteryPercentage(validated: number, total: number): number {
  if (total === 0) return 0
  return Math.round((validated * 100) / total)
}
