import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import type { Campaign, CampaignId } from './campaign'
import { getCampaignOrThrow, membershipRole, updateCampaign } from './campaign.repository'
import { CampaignAlreadyArchived, CampaignManagementForbidden, CampaignNotArchived, CampaignNotFound } from './errors'

/** Pix: only an organization administrator or the campaign's owner manages (archives) a campaign. */
export async function assertCanManage(db: Db, campaign: Campaign, userId: string): Promise<void> {
  const role = await membershipRole(db, campaign.organizationId, userId)
  if (!role) throw new CampaignNotFound('Campagne introuvable.')
  if (role !== 'ADMIN' && campaign.ownerId !== userId)
    throw new CampaignManagementForbidden('Seuls le propriétaire de la campagne et les administrateurs peuvent la gérer.')
}

export async function archiveCampaign(
  input: { campaignId: CampaignId; userId: string },
  deps: { db: Db; clock: Clock },
): Promise<Campaign> {
  const campaign = await getCampaignOrThrow(deps.db, input.campaignId)
  await assertCanManage(deps.db, campaign, input.userId)
  if (campaign.archivedAt) throw new CampaignAlreadyArchived('Cette campagne est déjà archivée.')
  return updateCampaign(deps.db, campaign.id, { archivedAt: deps.clock.now(), archivedBy: input.userId })
}

export async function unarchiveCampaign(input: { campaignId: CampaignId; userId: string }, deps: { db: Db }): Promise<Campaign> {
  const campaign = await getCampaignOrThrow(deps.db, input.campaignId)
  await assertCanManage(deps.db, campaign, input.userId)
  if (!campaign.archivedAt) throw new CampaignNotArchived('Cette campagne n’est pas archivée.')
  return updateCampaign(deps.db, campaign.id, { archivedAt: null, archivedBy: null })
}
