/**
 * /api/orga campaign routes: list, create, update, archive, delete, the campaign page tabs,
 * participant detail and the CSV export. Every route runs behind requireOrgaSession and reads only
 * the session's organization: a campaign of another organization is a 404.
 */
import { Router, type Request, type RequestHandler } from 'express'
import type { Db } from '../db/client'
import type { Referential } from '../content/types'
import {
  archiveCampaign,
  CampaignNotFound,
  createCampaign,
  deleteCampaigns,
  getCampaign,
  unarchiveCampaign,
  updateCampaign,
  type Campaign,
} from '../campaigns'
import type { OrgaContext } from '../organizations/orga-session'
import type { Clock } from '../shared/clock'
import { Unauthenticated } from '../shared/app-error'
import { notStartedLearners, withGradeDeliveries, type CampaignRosterHook, type GradeDeliveriesHook } from './activity-lms'
import { campaignActivityParticipantsQuery, campaignActivityQuery } from './campaign-activity.query'
import { campaignAnalysisQuery } from './campaign-analysis.query'
import { campaignContent, type CampaignContent } from './campaign-content'
import { exportFileName } from './campaign-export-format'
import { campaignListQuery } from './campaign-list.query'
import { campaignProfileRowsQuery } from './campaign-profiles.query'
import { campaignResultRowsQuery, campaignResultsSummaryQuery } from './campaign-results.query'
import { exportCampaignResults, exportOrganization } from './export-campaign-results'
import { organizationMembersQuery } from './organization-members.query'
import { participantDetailQuery } from './participant-detail.query'
import type { SqlPool } from './sql'
import {
  ActivityParticipantsQuery,
  CampaignIdParams,
  CreateCampaignBody,
  DeleteCampaignsBody,
  ListCampaignsQuery,
  ParticipationParams,
  ResultParticipantsQuery,
  UpdateCampaignBody,
} from './orga-campaigns.schemas'

export interface OrgaCampaignRoutesDeps {
  db: Db
  sql: SqlPool
  clock: Clock
  referential: Referential
  requireOrgaSession: RequestHandler
  /** Base of the learner-facing direct link (defaults to the request's origin). */
  publicUrl?: string
  /** LMS course roster of the campaign (who has not started); wired by main.ts from lti/. */
  campaignRoster?: CampaignRosterHook
  /** LMS grade delivery per participant; wired by main.ts from lti/. */
  gradeDeliveries?: GradeDeliveriesHook
}

function orga(req: Request): OrgaContext {
  if (!req.orga) throw new Unauthenticated('Connectez-vous pour accéder à Jalon Orga.')
  return req.orga
}

