/**
 * Pix and levels per competence (pix-rules §11, Pix's scoring-service): each level of a competence
 * is worth 8 pix; pix and level are capped by a configurable maximum level (default 5 → 40 pix per
 * competence, 640 for the 16 competences).
 */
import type { Referential } from '../../content/types'
import { latestNonResetBySkill, type ScoringKnowledgeElement } from './knowledge-elements'

/** Pix's PIX_COUNT_BY_LEVEL (duplicated from the content loader to keep scoring free of I/O imports). */
export const PIX_PER_LEVEL = 8
export const DEFAULT_MAX_LEVEL = 5
export const MIN_CERTIFIABLE_COMPETENCES = 5
export const MIN_LEVEL_FOR_CERTIFIABILITY = 1
/**
 * Skill pix values are fractions (8/3…); their float sum can land just under an integer
 * (7.999999999999999) and floor would lose a pix or a level. Pix has no guard; we do.
 */
const FLOAT_GUARD = 1e-9

export interface ScoringOptions {
  /** Highest reachable level (Pix's MAX_REACHABLE_LEVEL). */
  maxLevel?: number
}

export interface CompetenceScore {
  competenceCode: string
  /** Uncapped, unrounded Σ earnedPix (Pix's realTotal). */
  realPix: number
  pixScore: number
  level: number
  /** Pix earned towards the next level (pixScore % 8). */
  pixAheadForNextLevel: number
}

export interface ProfileScore {
  competences: CompetenceScore[]
  totalPix: number
  maxReachablePix: number
  isCertifiable: boolean
}

export function scoreCompetence(competenceCode: string, realPix: number, options: ScoringOptions = {}): CompetenceScore {
  const maxLevel = options.maxLevel ?? DEFAULT_MAX_LEVEL
  const guarded = realPix + FLOAT_GUARD
  const pixScore = Math.min(Math.floor(guarded), maxLevel * PIX_PER_LEVEL)
  const level = Math.min(Math.floor(guarded / PIX_PER_LEVEL), maxLevel)
  return { competenceCode, realPix, pixScore, level, pixAheadForNextLevel: pixScore % PIX_PER_LEVEL }
}

/** Certifiable = at least 5 competences at level 1 or more (Pix's PlacementProfile.isCertifiable). */
export function isCertifiable(scores: readonly Pick<CompetenceScore, 'level'>[]): boolean {
  return scores.filter((s) => s.level >= MIN_LEVEL_FOR_CERTIFIABILITY).length >= MIN_CERTIFIABLE_COMPETENCES
}

/**
 * Scores every competence of the referential (zeros included, in referential order) from a user's
 * KEs. KEs of skills no longer in the referential are ignored: their competence is unknown.
 */
export function scoreProfile(
  referential: Pick<Referential, 'competences' | 'skills'>,
  kes: readonly ScoringKnowledgeElement[],
  options: ScoringOptions = {},
): ProfileScore {
  const maxLevel = options.maxLevel ?? DEFAULT_MAX_LEVEL
  const realPix = new Map<string, number>()
  for (const ke of latestNonResetBySkill(kes).values()) {
    const skill = referential.skills.get(ke.skillId)
    if (!skill) continue
    realPix.set(skill.competenceCode, (realPix.get(skill.competenceCode) ?? 0) + ke.earnedPix)
  }
  const competences = referential.competences.map((c) => scoreCompetence(c.code, realPix.get(c.code) ?? 0, { maxLevel }))
  return {
    competences,
    totalPix: competences.reduce((sum, c) => sum + c.pixScore, 0),
    maxReachablePix: referential.competences.length * maxLevel * PIX_PER_LEVEL,
    isCertifiable: isCertifiable(competences),
  }
}
