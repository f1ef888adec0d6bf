/** Platforms and deployments: the only file that knows the lti_platforms / lti_deployments tables. */
import { and, asc, eq } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { ltiDeployments, ltiPlatforms } from '../db/schema'
import { parseClaimMapping, type ClaimMapping } from './claim-mapping'

type Executor = Db | Tx

export interface Platform {
  id: string
  name: string
  issuer: string
  clientId: string
  authLoginUrl: string
  authTokenUrl: string
  authTokenAud: string | null
  jwksUrl: string
  organizationId: string
  claimMapping: ClaimMapping
  productFamily: string | null
}

export interface Deployment {
  id: string
  platformId: string
  deploymentId: string
  organizationId: string
}

function toPlatform(row: typeof ltiPlatforms.$inferSelect): Platform {
  return { ...row, claimMapping: parseClaimMapping(row.claimMapping) }
}

export async function listPlatforms(db: Executor): Promise<(Platform & { deploymentIds: string[] })[]> {
  const rows = await db.select().from(ltiPlatforms).orderBy(asc(ltiPlatforms.createdAt))
  const deps = await db.select().from(ltiDeployments)
  return rows.map((r) => ({
    ...toPlatform(r),
    deploymentIds: deps.filter((d) => d.platformId === r.id).map((d) => d.deploymentId),
  }))
}

export async function findPlatformById(db: Executor, id: string): Promise<Platform | undefined> {
  const [row] = await db.select().from(ltiPlatforms).where(eq(ltiPlatforms.id, id))
  return row && toPlatform(row)
}

/** Platforms with this issuer (several client ids are possible: one per registration). */
export async function findPlatformsByIssuer(db: Executor, issuer: string): Promise<Platform[]> {
  const rows = await db.select().from(ltiPlatforms).where(eq(ltiPlatforms.issuer, issuer))
  return rows.map(toPlatform)
}

export async function findDeployment(db: Executor, platformId: string, deploymentId: string): Promise<Deployment | undefined> {
  const [row] = await db
    .select({ deployment: ltiDeployments, platformOrg: ltiPlatforms.organizationId })
    .from(ltiDeployments)
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiDeployments.platformId))
    .where(and(eq(ltiDeployments.platformId, platformId), eq(ltiDeployments.deploymentId, deploymentId)))
  if (!row) return undefined
  return {
    id: row.deployment.id,
    platformId,
    deploymentId: row.deployment.deploymentId,
    organizationId: row.deployment.organizationId ?? row.platformOrg,
  }
}

export interface PlatformValues {
  name: string
  issuer: string
  clientId: string
  authLoginUrl: string
  authTokenUrl: string
  authTokenAud?: string | null
  jwksUrl: string
  organizationId: string
  claimMapping?: ClaimMapping
  productFamily?: string | null
}

/** Insert or update by (issuer, client id). */
export async function upsertPlatform(db: Executor, values: PlatformValues): Promise<Platform> {
  const set = {
    name: values.name,
    authLoginUrl: values.authLoginUrl,
    authTokenUrl: values.authTokenUrl,
    authTokenAud: values.authTokenAud ?? null,
    jwksUrl: values.jwksUrl,
    organizationId: values.organizationId,
    ...(values.claimMapping ? { claimMapping: values.claimMapping } : {}),
    productFamily: values.productFamily ?? null,
    updatedAt: new Date(),
  }
  const [row] = await db
    .insert(ltiPlatforms)
    .values({ issuer: values.issuer, clientId: values.clientId, ...set, claimMapping: values.claimMapping ?? {} })
    .onConflictDoUpdate({ target: [ltiPlatforms.issuer, ltiPlatforms.clientId], set })
    .returning()
  return toPlatform(row!)
}

export async function addDeployment(
  db: Executor,
  input: { platformId: string; deploymentId: string; organizationId?: string | null },
): Promise<void> {
  await db
    .insert(ltiDeployments)
    .values({ platformId: input.platformId, deploymentId: input.deploymentId, organizationId: input.organizationId ?? null })
    .onConflictDoNothing()
}

export async function deletePlatform(db: Executor, id: string): Promise<void> {
  await db.delete(ltiPlatforms).where(eq(ltiPlatforms.id, id))
}

export async function findDeploymentByRowId(db: Executor, id: string): Promise<Deployment | undefined> {
  const [row] = await db
    .select({ deployment: ltiDeployments, platformOrg: ltiPlatforms.organizationId })
    .from(ltiDeployments)
    .innerJoin(ltiPlatforms, eq(ltiPlatforms.id, ltiDeployments.platformId))
    .where(eq(ltiDeployments.id, id))
  if (!row) return undefined
  return { id, platformId: row.deployment.platformId, deploymentId: row.deployment.deploymentId, organizationId: row.deployment.organizationId ?? row.platformOrg }
}