export function orgaCampaignRoutes(deps: OrgaCampaignRoutesDeps): Router {
  const router = Router()
  const { db, sql, referential } = deps
  const targetProfileExists = (id: string) => referential.targetProfiles.has(id)
  const contentCache = new Map<string, CampaignContent>()
  const contentOf = (campaign: Campaign): CampaignContent | null => {
    const tp = campaign.targetProfileId ? referential.targetProfiles.get(campaign.targetProfileId) : undefined
    if (!tp) return null
    if (!contentCache.has(tp.id)) contentCache.set(tp.id, campaignContent(referential, tp))
    return contentCache.get(tp.id)!
  }
  /** Tenancy: the campaign must be of the session's organization. */
  const campaignOf = async (req: Request): Promise<Campaign> => {
    const { campaignId } = CampaignIdParams.parse({ campaignId: req.params.campaignId })
    const campaign = await getCampaign(campaignId, { db })
    if (campaign.organizationId !== orga(req).organizationId) throw new CampaignNotFound('Campagne introuvable.')
    return campaign
  }
  const directLink = (req: Request, code: string) => `${deps.publicUrl ?? `${req.protocol}://${req.get('host')}`}/app/campagnes/${code}`

  const present = async (req: Request, c: Campaign) => {
    const [owner] = (await sql.query(`SELECT id, coalesce(first_name, '') AS first_name, coalesce(last_name, '') AS last_name FROM users WHERE id = $1`, [c.ownerId])).rows
    const tp = c.targetProfileId ? referential.targetProfiles.get(c.targetProfileId) : undefined
    const ctx = orga(req)
    return {
      ...c,
      owner: owner ? { id: owner.id, firstName: owner.first_name, lastName: owner.last_name } : null,
      targetProfile: tp ? { id: tp.id, name: tp.name, category: tp.category, hasStages: tp.stages.length > 0, badges: tp.badges.map((b) => ({ key: b.key, title: b.title })) } : null,
      directLink: directLink(req, c.code),
      canManage: ctx.role === 'ADMIN' || c.ownerId === ctx.userId,
    }
  }

  router.use('/api/orga/campaigns', deps.requireOrgaSession)
  router.use('/api/orga/campaign-form-options', deps.requireOrgaSession)

  router.get('/api/orga/campaign-form-options', async (req, res) => {
    const members = await organizationMembersQuery(sql, orga(req).organizationId)
    const targetProfiles = [...referential.targetProfiles.values()].map((tp) => ({
      id: tp.id,
      name: tp.name,
      description: tp.description,
      category: tp.category,
    }))
    res.json({ members, targetProfiles, me: orga(req) })
  })

  router.get('/api/orga/campaigns', async (req, res) => {
    const q = ListCampaignsQuery.parse(req.query)
    const ctx = orga(req)
    const ownerId = q.scope === 'mine' ? ctx.userId : q.ownerId
    const result = await campaignListQuery(sql, { organizationId: ctx.organizationId, ownerId, status: q.status, name: q.name, sort: q.sort, page: q.page, pageSize: q.pageSize })
    res.json(result)
  })

  router.post('/api/orga/campaigns', async (req, res) => {
    const body = CreateCampaignBody.parse(req.body)
    const ctx = orga(req)
    const campaign = await createCampaign({ ...body, organizationId: ctx.organizationId, creatorId: ctx.userId }, { db, clock: deps.clock, targetProfileExists })
    res.status(201).json(await present(req, campaign))
  })

  router.post('/api/orga/campaigns/deletion', async (req, res) => {
    const { campaignIds } = DeleteCampaignsBody.parse(req.body)
    const ctx = orga(req)
    res.json(await deleteCampaigns({ campaignIds, organizationId: ctx.organizationId, userId: ctx.userId }, { db, clock: deps.clock }))
  })

  router.get('/api/orga/campaigns/:campaignId', async (req, res) => {
    res.json(await present(req, await campaignOf(req)))
  })

  router.patch('/api/orga/campaigns/:campaignId', async (req, res) => {
    const campaign = await campaignOf(req)
    const changes = UpdateCampaignBody.parse(req.body)
    const ctx = orga(req)
    const updated = await updateCampaign({ campaignId: campaign.id, organizationId: ctx.organizationId, userId: ctx.userId, changes }, { db, targetProfileExists })
    res.json(await present(req, updated))
  })

  router.post('/api/orga/campaigns/:campaignId/archive', async (req, res) => {
    const campaign = await campaignOf(req)
    res.json(await present(req, await archiveCampaign({ campaignId: campaign.id, userId: orga(req).userId }, { db, clock: deps.clock })))
  })

  router.post('/api/orga/campaigns/:campaignId/unarchive', async (req, res) => {
    const campaign = await campaignOf(req)
    res.json(await present(req, await unarchiveCampaign({ campaignId: campaign.id, userId: orga(req).userId }, { db })))
  })

  router.get('/api/orga/campaigns/:campaignId/activity', async (req, res) => {
    const campaign = await campaignOf(req)
    const notStarted = async () => {
      const roster = await deps.campaignRoster?.(campaign)
      return roster ? notStartedLearners(sql, campaign.id, roster) : null
    }
    const [activity, lms] = await Promise.all([campaignActivityQuery(sql, campaign.id), notStarted()])
    res.json({ ...activity, notStarted: lms })
  })

  router.get('/api/orga/campaigns/:campaignId/activity/participants', async (req, res) => {
    const campaign = await campaignOf(req)
    const page = await campaignActivityParticipantsQuery(sql, campaign.id, ActivityParticipantsQuery.parse(req.query))
    res.json({ ...page, participants: await withGradeDeliveries(sql, campaign.id, page.participants, deps.gradeDeliveries) })
  })

  router.get('/api/orga/campaigns/:campaignId/results', async (req, res) => {
    const campaign = await campaignOf(req)
    const content = contentOf(campaign)
    if (!content) {
      const { rows } = await sql.query(
        `SELECT count(DISTINCT coalesce(p.organization_learner_id::text, p.user_id::text, p.id::text))::int AS n
         FROM campaign_participations p WHERE p.campaign_id = $1 AND p.status = 'SHARED' AND p.deleted_at IS NULL`,
        [campaign.id],
      )
      res.json({ type: campaign.type, sharedParticipantsCount: rows[0].n })
      return
    }
    res.json({ type: campaign.type, ...(await campaignResultsSummaryQuery(sql, campaign.id, content)) })
  })

  router.get('/api/orga/campaigns/:campaignId/results/participants', async (req, res) => {
    const campaign = await campaignOf(req)
    const q = ResultParticipantsQuery.parse(req.query)
    const content = contentOf(campaign)
    if (!content) res.json(await campaignProfileRowsQuery(sql, campaign.id, referential, q))
    else res.json(await campaignResultRowsQuery(sql, campaign.id, content, q))
  })

  router.get('/api/orga/campaigns/:campaignId/analysis', async (req, res) => {
    const campaign = await campaignOf(req)
    const content = contentOf(campaign)
    if (!content) throw new CampaignNotFound('Pas d’analyse pour une collecte de profils.')
    res.json(await campaignAnalysisQuery(sql, campaign.id, content))
  })

  router.get('/api/orga/campaigns/:campaignId/participations/:participationId', async (req, res) => {
    const { participationId } = ParticipationParams.parse(req.params)
    const campaign = await campaignOf(req)
    const detail = await participantDetailQuery(sql, { campaign, participationId, referential, content: contentOf(campaign) })
    const [lms] = await withGradeDeliveries(sql, campaign.id, [{ participationId }], deps.gradeDeliveries)
    res.json({ ...detail, gradeDelivery: lms?.gradeDelivery ?? null })
  })

  router.get('/api/orga/campaigns/:campaignId/export.csv', async (req, res) => {
    const campaign = await campaignOf(req)
    const organization = await exportOrganization(sql, campaign.organizationId)
    const fileName = exportFileName(campaign, deps.clock.now())
    const ascii = fileName.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '')
    res.setHeader('Content-Type', 'text/csv; charset=utf-8')
    res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
    res.setHeader('Cache-Control', 'no-store')
    await exportCampaignResults(sql, { ...organization, campaign, referential, content: contentOf(campaign) }, res)
  })

  return router
}
