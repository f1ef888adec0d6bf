import { hasAnyAssessment, listKnowledgeElements, listSavedTutorialIds, presentTutorials, type PublicTutorial } from '../assessment'
import type { ScoringKnowledgeElement } from '../assessment/scoring'
import { isAccessible, type Campaign } from './campaign'
import { campaignForLearner, type LearnerIdentity, type ParticipationDeps } from './learner-context'
import { decideImprove, decideReset, decideRetry, usableLaunchExternalId, type RetryDecision } from './participation'
import { assessmentResults, failedTargetSkillDates, profileResults, tutorialsToWorkOn } from './participation-results'
import { findLiveParticipation, findSnapshot, latestAssessment } from './participation.repository'

export interface LearnerCampaignView {
  campaign: {
    code: string
    title: string
    type: Campaign['type']
    /** Markdown, rendered without raw HTML by the app. */
    landingText: string | null
    externalIdLabel: string | null
    externalIdType: Campaign['externalIdType']
    /** The launch already carries the learner's external id: do not ask for it. */
    externalIdKnown: boolean
    multipleSendings: boolean
    status: 'active' | 'archived'
    isLaunchCampaign: boolean
    targetProfileName: string | null
    resultText: string | null
    resultButton: { text: string; url: string } | null
  }
  /** The rules of the game are shown once per learner: before their first test. */
  hasSeenRules: boolean
  participation: null | {
    id: string
    status: 'STARTED' | 'TO_SHARE' | 'SHARED'
    participantExternalId: string | null
    createdAt: string
    sharedAt: string | null
    assessmentId: string | null
    assessmentState: 'started' | 'completed' | 'aborted' | null
  }
}

/** Everything the learner app needs to show a campaign's first screens (landing, external id, rules, resume). */
export async function getLearnerCampaign(input: { code: string; learner: LearnerIdentity }, deps: ParticipationDeps): Promise<LearnerCampaignView> {
  const campaign = await campaignForLearner(deps.db, input.code)
  const live = await findLiveParticipation(deps.db, campaign.id, input.learner.userId)
  const assessment = live && (await latestAssessment(deps.db, live.id))
  const profile = campaign.targetProfileId ? deps.referential.targetProfiles.get(campaign.targetProfileId) : undefined
  return {
    campaign: {
      code: campaign.code,
      title: campaign.title ?? profile?.name ?? campaign.name,
      type: campaign.type,
      landingText: campaign.customLandingPageText,
      externalIdLabel: campaign.externalIdLabel,
      externalIdType: campaign.externalIdType,
      externalIdKnown: Boolean(usableLaunchExternalId(campaign, input.learner.externalId)),
      multipleSendings: campaign.multipleSendings,
      status: isAccessible(campaign) ? 'active' : 'archived',
      isLaunchCampaign: input.learner.campaignId === campaign.id,
      targetProfileName: profile?.name ?? null,
      resultText: campaign.customResultPageText,
      resultButton:
        campaign.customResultPageButtonText && campaign.customResultPageButtonUrl
          ? { text: campaign.customResultPageButtonText, url: campaign.customResultPageButtonUrl }
          : null,
    },
    hasSeenRules: await hasAnyAssessment(deps.db, input.learner.userId),
    participation: live
      ? {
          id: live.id,
          status: live.status,
          participantExternalId: live.participantExternalId,
          createdAt: live.createdAt.toISOString(),
          sharedAt: live.sharedAt?.toISOString() ?? null,
          assessmentId: assessment?.id ?? null,
          assessmentState: assessment?.state ?? null,
        }
      : null,
  }
}

export interface LearnerResultsView {
  status: 'STARTED' | 'TO_SHARE' | 'SHARED'
  sharedAt: string | null
  /** Archived or deleted campaign: results visible, nothing can be sent. */
  disabled: boolean
  assessment: null | {
    masteryRate: number
    masteryPercentage: number
    validatedSkills: number
    totalSkills: number
    competences: { code: string; name: string; areaCode: string; masteryPercentage: number; validatedSkills: number; totalSkills: number }[]
    stage: null | { title: string; message: string; reached: number; total: number }
    badges: { key: string; title: string; message: string; acquired: boolean }[]
    tutorials: PublicTutorial[]
  }
  profile: null | {
    totalPix: number
    maxReachablePix: number
    isCertifiable: boolean
    competences: { code: string; name: string; level: number; pixScore: number }[]
  }
  canShare: boolean
  retry: RetryDecision
  improve: RetryDecision
  reset: RetryDecision
}

