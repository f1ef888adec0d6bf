/** Results of a participation from a list of KEs (live, or the snapshot taken at share). */
import { latestNonResetBySkill, participationResults, scoreProfile, type ScoringKnowledgeElement } from '../assessment/scoring'
import type { Referential, TargetProfile } from '../content/types'

export function assessmentResults(referential: Referential, profile: TargetProfile, kes: readonly ScoringKnowledgeElement[]) {
  return participationResults(referential, profile, kes)
}

export function profileResults(referential: Referential, kes: readonly ScoringKnowledgeElement[], maxLevel: number) {
  return scoreProfile(referential, kes, { maxLevel })
}

/** Dates of the latest KE of each target skill when it is a failure (skipped answers included). */
export function failedTargetSkillDates(profile: TargetProfile, kes: readonly ScoringKnowledgeElement[]): Date[] {
  const target = new Set(profile.skillIds)
  const out: Date[] = []
  for (const [skillId, ke] of latestNonResetBySkill(kes)) {
    if (target.has(skillId) && ke.status === 'invalidated') out.push(new Date(ke.createdAt))
  }
  return out
}

/** Tutorials of the target skills the learner failed, without duplicates. */
export function tutorialsToWorkOn(referential: Referential, profile: TargetProfile, kes: readonly ScoringKnowledgeElement[]): string[] {
  const target = new Set(profile.skillIds)
  const ids = new Set<string>()
  for (const [skillId, ke] of latestNonResetBySkill(kes)) {
    if (!target.has(skillId) || ke.status !== 'invalidated') continue
    referential.skills.get(skillId)?.tutorialIds.forEach((id) => ids.add(id))
  }
  return [...ids]
}
