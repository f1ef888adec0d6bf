import type { Db } from '../db/client'
import type { Clock } from '../shared/clock'
import { generateCampaignCode, validateNewCampaign, type Campaign, type NewCampaign } from './campaign'
import { insertCampaign, membershipRole } from './campaign.repository'
import { CampaignManagementForbidden, InvalidCampaign } from './errors'

export interface CreateCampaignDeps {
  db: Db
  clock: Clock
  /** Whether a target profile id exists in the content referential. */
  targetProfileExists: (id: string) => boolean
  generateCode?: () => string
}

/**
 * Creates a campaign in an organization. The creator and the owner must be members of it.
 * The code is drawn until it is free (the unique index decides, so two creations never share one).
 */
export async function createCampaign(input: NewCampaign, deps: CreateCampaignDeps): Promise<Campaign> {
  const valid = validateNewCampaign(input, deps.targetProfileExists)
  for (const userId of new Set([valid.creatorId, valid.ownerId])) {
    if (!(await membershipRole(deps.db, valid.organizationId, userId)))
      throw new CampaignManagementForbidden('Le créateur et le propriétaire doivent être membres de l’organisation.')
  }
  const draw = deps.generateCode ?? generateCampaignCode
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      return await insertCampaign(deps.db, { ...valid, code: draw(), createdAt: deps.clock.now() })
    } catch (err) {
      if ((err as { cause?: { code?: string; constraint?: string } }).cause?.constraint === 'campaigns_code_unique') continue
      if ((err as { code?: string; constraint?: string }).constraint === 'campaigns_code_unique') continue
      throw err
    }
  }
  throw new InvalidCampaign('Impossible de générer un code de campagne libre, réessayez.')
}
