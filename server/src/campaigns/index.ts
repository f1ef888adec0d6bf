/** Public surface of the campaigns module: what other modules may import. */
export type { Campaign, CampaignId, CampaignType, ExternalIdType, NewCampaign } from './campaign'
export { CAMPAIGN_CODE_PATTERN, generateCampaignCode, isAccessible, normalizeCampaignCode, MAX_TEXT_LENGTH } from './campaign'
export { createCampaign, type CreateCampaignDeps } from './create-campaign'
export { getCampaign, getCampaignByCode, listCampaigns } from './get-campaign'
export { archiveCampaign, unarchiveCampaign, assertCanManage } from './archive-campaign'
export type { CampaignListFilter } from './campaign.repository'
export * from './errors'
