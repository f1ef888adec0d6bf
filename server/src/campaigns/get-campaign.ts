import type { Db } from '../db/client'
import { normalizeCampaignCode, type Campaign, type CampaignId } from './campaign'
import { findCampaignByCode, getCampaignOrThrow, selectCampaigns, type CampaignListFilter } from './campaign.repository'
import { CampaignNotFound } from './errors'

export async function getCampaign(campaignId: CampaignId, deps: { db: Db }): Promise<Campaign> {
  return getCampaignOrThrow(deps.db, campaignId)
}

/** By the code a learner typed (case and spaces do not matter). Deleted campaigns are not found. */
export async function getCampaignByCode(code: string, deps: { db: Db }): Promise<Campaign> {
  const campaign = await findCampaignByCode(deps.db, normalizeCampaignCode(code))
  if (!campaign || campaign.deletedAt) throw new CampaignNotFound('Aucune campagne ne correspond à ce code.')
  return campaign
}

export async function listCampaigns(filter: CampaignListFilter, deps: { db: Db }): Promise<{ campaigns: Campaign[]; total: number }> {
  return selectCampaigns(deps.db, filter)
}
