import { latestNonResetBySkill, scoreProfile } from './scoring'
import { presentTutorials, type PublicTutorial } from './assessment.presenter'
import { latestCompetenceEvaluations, listKnowledgeElements, listSavedTutorialIds } from './assessment.repository'
import type { AssessmentDeps } from './get-assessment-state'
import { latestOfCompetence, remainingDaysBeforeReset } from './reset-competence'

export interface CompetenceCard {
  code: string
  name: string
  description: string
  area: { code: string; title: string; color: string }
  level: number
  pixScore: number
  pixAheadForNextLevel: number
  /** Self-started test in progress, if any. */
  ongoingAssessmentId: string | null
  /** Days before « Remettre à zéro » is offered (0: now); null when there is nothing to reset. */
  remainingDaysBeforeReset: number | null
  /** Tutorials of the competence's skills the learner failed ("Cultivez vos compétences"). */
  tutorials: PublicTutorial[]
}

export interface LearnerProfile {
  totalPix: number
  maxReachablePix: number
  isCertifiable: boolean
  competences: CompetenceCard[]
  savedTutorials: PublicTutorial[]
}

/** The learner's profile: 16 competence cards from every KE, whatever the campaign or test they came from. */
export async function getProfile(input: { userId: string }, deps: AssessmentDeps & { maxLevel: number; resetDelayDays: number }): Promise<LearnerProfile> {
  const { referential } = deps
  const kes = await listKnowledgeElements(deps.db, input.userId)
  const score = scoreProfile(referential, kes, { maxLevel: deps.maxLevel })
  const saved = await listSavedTutorialIds(deps.db, input.userId)
  const savedSet = new Set(saved)
  const ongoing = new Map(
    (await latestCompetenceEvaluations(deps.db, input.userId)).filter((a) => a.state === 'started').map((a) => [a.competenceCode, a.id]),
  )
  const failedTutorials = new Map<string, Set<string>>()
  for (const [skillId, ke] of latestNonResetBySkill(kes)) {
    const skill = referential.skills.get(skillId)
    if (!skill || ke.status !== 'invalidated') continue
    const set = failedTutorials.get(skill.competenceCode) ?? new Set<string>()
    skill.tutorialIds.forEach((id) => set.add(id))
    failedTutorials.set(skill.competenceCode, set)
  }
  const areas = new Map(referential.areas.map((a) => [a.code, a]))
  return {
    totalPix: score.totalPix,
    maxReachablePix: score.maxReachablePix,
    isCertifiable: score.isCertifiable,
    competences: referential.competences.map((c, i) => {
      const s = score.competences[i]!
      const area = areas.get(c.areaCode)
      return {
        code: c.code,
        name: c.name,
        description: c.description,
        area: { code: c.areaCode, title: area?.title ?? '', color: area?.color ?? '' },
        level: s.level,
        pixScore: s.pixScore,
        pixAheadForNextLevel: s.pixAheadForNextLevel,
        ongoingAssessmentId: ongoing.get(c.code) ?? null,
        remainingDaysBeforeReset: remainingDaysBeforeReset(latestOfCompetence(kes, c.code), deps.clock.now(), deps.resetDelayDays),
        tutorials: presentTutorials(referential, [...(failedTutorials.get(c.code) ?? [])].slice(0, 10), savedSet),
      }
    }),
    savedTutorials: presentTutorials(referential, saved, savedSet),
  }
}