/** The results screen: computed from live knowledge before sharing, from the snapshot after. */
export async function getLearnerResults(input: { code: string; learner: LearnerIdentity }, deps: ParticipationDeps): Promise<LearnerResultsView | null> {
  const { referential } = deps
  const campaign = await campaignForLearner(deps.db, input.code)
  const participation = await findLiveParticipation(deps.db, campaign.id, input.learner.userId)
  if (!participation) return null
  const snapshot = participation.status === 'SHARED' ? await findSnapshot(deps.db, participation.id) : undefined
  const kes: ScoringKnowledgeElement[] = snapshot
    ? snapshot.map((k) => ({ ...k, createdAt: new Date(k.createdAt) }))
    : await listKnowledgeElements(deps.db, input.learner.userId)
  const now = deps.clock.now()
  const disabled = !isAccessible(campaign)
  const saved = new Set(await listSavedTutorialIds(deps.db, input.learner.userId))
  const profile = campaign.targetProfileId ? referential.targetProfiles.get(campaign.targetProfileId) : undefined

  let assessment: LearnerResultsView['assessment'] = null
  let masteryRate = 1
  let failedAt: Date[] = []
  if (campaign.type === 'ASSESSMENT' && profile) {
    const r = assessmentResults(referential, profile, kes)
    masteryRate = participation.status === 'SHARED' ? (participation.masteryRate ?? r.masteryRate) : r.masteryRate
    failedAt = failedTargetSkillDates(profile, await listKnowledgeElements(deps.db, input.learner.userId))
    assessment = {
      masteryRate,
      masteryPercentage: Math.round(masteryRate * 100),
      validatedSkills: r.validatedSkills,
      totalSkills: r.totalSkills,
      competences: r.competences.map((c) => ({
        code: c.competenceCode,
        name: c.name,
        areaCode: c.areaCode,
        masteryPercentage: c.masteryPercentage,
        validatedSkills: c.validatedSkills,
        totalSkills: c.totalSkills,
      })),
      stage: r.reachedStage
        ? { title: r.reachedStage.stage.title, message: r.reachedStage.stage.message, reached: r.reachedStage.reachedStage, total: r.reachedStage.totalStage }
        : null,
      badges: r.badges
        .filter((b) => b.acquired || b.isAlwaysVisible)
        .map((b) => ({ key: b.key, title: b.title, message: b.message, acquired: b.acquired })),
      tutorials: presentTutorials(referential, tutorialsToWorkOn(referential, profile, kes).slice(0, 12), saved),
    }
  }
  let profileView: LearnerResultsView['profile'] = null
  if (campaign.type === 'PROFILES_COLLECTION') {
    const s = profileResults(referential, kes, deps.maxLevel)
    profileView = {
      totalPix: s.totalPix,
      maxReachablePix: s.maxReachablePix,
      isCertifiable: s.isCertifiable,
      competences: s.competences.map((c) => ({
        code: c.competenceCode,
        name: referential.competenceByCode.get(c.competenceCode)?.name ?? c.competenceCode,
        level: c.level,
        pixScore: c.pixScore,
      })),
    }
  }
  const delayDays = deps.retryDelayDays
  return {
    status: participation.status,
    sharedAt: participation.sharedAt?.toISOString() ?? null,
    disabled,
    assessment,
    profile: profileView,
    canShare: participation.status === 'TO_SHARE' && !disabled,
    retry: decideRetry({ campaign, participation, masteryRate, failedAt, delayDays, now }),
    improve: decideImprove({ campaign, participation, delayDays, now }),
    reset: decideReset({ campaign, participation, resetAllowed: profile?.areKnowledgeElementsResettable ?? false, delayDays, now }),
  }
}
