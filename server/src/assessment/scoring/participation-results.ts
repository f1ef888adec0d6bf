/**
 * Results of one participation in a target profile: mastery, per-competence breakdown, reached
 * stage and badges. Only the target profile's skills count; KEs of other skills are ignored.
 */
import type { Referential, Stage, TargetProfile } from '../../content/types'
import { evaluateBadge, type BadgeResult } from './badges'
import { latestNonResetBySkill, type ScoringKnowledgeElement } from './knowledge-elements'
import { masteryPercentage, masteryRate } from './mastery'
import { reachedStage, type ReachedStage } from './stages'

export interface SkillCounts {
  totalSkills: number
  /** Skills with a non-reset KE, validated or invalidated (direct or inferred). */
  testedSkills: number
  validatedSkills: number
  /** validated / total, 2 significant digits, in [0, 1]. */
  masteryRate: number
  /** round(validated × 100 / total). */
  masteryPercentage: number
}

export interface CompetenceResult extends SkillCounts {
  competenceCode: string
  name: string
  areaCode: string
}

export interface ParticipationResults extends SkillCounts {
  targetProfileId: string
  validatedSkillIds: string[]
  /** Competences having at least one target skill, in referential order. */
  competences: CompetenceResult[]
  reachedStage: ReachedStage<Stage> | null
  badges: BadgeResult[]
}

function counts(skillIds: readonly string[], tested: ReadonlySet<string>, validated: ReadonlySet<string>): SkillCounts {
  const totalSkills = skillIds.length
  const validatedSkills = skillIds.filter((id) => validated.has(id)).length
  return {
    totalSkills,
    testedSkills: skillIds.filter((id) => tested.has(id)).length,
    validatedSkills,
    masteryRate: masteryRate(validatedSkills, totalSkills),
    masteryPercentage: masteryPercentage(validatedSkills, totalSkills),
  }
}

export function participationResults(
  referential: Pick<Referential, 'competences' | 'skills'>,
  targetProfile: TargetProfile,
  kes: readonly ScoringKnowledgeElement[],
): ParticipationResults {
  const target = new Set(targetProfile.skillIds)
  const tested = new Set<string>()
  const validated = new Set<string>()
  for (const [skillId, ke] of latestNonResetBySkill(kes)) {
    if (!target.has(skillId)) continue
    tested.add(skillId)
    if (ke.status === 'validated') validated.add(skillId)
  }

  const byCompetence = new Map<string, string[]>()
  for (const id of targetProfile.skillIds) {
    const code = referential.skills.get(id)?.competenceCode
    if (code) byCompetence.set(code, [...(byCompetence.get(code) ?? []), id])
  }
  const competences = referential.competences.flatMap((c) => {
    const ids = byCompetence.get(c.code)
    return ids ? [{ competenceCode: c.code, name: c.name, areaCode: c.areaCode, ...counts(ids, tested, validated) }] : []
  })

  const overall = counts(targetProfile.skillIds, tested, validated)
  return {
    targetProfileId: targetProfile.id,
    ...overall,
    validatedSkillIds: targetProfile.skillIds.filter((id) => validated.has(id)),
    competences,
    reachedStage: reachedStage(targetProfile.stages, overall.validatedSkills, overall.masteryPercentage),
    badges: targetProfile.badges.map((b) => evaluateBadge(b, targetProfile.skillIds, validated)),
  }
}
