/**
 * The learner API (/api/learner/…), used by the app in the LMS iframe. Every route needs the bearer
 * session of a launch; a learner only ever reaches their own participations and assessments (use cases
 * filter on the session's user id).
 */
import { Router, type Request, type RequestHandler } from 'express'
import {
  getAnswerReviews,
  getAssessmentState,
  getProfile,
  resetCompetence,
  setTutorialSaved,
  startChallenge,
  startCompetenceEvaluation,
  submitAnswer,
} from '../assessment'
import { Unauthenticated } from '../shared/app-error'
import { getLearnerCampaign, getLearnerResults } from './get-learner-campaign'
import { getLearnerHome } from './get-learner-home'
import { improveParticipation } from './improve-participation'
import { reportsTo, type LearnerIdentity, type ParticipationDeps } from './learner-context'
import {
  AnswerBody,
  AssessmentParams,
  CampaignCodeParams,
  CompetenceEvaluationBody,
  CompetenceParams,
  ReviewsQuery,
  StartChallengeBody,
  StartParticipationBody,
  TutorialParams,
} from './learner.schemas'
import { resetParticipation } from './reset-participation'
import { retryParticipation } from './retry-participation'
import { shareParticipation } from './share-participation'
import { startParticipation } from './start-participation'

export interface LearnerRoutesDeps extends ParticipationDeps {
  /** The launch session check (lti's requireLearnerSession): sets req.launch. */
  requireLearner: RequestHandler
  /** Days after a competence's latest knowledge element before it can be reset from the profile (Pix: 7). */
  competenceResetDelayDays?: number
}

const PIX_COMPETENCE_RESET_DELAY_DAYS = 7

/** The session's identity; set on req.launch by the session middleware (a LaunchContext). */
function learnerOf(req: Request): LearnerIdentity {
  const launch = (req as Request & { launch?: LearnerIdentity }).launch
  if (!launch) throw new Unauthenticated('Session expirée : relancez l’activité depuis votre plateforme.')
  const { userId, organizationId, launchId, campaignId, externalId, firstName, lastName } = launch
  return { userId, organizationId, launchId, campaignId, externalId, firstName, lastName }
}

