/** zod schemas of the learner API's requests (the edge; use cases receive plain values). */
import { z } from 'zod'

export const CampaignCodeParams = z.object({ code: z.string().trim().min(1).max(32) })
export const AssessmentParams = z.object({ id: z.string().uuid() })
export const StartParticipationBody = z.object({ participantExternalId: z.string().max(255).nullish() })
/** QCU "2", QCM "1,3", QROC "texte", QROCM { key: "texte" }, skip "#ABAND#". */
export const AnswerBody = z.object({
  challengeId: z.string().min(1).max(100),
  value: z.union([z.string().max(5000), z.record(z.string().max(50), z.string().max(5000))]),
  timedOut: z.boolean().optional(),
})
export const StartChallengeBody = z.object({ challengeId: z.string().min(1).max(100) })
export const ReviewsQuery = z.object({ scope: z.enum(['checkpoint', 'all']).default('checkpoint') })
const competenceCode = z.string().regex(/^[1-5]\.[1-6]$/)
export const CompetenceEvaluationBody = z.object({ competenceCode })
export const CompetenceParams = z.object({ competenceCode })
export const TutorialParams = z.object({ tutorialId: z.string().min(1).max(100) })
