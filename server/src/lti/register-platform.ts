/**
 * Registers (or updates) a platform and its deployments: used by the CLI, the admin page and
 * dynamic registration. Without an organization id, a new organization named after the platform is created.
 */
import { z } from 'zod'
import type { Db } from '../db/client'
import { createOrganization, findOrganization } from '../organizations'
import { ClaimMappingSchema } from './claim-mapping'
import { LtiRegistrationFailed } from './errors'
import { addDeployment, upsertPlatform, type Platform } from './platform.repository'

const url = z.url({ protocol: /^https?$/ })

export const PlatformRegistrationSchema = z.object({
  name: z.string().trim().min(1).max(200),
  issuer: url,
  clientId: z.string().trim().min(1).max(255),
  authLoginUrl: url,
  authTokenUrl: url,
  authTokenAud: url.optional(),
  jwksUrl: url,
  deploymentIds: z.array(z.string().trim().min(1).max(255)).default([]),
  organizationId: z.uuid().optional(),
  organizationName: z.string().trim().min(1).max(200).optional(),
  organizationType: z.enum(['SUP', 'SCO', 'PRO']).optional(),
  claimMapping: ClaimMappingSchema.optional(),
  productFamily: z.string().optional(),
})
export type PlatformRegistration = z.input<typeof PlatformRegistrationSchema>

export async function registerPlatform(input: PlatformRegistration, deps: { db: Db; onChange?: () => void }): Promise<Platform> {
  const parsed = PlatformRegistrationSchema.safeParse(input)
  if (!parsed.success) {
    throw new LtiRegistrationFailed(
      `Enregistrement invalide : ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  }
  const r = parsed.data
  // Moodle's issuer is its wwwroot without a trailing slash; a stray slash would refuse every launch.
  const issuer = r.issuer.replace(/\/+$/, '')
  const platform = await deps.db.transaction(async (tx) => {
    let organizationId = r.organizationId
    if (organizationId) {
      if (!(await findOrganization(tx, organizationId))) throw new LtiRegistrationFailed(`Organisation inconnue : ${organizationId}`)
    } else {
      organizationId = (await createOrganization(tx, { name: r.organizationName ?? r.name, type: r.organizationType })).id
    }
    const p = await upsertPlatform(tx, { ...r, issuer, organizationId })
    for (const deploymentId of r.deploymentIds) await addDeployment(tx, { platformId: p.id, deploymentId })
    return p
  })
  deps.onChange?.()
  return platform
}