export function learnerRoutes(deps: LearnerRoutesDeps): Router {
  const router = Router()

  // The direct link of a campaign (Pix's /campagnes/CODE): the app takes over, keeping ?participantExternalId=.
  router.get('/campagnes/:code', (req, res) => {
    const { code } = CampaignCodeParams.parse(req.params)
    const query = new URLSearchParams(req.query as Record<string, string>).toString()
    res.redirect(302, `/app/campagnes/${encodeURIComponent(code)}${query ? `?${query}` : ''}`)
  })

  const api = Router()
  api.use(deps.requireLearner)
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store')
    next()
  })
  const assessmentDeps = { db: deps.db, clock: deps.clock, referential: deps.referential }

  api.get('/home', async (req, res) => {
    res.json(await getLearnerHome({ learner: learnerOf(req) }, deps))
  })
  api.get('/campaigns/:code', async (req, res) => {
    const { code } = CampaignCodeParams.parse(req.params)
    res.json(await getLearnerCampaign({ code, learner: learnerOf(req) }, deps))
  })
  api.post('/campaigns/:code/participations', async (req, res) => {
    const { code } = CampaignCodeParams.parse(req.params)
    const body = StartParticipationBody.parse(req.body ?? {})
    const result = await startParticipation({ code, learner: learnerOf(req), participantExternalId: body.participantExternalId }, deps)
    res.status(result.created ? 201 : 200).json({
      participationId: result.participation.id,
      status: result.participation.status,
      assessmentId: result.assessmentId,
      created: result.created,
    })
  })
  api.get('/campaigns/:code/results', async (req, res) => {
    const { code } = CampaignCodeParams.parse(req.params)
    res.json({ results: await getLearnerResults({ code, learner: learnerOf(req) }, deps) })
  })
  api.post('/campaigns/:code/share', async (req, res) => {
    const { code } = CampaignCodeParams.parse(req.params)
    const { participation, alreadyShared } = await shareParticipation({ code, learner: learnerOf(req) }, deps)
    res.json({ status: participation.status, sharedAt: participation.sharedAt, masteryRate: participation.masteryRate, alreadyShared })
  })
  api.post('/campaigns/:code/retry', async (req, res) => {
    const { code } = CampaignCodeParams.parse(req.params)
    res.status(201).json(await retryParticipation({ code, learner: learnerOf(req) }, deps))
  })
  for (const [path, useCase] of [
    ['improve', improveParticipation],
    ['reset', resetParticipation],
  ] as const) {
    api.post(`/campaigns/:code/${path}`, async (req, res) => {
      const { code } = CampaignCodeParams.parse(req.params)
      const result = await useCase({ code, learner: learnerOf(req) }, deps)
      res.status(201).json({ participationId: result.participation.id, status: result.participation.status, assessmentId: result.assessmentId })
    })
  }

  api.get('/assessments/:id', async (req, res) => {
    const { id } = AssessmentParams.parse(req.params)
    res.json(await getAssessmentState({ assessmentId: id, userId: learnerOf(req).userId }, assessmentDeps))
  })
  api.post('/assessments/:id/answers', async (req, res) => {
    const { id } = AssessmentParams.parse(req.params)
    const body = AnswerBody.parse(req.body)
    const learner = learnerOf(req)
    const reportsProgress = (assessment: { campaignParticipationId: string | null; isImproving: boolean }, campaignId: string | null) =>
      Boolean(deps.grades && assessment.campaignParticipationId && !assessment.isImproving && campaignId && reportsTo(learner, { id: campaignId }))
    const result = await submitAnswer(
      { assessmentId: id, userId: learner.userId, ...body },
      {
        ...assessmentDeps,
        // Progress reaches the LMS gradebook only for the activity's own campaign.
        answerHook: {
          pending: ({ assessment, campaignId }) =>
            reportsProgress(assessment, campaignId) && !deps.grades!.progressStored?.(assessment.campaignParticipationId!, 'InProgress'),
          write: async (tx, { assessment, campaignId }) => {
            if (reportsProgress(assessment, campaignId)) await deps.grades!.progress(tx, learner, assessment.campaignParticipationId!, 'InProgress')
          },
        },
      },
    )
    res.status(result.alreadyRecorded ? 200 : 201).json(result)
  })
  api.post('/assessments/:id/start-challenge', async (req, res) => {
    const { id } = AssessmentParams.parse(req.params)
    const { challengeId } = StartChallengeBody.parse(req.body)
    res.json(await startChallenge({ assessmentId: id, userId: learnerOf(req).userId, challengeId }, assessmentDeps))
  })
  api.get('/assessments/:id/reviews', async (req, res) => {
    const { id } = AssessmentParams.parse(req.params)
    const { scope } = ReviewsQuery.parse(req.query)
    res.json({ answers: await getAnswerReviews({ assessmentId: id, userId: learnerOf(req).userId, scope }, assessmentDeps) })
  })

  api.get('/profile', async (req, res) => {
    res.json(await getProfile({ userId: learnerOf(req).userId }, { ...assessmentDeps, maxLevel: deps.maxLevel, resetDelayDays: deps.competenceResetDelayDays ?? PIX_COMPETENCE_RESET_DELAY_DAYS }))
  })
  api.post('/competence-evaluations', async (req, res) => {
    const { competenceCode } = CompetenceEvaluationBody.parse(req.body)
    const result = await startCompetenceEvaluation(
      { userId: learnerOf(req).userId, competenceCode },
      { ...assessmentDeps, retryDelayDays: deps.retryDelayDays },
    )
    res.status(result.resumed ? 200 : 201).json(result)
  })
  api.post('/competences/:competenceCode/reset', async (req, res) => {
    const { competenceCode } = CompetenceParams.parse(req.params)
    await resetCompetence({ userId: learnerOf(req).userId, competenceCode }, { ...assessmentDeps, delayDays: deps.competenceResetDelayDays ?? PIX_COMPETENCE_RESET_DELAY_DAYS })
    res.status(204).end()
  })
  api.put('/saved-tutorials/:tutorialId', async (req, res) => {
    const { tutorialId } = TutorialParams.parse(req.params)
    await setTutorialSaved({ userId: learnerOf(req).userId, tutorialId, saved: true }, assessmentDeps)
    res.status(204).end()
  })
  api.delete('/saved-tutorials/:tutorialId', async (req, res) => {
    const { tutorialId } = TutorialParams.parse(req.params)
    await setTutorialSaved({ userId: learnerOf(req).userId, tutorialId, saved: false }, assessmentDeps)
    res.status(204).end()
  })

  router.use('/api/learner', api)
  return router
}
