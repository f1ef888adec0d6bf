/**
 * What the LTI screens need from campaigns (list, get, create) and from the content referential
 * (target profiles), behind one small interface so launch code and tests do not depend on their tables.
 */
import type { Db } from '../db/client'
import { createCampaign, getCampaign, isAccessible, listCampaigns, CampaignNotFound, type Campaign } from '../campaigns'
import type { Clock } from '../shared/clock'

export interface CampaignSummary {
  id: string
  organizationId: string
  name: string
  code: string
  targetProfileId: string | null
  active: boolean
}

export interface CampaignCatalog {
  list(organizationId: string): Promise<CampaignSummary[]>
  get(campaignId: string): Promise<CampaignSummary | undefined>
  create(input: { organizationId: string; creatorId: string; name: string; targetProfileId: string; externalIdLabel?: string | null }): Promise<CampaignSummary>
  targetProfiles(): { id: string; name: string }[]
}

const summary = (c: Campaign): CampaignSummary => ({
  id: c.id,
  organizationId: c.organizationId,
  name: c.name,
  code: c.code,
  targetProfileId: c.targetProfileId,
  active: isAccessible(c),
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function createCampaignCatalog(deps: { db: Db; clock: Clock; targetProfiles: () => { id: string; name: string }[] }): CampaignCatalog {
  return {
    async list(organizationId) {
      const { campaigns } = await listCampaigns({ organizationId, status: 'active', pageSize: 100 }, { db: deps.db })
      return campaigns.map(summary)
    },
    async get(campaignId) {
      if (!UUID.test(campaignId)) return undefined
      try {
        return summary(await getCampaign(campaignId, { db: deps.db }))
      } catch (err) {
        if (err instanceof CampaignNotFound) return undefined
        throw err
      }
    },
    async create(input) {
      const profiles = new Set(deps.targetProfiles().map((p) => p.id))
      const campaign = await createCampaign(
        {
          organizationId: input.organizationId,
          name: input.name,
          type: 'ASSESSMENT',
          targetProfileId: input.targetProfileId,
          ownerId: input.creatorId,
          creatorId: input.creatorId,
          externalIdLabel: input.externalIdLabel || null,
          externalIdType: input.externalIdLabel ? 'STRING' : null,
        },
        { db: deps.db, clock: deps.clock, targetProfileExists: (id) => profiles.has(id) },
      )
      return summary(campaign)
    },
    targetProfiles: deps.targetProfiles,
  }
}
