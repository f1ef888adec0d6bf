import type { Db } from '../db/client'
import { findCampaign } from './campaign.repository'
import type { LearnerIdentity } from './learner-context'
import { listUserParticipations } from './participation.repository'

export interface LearnerHome {
  /** The campaign of the LMS activity, if the activity is bound to one. */
  launchCampaignCode: string | null
  firstName: string | null
  participations: { code: string; title: string; status: 'STARTED' | 'TO_SHARE' | 'SHARED'; createdAt: string }[]
}

/** The learner's starting point: the activity's campaign, and the campaigns already joined ("Reprendre"). */
export async function getLearnerHome(input: { learner: LearnerIdentity }, deps: { db: Db }): Promise<LearnerHome> {
  const launchCampaign = input.learner.campaignId ? await findCampaign(deps.db, input.learner.campaignId) : undefined
  const participations = await listUserParticipations(deps.db, input.learner.userId)
  const rows = await Promise.all(
    participations.map(async (p) => {
      const c = await findCampaign(deps.db, p.campaignId)
      return c && !c.deletedAt ? [{ code: c.code, title: c.title ?? c.name, status: p.status, createdAt: p.createdAt.toISOString() }] : []
    }),
  )
  return {
    launchCampaignCode: launchCampaign && !launchCampaign.deletedAt ? launchCampaign.code : null,
    firstName: input.learner.firstName ?? null,
    participations: rows.flat(),
  }
}
