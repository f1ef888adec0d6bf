/**
 * Stages ("paliers", pix-rules §7.3, Pix's StageCollection). Level stages arrive already converted
 * to thresholds by the content loader.
 * - a zero stage (threshold 0) is always reached;
 * - a first-skill stage is reached as soon as one target skill is validated, and sits at position 1
 *   (right after the zero stage) whatever its threshold;
 * - any other stage is reached when its threshold ≤ the mastery percentage.
 * The reached stage is the last reached one in that order.
 */
export interface StageLike {
  threshold: number
  /** Pix's isFirstSkill; the content schema does not produce it yet, hence optional. */
  isFirstSkill?: boolean | undefined
}

export interface ReachedStage<S> {
  stage: S
  /** 1-based position of the stage, as Pix shows "palier 2 sur 4". */
  reachedStage: number
  totalStage: number
}

export function isZeroStage(stage: StageLike): boolean {
  return stage.threshold === 0 && stage.isFirstSkill !== true
}

/** Sorted by threshold (stable for ties), first-skill stage moved to position 1. */
export function orderStages<S extends StageLike>(stages: readonly S[]): S[] {
  const sorted = [...stages].sort((a, b) => a.threshold - b.threshold)
  const firstSkill = sorted.findIndex((s) => s.isFirstSkill === true)
  if (firstSkill === -1) return sorted
  const [stage] = sorted.splice(firstSkill, 1)
  sorted.splice(Math.min(1, sorted.length), 0, stage!)
  return sorted
}

function isReached(stage: StageLike, validatedSkillCount: number, masteryPercentage: number): boolean {
  if (isZeroStage(stage)) return true
  if (validatedSkillCount === 0) return false
  return stage.isFirstSkill === true || stage.threshold <= masteryPercentage
}

/** Every stage reached (Pix's getNewAcquiredStages, without the "new" filter), in stage order. */
export function reachedStages<S extends StageLike>(stages: readonly S[], validatedSkillCount: number, masteryPercentage: number): S[] {
  return orderStages(stages).filter((s) => isReached(s, validatedSkillCount, masteryPercentage))
}

/**
 * The stage to show. Null when the profile has no stage, or (a content slip Pix does not allow)
 * no zero stage and nothing reached yet.
 */
export function reachedStage<S extends StageLike>(
  stages: readonly S[],
  validatedSkillCount: number,
  masteryPercentage: number,
): ReachedStage<S> | null {
  const ordered = orderStages(stages)
  let index = -1
  ordered.forEach((s, i) => {
    if (isReached(s, validatedSkillCount, masteryPercentage)) index = i
  })
  if (index === -1) return null
  return { stage: ordered[index]!, reachedStage: index + 1, totalStage: ordered.length }
}
