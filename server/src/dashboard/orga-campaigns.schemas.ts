/** zod schemas of the /api/orga campaign routes (the edge; plain types inside). */
import { z } from 'zod'

const uuid = z.uuid()
const page = z.coerce.number().int().min(1).max(100000).optional()
const pageSize = z.coerce.number().int().min(1).max(100).optional()
const text = (max: number) => z.string().max(max).nullable().optional()
const csv = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined))

export const CampaignIdParams = z.object({ campaignId: uuid })
export const ParticipationParams = z.object({ campaignId: uuid, participationId: uuid })

export const ListCampaignsQuery = z.object({
  scope: z.enum(['mine', 'all']).default('mine'),
  status: z.enum(['active', 'archived']).default('active'),
  name: z.string().max(255).optional(),
  ownerId: uuid.optional(),
  sort: z.enum(['createdAt:desc', 'createdAt:asc']).default('createdAt:desc'),
  page,
  pageSize,
})

export const CreateCampaignBody = z
  .object({
    name: z.string().max(255),
    ownerId: uuid,
    type: z.enum(['ASSESSMENT', 'PROFILES_COLLECTION']),
    targetProfileId: z.string().max(200).nullable().optional(),
    multipleSendings: z.boolean().optional(),
    externalIdLabel: text(255),
    externalIdType: z.enum(['STRING', 'EMAIL']).nullable().optional(),
    title: text(255),
    customLandingPageText: text(5000),
    customResultPageText: text(5000),
    customResultPageButtonText: text(255),
    customResultPageButtonUrl: text(2000),
  })
  .strict()

/** Only what Pix lets change after creation; type, target profile and external id are refused (strict). */
export const UpdateCampaignBody = z
  .object({
    name: z.string().max(255).optional(),
    ownerId: uuid.optional(),
    title: text(255),
    customLandingPageText: text(5000),
    customResultPageText: text(5000),
    customResultPageButtonText: text(255),
    customResultPageButtonUrl: text(2000),
  })
  .strict()

export const DeleteCampaignsBody = z.object({ campaignIds: z.array(uuid).min(1).max(500) }).strict()

export const ActivityParticipantsQuery = z.object({
  status: z.enum(['STARTED', 'TO_SHARE', 'SHARED']).optional(),
  search: z.string().max(200).optional(),
  group: z.string().max(200).optional(),
  page,
  pageSize,
})

export const ResultParticipantsQuery = z.object({
  stages: csv.transform((a) => a?.map(Number).filter((n) => Number.isInteger(n) && n >= 1 && n <= 50)),
  badges: csv.pipe(z.array(z.string().max(200)).optional()),
  certifiable: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
  search: z.string().max(200).optional(),
  page,
  pageSize,
})
