import type { Db } from '../db/client'
import { validateNewCampaign, type Campaign, type CampaignId } from './campaign'
import { getCampaignOrThrow, membershipRole, updateCampaign as saveCampaign } from './campaign.repository'
import { assertCanManage } from './archive-campaign'
import { CampaignManagementForbidden, CampaignNotEditable, CampaignNotFound } from './errors'

/** What can change after creation (Pix's guide: name, owner, title, texts). Type, target profile and external id cannot. */
export interface CampaignChanges {
  name?: string
  ownerId?: string
  title?: string | null
  customLandingPageText?: string | null
  customResultPageText?: string | null
  customResultPageButtonText?: string | null
  customResultPageButtonUrl?: string | null
}

/**
 * Updates the editable fields of a campaign of the caller's organization. Owner or admin only;
 * an archived campaign is read-only until unarchived. The merged campaign goes through the creation rules again.
 */
export async function updateCampaign(
  input: { campaignId: CampaignId; organizationId: string; userId: string; changes: CampaignChanges },
  deps: { db: Db; targetProfileExists: (id: string) => boolean },
): Promise<Campaign> {
  const campaign = await getCampaignOrThrow(deps.db, input.campaignId)
  if (campaign.organizationId !== input.organizationId) throw new CampaignNotFound('Campagne introuvable.')
  await assertCanManage(deps.db, campaign, input.userId)
  if (campaign.archivedAt) throw new CampaignNotEditable('Une campagne archivée ne peut plus être modifiée.')
  const merged = { ...campaign, ...input.changes }
  const valid = validateNewCampaign(
    {
      organizationId: campaign.organizationId,
      name: merged.name,
      type: campaign.type,
      targetProfileId: campaign.targetProfileId,
      ownerId: merged.ownerId,
      creatorId: campaign.creatorId,
      title: merged.title,
      multipleSendings: campaign.multipleSendings,
      externalIdLabel: campaign.externalIdLabel,
      externalIdType: campaign.externalIdType,
      customLandingPageText: merged.customLandingPageText,
      customResultPageText: merged.customResultPageText,
      customResultPageButtonText: merged.customResultPageButtonText,
      customResultPageButtonUrl: merged.customResultPageButtonUrl,
    },
    // The target profile was checked at creation; a profile later removed from the content must not block a rename.
    () => true,
  )
  if (valid.ownerId !== campaign.ownerId && !(await membershipRole(deps.db, campaign.organizationId, valid.ownerId)))
    throw new CampaignManagementForbidden('Le propriétaire doit être membre de l’organisation.')
  return saveCampaign(deps.db, campaign.id, {
    name: valid.name,
    ownerId: valid.ownerId,
    title: valid.title ?? null,
    customLandingPageText: valid.customLandingPageText ?? null,
    customResultPageText: valid.customResultPageText ?? null,
    customResultPageButtonText: valid.customResultPageButtonText ?? null,
    customResultPageButtonUrl: valid.customResultPageButtonUrl ?? null,
  })
}
