/**
 * Badges ("résultats thématiques", pix-rules §7.4, Pix's BadgeCriterionForCalculation):
 * per criterion, acquisitionPercentage = min(100, round(mastery% / threshold × 100)); a badge is
 * acquired iff every criterion reaches 100. The badge's own percentage is the rounded mean of its
 * criteria (Pix's BadgeForCalculation), for the progress bar of a badge not yet acquired.
 */
import type { Badge, BadgeCriterion } from '../../content/types'
import { masteryPercentage } from './mastery'

export interface CriterionResult {
  scope: BadgeCriterion['scope']
  threshold: number
  masteryPercentage: number
  acquisitionPercentage: number
  fulfilled: boolean
}

export interface BadgeResult {
  key: string
  title: string
  message: string
  isAlwaysVisible: boolean
  acquired: boolean
  acquisitionPercentage: number
  criteria: CriterionResult[]
}

/** 'participation' uses the whole target profile; 'cappedTubes' only the criterion's skills. */
export function evaluateCriterion(
  criterion: BadgeCriterion,
  targetSkillIds: readonly string[],
  validated: ReadonlySet<string>,
): CriterionResult {
  const skillIds = criterion.scope === 'participation' ? targetSkillIds : criterion.skillIds
  // An empty criterion (content slip) can never be fulfilled rather than dividing by zero.
  const mastery = masteryPercentage(skillIds.filter((id) => validated.has(id)).length, skillIds.length)
  const acquisitionPercentage = skillIds.length === 0 ? 0 : Math.min(100, Math.round((mastery / criterion.threshold) * 100))
  return {
    scope: criterion.scope,
    threshold: criterion.threshold,
    masteryPercentage: mastery,
    acquisitionPercentage,
    fulfilled: acquisitionPercentage === 100,
  }
}

export function evaluateBadge(badge: Badge, targetSkillIds: readonly string[], validated: ReadonlySet<string>): BadgeResult {
  const criteria = badge.criteria.map((c) => evaluateCriterion(c, targetSkillIds, validated))
  const mean = criteria.reduce((sum, c) => sum + c.acquisitionPercentage, 0) / Math.max(1, criteria.length)
  return {
    key: badge.key,
    title: badge.title,
    message: badge.message,
    isAlwaysVisible: badge.isAlwaysVisible,
    acquired: criteria.length > 0 && criteria.every((c) => c.fulfilled),
    acquisitionPercentage: Math.round(mean),
    criteria,
  }
}
