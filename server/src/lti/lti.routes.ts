/**
 * LTI HTTP surface: JWKS, tool configuration, OIDC login, launch, campaign picker, dynamic
 * registration, and the JSON API the embedded app uses after a launch (/api/lti/*).
 * Browser-facing LTI errors become French pages; the JSON API goes through http/error-handler.ts.
 */
import { join } from 'node:path'
import express, { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { Db } from '../db/client'
import { setOrgaCookie } from '../organizations'
import { AppError } from '../shared/app-error'
import type { Clock } from '../shared/clock'
import type { Logger } from '../shared/logger'
import type { CampaignCatalog } from './campaign-catalog'
import { openPicker, PickerChoiceSchema, submitPicker } from './deep-linking'
import { registerDynamically } from './dynamic-registration'
import { LtiLaunchRejected, LtiLoginRejected, LtiRegistrationFailed, LtiSessionInvalid } from './errors'
import { handleLaunch } from './launch'
import { bindingCookieName, initiateLogin, LOGIN_STATE_TTL_MS } from './login'
import * as pages from './pages'
import type { PlatformDirectory } from './platform-directory'
import type { PlatformKeyStore } from './platform-keys'
import { fetchCourseRoster } from './roster'
import { listScoreDeliveries } from './score-outbox'
import type { ServiceClient } from './service-client'
import { createOrgaLink, enterOrga, exchangeLaunchCode, readCookie, type SessionMiddlewares } from './sessions'
import { toolConfigurationSheet, toolUrls } from './tool-configuration'
import { publicJwks } from './tool-keys'
import { safeEqual } from './crypto'

export interface LtiRouterDeps {
  db: Db
  clock: Clock
  logger: Logger
  platformKeys: PlatformKeyStore
  /** Platforms and deployments, cached (platform-directory.ts). */
  platforms: PlatformDirectory
  campaigns: CampaignCatalog
  services: ServiceClient
  sessions: SessionMiddlewares
  encryptionKey: Buffer
  /** Jalon's public base URL (known after listen when PORT=0). */
  baseUrl: () => string
  toolName: string
  registrationKey?: string
  /** Without a key, is dynamic registration open (not in production, see settings.ts)? */
  registrationWithoutKey: boolean
  /** Called when platforms change (frame-ancestors cache). */
  onPlatformsChange?: () => void
  fetch?: typeof fetch
}

const APP_PATH = '/app/'

function sendPage(res: Response, status: number, body: string) {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(body)
}

/** Renders the LTI errors a browser can meet as French pages; anything else goes to the JSON error handler. */
function pageErrors(logger: Logger, fn: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response) => {
    try {
      await fn(req, res)
    } catch (err) {
      if (err instanceof LtiLaunchRejected) {
        logger.warn({ reason: err.reason, detail: err.message }, 'LTI launch refused')
        return sendPage(res, 400, pages.launchErrorPage(err.reason))
      }
      if (err instanceof LtiLoginRejected) {
        logger.warn({ detail: err.message, ...err.details }, 'LTI login refused')
        return sendPage(res, 400, pages.errorPage({ title: 'Connexion impossible', message: `${err.message} Prévenez l’administrateur de votre plateforme.`, code: err.code }))
      }
      if (err instanceof LtiRegistrationFailed) {
        logger.warn({ detail: err.message, ...err.details }, 'LTI registration failed')
        return sendPage(res, 400, pages.errorPage({ title: 'Enregistrement impossible', message: err.message, code: err.code }))
      }
      if (err instanceof LtiSessionInvalid) return sendPage(res, 401, pages.errorPage({ title: 'Lien expiré', message: err.message }))
      throw err
    }
  }
}

