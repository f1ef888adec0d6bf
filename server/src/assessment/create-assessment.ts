import { randomUUID } from 'node:crypto'
import { newAssessmentSettings } from './assessment-engine'
import { insertAssessment, type AssessmentRow, type Executor } from './assessment.repository'

export interface CreateAssessmentInput {
  userId: string
  type: AssessmentRow['type']
  campaignParticipationId?: string
  competenceCode?: string
  /** A retry or a new sending: invalidated KEs older than the delay are forgotten. */
  isImproving: boolean
}

/**
 * A new adaptive test, inside the caller's transaction, with everything needed to replay it (algorithm,
 * config, seed, content version). The first challenge is chosen when the learner first opens it.
 */
export async function createAssessment(
  db: Executor,
  input: CreateAssessmentInput,
  deps: { clock: { now(): Date }; contentVersion: string; retryDelayDays: number },
): Promise<AssessmentRow> {
  const id = randomUUID()
  return insertAssessment(db, {
    id,
    userId: input.userId,
    type: input.type,
    campaignParticipationId: input.campaignParticipationId ?? null,
    competenceCode: input.competenceCode ?? null,
    isImproving: input.isImproving,
    contentVersion: deps.contentVersion,
    createdAt: deps.clock.now(),
    ...newAssessmentSettings(id, deps.retryDelayDays, input.isImproving),
  })
}
