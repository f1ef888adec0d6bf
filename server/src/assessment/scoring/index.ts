export {
  DEFAULT_MAX_LEVEL,
  isCertifiable,
  MIN_CERTIFIABLE_COMPETENCES,
  MIN_LEVEL_FOR_CERTIFIABILITY,
  PIX_PER_LEVEL,
  scoreCompetence,
  scoreProfile,
  type CompetenceScore,
  type ProfileScore,
  type ScoringOptions,
} from './competence-scoring'
export { latestNonResetBySkill, validatedSkillIds, type ScoringKnowledgeElement } from './knowledge-elements'
export { masteryPercentage, masteryRate } from './mastery'
export { orderStages, reachedStage, reachedStages, isZeroStage, type ReachedStage, type StageLike } from './stages'
export { evaluateBadge, evaluateCriterion, type BadgeResult, type CriterionResult } from './badges'
export {
  participationResults,
  type CompetenceResult,
  type ParticipationResults,
  type SkillCounts,
} from './participation-results'