export function ltiRoutes(deps: LtiRouterDeps): Router {
  const router = Router()
  const log = deps.logger
  const urls = () => toolUrls(deps.baseUrl())

  router.use('/lti/static', express.static(join(__dirname, 'static'), { maxAge: '1h' }))

  const jwks = async (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=300')
    res.json(await publicJwks(deps))
  }
  router.get('/.well-known/jwks.json', jwks)
  router.get('/lti/jwks', jwks)
  router.get('/lti/config.json', (_req, res) => {
    res.json(toolConfigurationSheet(urls(), deps.toolName))
  })

  const login = pageErrors(log, async (req, res) => {
    const params = req.method === 'POST' ? { ...req.query, ...req.body } : req.query
    const result = await initiateLogin(params, { db: deps.db, clock: deps.clock, platforms: deps.platforms, redirectUri: urls().launchUrl })
    // Optional extra check: SameSite=None + Partitioned so it survives in a cross-site iframe when it can.
    res.cookie(bindingCookieName(result.state), result.browserBinding, {
      httpOnly: true,
      secure: true,
      sameSite: 'none',
      partitioned: true,
      path: '/lti/',
      maxAge: LOGIN_STATE_TTL_MS,
    })
    log.info({ platformId: result.platform.id, storage: Boolean(result.storageTarget) }, 'LTI login initiated')
    if (result.storageTarget) {
      return sendPage(
        res,
        200,
        pages.loginStoragePage({
          authorizationUrl: result.authorizationUrl,
          state: result.state,
          origin: new URL(result.platform.authLoginUrl).origin,
          target: result.storageTarget,
        }),
      )
    }
    res.redirect(302, result.authorizationUrl)
  })
  router.get('/lti/login', login)
  router.post('/lti/login', login)

  router.get('/lti/launch', (_req, res) =>
    sendPage(res, 400, pages.errorPage({ title: 'Lancement incomplet', message: 'Ouvrez Jalon depuis l’activité de votre cours.' })),
  )
  router.post(
    '/lti/launch',
    pageErrors(log, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      if (typeof body.error === 'string') {
        log.warn({ error: body.error, description: body.error_description }, 'platform answered the authentication request with an error')
        throw new LtiLaunchRejected('MISSING_ID_TOKEN', String(body.error))
      }
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
      const state = text(body.state)
      const storageState = text(body.lti_storage_state) ?? (body.lti_storage_unavailable ? null : undefined)
      const outcome = await handleLaunch(
        {
          idToken: text(body.id_token),
          state,
          storageState,
          cookieBinding: state ? readCookie(req, bindingCookieName(state)) : undefined,
        },
        deps,
      )
      if (outcome.kind === 'storage-check') {
        return sendPage(
          res,
          200,
          pages.launchStoragePage({ idToken: outcome.idToken, state: outcome.state, origin: outcome.platformOrigin, target: outcome.storageTarget }),
        )
      }
      if (state) res.clearCookie(bindingCookieName(state), { httpOnly: true, secure: true, sameSite: 'none', partitioned: true, path: '/lti/' })
      const c = outcome.context
      log.info({ launchId: c.launchId, platformId: c.platformId, role: c.role, outcome: outcome.kind }, 'LTI launch accepted')
      switch (outcome.kind) {
        case 'app':
          return res.redirect(303, `${APP_PATH}?launch=${encodeURIComponent(outcome.code)}`)
        case 'not-configured':
          return sendPage(res, 200, pages.notConfiguredPage())
        case 'deep-linking-forbidden':
          return sendPage(res, 403, pages.deepLinkingForbiddenPage())
        case 'picker':
          return sendPage(
            res,
            200,
            pages.pickerPage({
              ticket: outcome.ticket,
              mode: outcome.mode,
              campaigns: await deps.campaigns.list(c.organizationId),
              targetProfiles: deps.campaigns.targetProfiles(),
            }),
          )
      }
    }),
  )

  router.post(
    '/lti/picker',
    pageErrors(log, async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>
      const ticket = typeof body.ticket === 'string' ? body.ticket : ''
      const launch = await openPicker(ticket, deps)
      const parsed = PickerChoiceSchema.safeParse(body)
      const rerender = async (error: string) =>
        sendPage(
          res,
          400,
          pages.pickerPage({
            ticket,
            mode: launch.services.deepLinking ? 'deep-linking' : 'bind',
            campaigns: await deps.campaigns.list(launch.context.organizationId),
            targetProfiles: deps.campaigns.targetProfiles(),
            error,
          }),
        )
      if (!parsed.success) return rerender(parsed.error.issues[0]?.message ?? 'Formulaire incomplet.')
      let outcome
      try {
        outcome = await submitPicker(ticket, parsed.data, deps)
      } catch (err) {
        // Campaign rules (name, profile…) are told to the teacher on the same form.
        if (err instanceof AppError && !(err instanceof LtiSessionInvalid)) return rerender(err.message)
        throw err
      }
      log.info({ launchId: launch.id, campaignId: outcome.campaign.id, kind: outcome.kind }, 'LTI activity bound to a campaign')
      if (outcome.kind === 'deep-linking-response') {
        return sendPage(res, 200, pages.autoPostPage({ title: 'Retour à votre plateforme…', action: outcome.returnUrl, fields: { JWT: outcome.jwt } }))
      }
      res.redirect(303, `${APP_PATH}?launch=${encodeURIComponent(outcome.code)}`)
    }),
  )

  router.get(
    '/lti/register',
    pageErrors(log, async (req, res) => {
      // Closed before anything is fetched: an open endpoint lets anyone register a platform (and make Jalon fetch URLs).
      if (!deps.registrationKey && !deps.registrationWithoutKey) {
        log.warn('dynamic registration refused: closed in production without LTI_REGISTRATION_KEY')
        return sendPage(res, 403, pages.registrationClosedPage())
      }
      const q = z
        .object({ openid_configuration: z.string().min(1), registration_token: z.string().optional(), key: z.string().optional(), organization: z.uuid().optional() })
        .safeParse(req.query)
      if (!q.success) throw new LtiRegistrationFailed('Adresse d’enregistrement à ouvrir depuis votre plateforme (paramètre openid_configuration manquant).')
      if (deps.registrationKey && !(q.data.key && safeEqual(q.data.key, deps.registrationKey)))
        throw new LtiRegistrationFailed('Clé d’enregistrement absente ou incorrecte : utilisez l’adresse fournie par l’administrateur de Jalon.')
      const { platform, deploymentId } = await registerDynamically(
        { openidConfiguration: q.data.openid_configuration, registrationToken: q.data.registration_token, organizationId: q.data.organization },
        { db: deps.db, urls: urls(), toolName: deps.toolName, fetch: deps.fetch, onChange: deps.onPlatformsChange },
      )
      log.info({ platformId: platform.id, issuer: platform.issuer, deploymentId }, 'LTI platform registered dynamically')
      sendPage(res, 200, pages.registrationDonePage({ platformName: platform.name, deploymentId }))
    }),
  )

  // JSON API for the embedded app.
  router.post('/api/lti/session', async (req, res) => {
    const { code } = z.object({ code: z.string().min(1).max(200) }).parse(req.body)
    const session = await exchangeLaunchCode(code, { db: deps.db, clock: deps.clock, sessionCache: deps.sessions.cache })
    res.setHeader('Cache-Control', 'no-store')
    res.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), launch: session.launch })
  })
  router.get('/api/lti/me', deps.sessions.requireLearnerSession, (req, res) => {
    res.json({ launch: req.launch })
  })
  router.delete('/api/lti/session', async (req, res) => {
    await deps.sessions.logout(req, res)
    res.end()
  })
  router.post('/api/lti/orga-link', deps.sessions.requireTeacherSession, async (req, res) => {
    const code = await createOrgaLink(req.launch!, deps)
    res.json({ url: `/lti/orga?code=${encodeURIComponent(code)}` })
  })
  router.get(
    '/lti/orga',
    pageErrors(log, async (req, res) => {
      const session = await enterOrga(typeof req.query.code === 'string' ? req.query.code : '', deps)
      setOrgaCookie(req, res, session)
      res.redirect(303, '/orga/')
    }),
  )
  router.get('/api/lti/roster', deps.sessions.requireTeacherSession, async (req, res) => {
    res.json({ members: await fetchCourseRoster(req.launch!, deps) })
  })
  router.get('/api/lti/score-deliveries', deps.sessions.requireTeacherSession, async (req, res) => {
    const campaignId = req.launch!.campaignId
    res.json({ deliveries: campaignId ? await listScoreDeliveries({ campaignId }, deps) : [] })
  })
  return router
}
