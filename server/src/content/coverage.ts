/** Coverage rules of the referential (issue "learning content"): what a teacher can rely on. */
import type { Referential } from './types'

export const COVERAGE_RULES = {
  competences: 16,
  tubesPerCompetence: 3,
  /** Every competence has skills of each level from 1 to this one. */
  levelsUpTo: 5,
  /** Challenges per skill: two for levels 1–3, one above. */
  challengesPerSkill: (level: number) => (level <= 3 ? 2 : 1),
  totalChallenges: 350,
  thematicProfiles: 5,
}

export interface CoverageReport {
  perCompetence: Record<string, { sujets: number; acquis: number; épreuves: number; niveaux: string }>
  challengeTypes: Record<string, number>
  problems: string[]
}

export function checkCoverage(ref: Referential): CoverageReport {
  const problems: string[] = []
  const perCompetence: CoverageReport['perCompetence'] = {}
  const challengeTypes: Record<string, number> = {}
  for (const ch of ref.challenges.values()) challengeTypes[ch.type] = (challengeTypes[ch.type] ?? 0) + 1

  if (ref.competences.length !== COVERAGE_RULES.competences)
    problems.push(`${ref.competences.length} compétences au lieu de ${COVERAGE_RULES.competences}`)
  for (const c of ref.competences) {
    const tubes = c.tubeNames.map((n) => ref.tubes.get(n)!)
    const skills = tubes.flatMap((t) => t.skillIds.map((id) => ref.skills.get(id)!))
    const levels = new Set(skills.map((s) => s.level))
    if (tubes.length < COVERAGE_RULES.tubesPerCompetence) problems.push(`${c.code}: ${tubes.length} sujets (au moins 3)`)
    for (let l = 1; l <= COVERAGE_RULES.levelsUpTo; l++) if (!levels.has(l)) problems.push(`${c.code}: aucun acquis de niveau ${l}`)
    for (const s of skills) {
      const need = COVERAGE_RULES.challengesPerSkill(s.level)
      if (s.challengeIds.length < need) problems.push(`${s.id}: ${s.challengeIds.length} épreuve(s), il en faut ${need}`)
      if (s.tutorialIds.length === 0) problems.push(`${s.id}: aucun tutoriel`)
    }
    perCompetence[c.code] = {
      sujets: tubes.length,
      acquis: skills.length,
      épreuves: skills.reduce((n, s) => n + s.challengeIds.length, 0),
      niveaux: [...levels].sort().join(''),
    }
  }
  if (ref.challenges.size < COVERAGE_RULES.totalChallenges)
    problems.push(`${ref.challenges.size} épreuves (au moins ${COVERAGE_RULES.totalChallenges})`)
  const thematic = [...ref.targetProfiles.values()].filter((t) => t.category !== 'COMPETENCES').length
  if (thematic < COVERAGE_RULES.thematicProfiles) problems.push(`${thematic} parcours thématiques (au moins ${COVERAGE_RULES.thematicProfiles})`)
  return { perCompetence, challengeTypes, problems }
}
