/**
 * Per-platform claim mapping: where the learner's external id (and extra attributes such as a
 * GAR-style UAI or class) are read in the id_token. Paths: `lis.person_sourcedid`, `custom.<name>`,
 * `ext.<name>`, `sub`, or `none`.
 */
import { z } from 'zod'
import { CLAIM } from './claims'

export const ClaimMappingSchema = z.object({
  externalId: z.string().default('lis.person_sourcedid'),
  attributes: z.record(z.string(), z.string()).default({}),
  /** Comma-separated list of group names (e.g. custom.moodle_groups or custom.division). */
  groups: z.string().optional(),
})
export type ClaimMapping = z.infer<typeof ClaimMappingSchema>

export const DEFAULT_CLAIM_MAPPING: ClaimMapping = { externalId: 'lis.person_sourcedid', attributes: {} }

/** GAR-style ENT through a platform that forwards GAR attributes as custom parameters. */
export const GAR_CLAIM_MAPPING: ClaimMapping = {
  externalId: 'custom.ido',
  attributes: { uai: 'custom.uai', division: 'custom.division' },
  groups: 'custom.division',
}

export function parseClaimMapping(value: unknown): ClaimMapping {
  const parsed = ClaimMappingSchema.safeParse(value ?? {})
  return parsed.success ? parsed.data : DEFAULT_CLAIM_MAPPING
}

/** Reads a mapped value; empty strings and unresolved substitutions ("$User.idnumber") count as absent. */
export function readMapped(payload: Record<string, unknown>, path: string | undefined): string | null {
  if (!path || path === 'none') return null
  const [head, ...rest] = path.split('.')
  const key = rest.join('.')
  let value: unknown
  if (head === 'lis') value = (payload[CLAIM.lis] as Record<string, unknown> | undefined)?.[key]
  else if (head === 'custom') value = (payload[CLAIM.custom] as Record<string, unknown> | undefined)?.[key]
  else if (head === 'ext') value = (payload[CLAIM.ext] as Record<string, unknown> | undefined)?.[key]
  else if (head === 'sub') value = payload.sub
  else value = payload[path]
  if (typeof value === 'number') value = String(value)
  if (typeof value !== 'string') return null
  const v = value.trim()
  if (!v || v.startsWith('$')) return null
  return v.slice(0, 255)
}
