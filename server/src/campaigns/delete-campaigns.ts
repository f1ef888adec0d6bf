import { and, eq, inArray, isNull } from 'drizzle-orm'
import type { Db } from '../db/client'
import { campaignParticipations, campaigns } from '../db/schema'
import type { Clock } from '../shared/clock'
import type { CampaignId } from './campaign'
import { membershipRole } from './campaign.repository'
import { CampaignManagementForbidden, CampaignNotFound, InvalidCampaign } from './errors'

/**
 * Deletes campaigns as Pix's CampaignsDestructor does (pix-rules §4): every campaign must be of the
 * organization; the caller is an admin or owns all of them. Participations are anonymized (external id and
 * user detached) and marked deleted first, then the campaigns are marked deleted. One transaction: all or nothing.
 */
export async function deleteCampaigns(
  input: { campaignIds: CampaignId[]; organizationId: string; userId: string },
  deps: { db: Db; clock: Clock },
): Promise<{ deleted: number }> {
  const ids = [...new Set(input.campaignIds)]
  if (ids.length === 0) throw new InvalidCampaign('Aucune campagne à supprimer.')
  if (ids.some((id) => !/^[0-9a-f-]{36}$/i.test(id))) throw new CampaignNotFound('Campagne introuvable.')
  const role = await membershipRole(deps.db, input.organizationId, input.userId)
  if (!role) throw new CampaignNotFound('Campagne introuvable.')
  const found = await deps.db
    .select({ id: campaigns.id, ownerId: campaigns.ownerId })
    .from(campaigns)
    .where(and(inArray(campaigns.id, ids), eq(campaigns.organizationId, input.organizationId), isNull(campaigns.deletedAt)))
  if (found.length !== ids.length) throw new CampaignNotFound('Campagne introuvable.')
  if (role !== 'ADMIN' && found.some((c) => c.ownerId !== input.userId))
    throw new CampaignManagementForbidden('Seuls le propriétaire de toutes ces campagnes ou un administrateur peuvent les supprimer.')
  const now = deps.clock.now()
  await deps.db.transaction(async (tx) => {
    await tx
      .update(campaignParticipations)
      .set({ participantExternalId: null, userId: null, deletedAt: now, deletedBy: input.userId })
      .where(and(inArray(campaignParticipations.campaignId, ids), isNull(campaignParticipations.deletedAt)))
    // Already-deleted participations keep their deletion date but lose their identity too.
    await tx
      .update(campaignParticipations)
      .set({ participantExternalId: null, userId: null })
      .where(inArray(campaignParticipations.campaignId, ids))
    await tx.update(campaigns).set({ deletedAt: now, deletedBy: input.userId }).where(inArray(campaigns.id, ids))
  })
  return { deleted: ids.length }
}
