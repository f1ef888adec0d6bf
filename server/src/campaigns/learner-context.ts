/** What participation use cases receive about the learner and the LMS, without knowing LTI. */
import type { Referential } from '../content/types'
import type { Db, Tx } from '../db/client'
import type { Clock } from '../shared/clock'
import type { Campaign } from './campaign'
import { normalizeCampaignCode } from './campaign'
import { findCampaignByCode } from './campaign.repository'
import { CampaignDeleted, CampaignNotFound } from './errors'

/** The launched user (from the session's LaunchContext). */
export interface LearnerIdentity {
  userId: string
  organizationId: string
  launchId: string
  /** The campaign the LMS activity is bound to: its progress and score go to the LMS gradebook. */
  campaignId?: string
  /** Mapped from the platform (e.g. student number); used when the campaign asks for an external id. */
  externalId?: string
  firstName?: string
  lastName?: string
}

/** Grade passback (LTI AGS through the outbox), written in the caller's transaction. */
export interface GradePassback {
  progress(tx: Db | Tx, learner: LearnerIdentity, participationId: string, progress: 'Started' | 'InProgress'): Promise<void>
  /**
   * True when this progress is known to be stored already, so reporting it again would write nothing: an
   * answer then needs no transaction. Without it, every answer reports its progress in a transaction.
   */
  progressStored?(participationId: string, progress: 'Started' | 'InProgress'): boolean
  final(tx: Db | Tx, learner: LearnerIdentity, participationId: string, scoreGiven: number): Promise<void>
}

export interface ParticipationDeps {
  db: Db
  clock: Clock
  referential: Referential
  /** RETRY_DELAY_DAYS (Pix: 4). */
  retryDelayDays: number
  maxLevel: number
  grades?: GradePassback
}

/** Only the campaign the LMS activity launched reports to that activity's gradebook. */
export const reportsTo = (learner: LearnerIdentity, campaign: Pick<Campaign, 'id'>) => learner.campaignId === campaign.id

/** A campaign by the code a learner has; a deleted one says so (the learner had a valid code). */
export async function campaignForLearner(db: Db | Tx, code: string): Promise<Campaign> {
  const campaign = await findCampaignByCode(db, normalizeCampaignCode(code))
  if (!campaign) throw new CampaignNotFound('Aucune campagne ne correspond à ce code.')
  if (campaign.deletedAt) throw new CampaignDeleted('Cette campagne a été supprimée par son organisateur.')
  return campaign
}
