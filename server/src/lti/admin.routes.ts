/**
 * The registration admin page (/lti/admin): list platforms, register one by hand, rotate keys.
 * Closed unless ADMIN_TOKEN is set; signing in with it opens a server-side session in an HttpOnly,
 * SameSite=Strict cookie (no cross-site form can use it), and POSTs also check the Origin header.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express'
import type { Db } from '../db/client'
import { html, page, raw } from '../shared/html'
import type { Clock } from '../shared/clock'
import type { Logger } from '../shared/logger'
import { DEFAULT_CLAIM_MAPPING, GAR_CLAIM_MAPPING, type ClaimMapping } from './claim-mapping'
import { safeEqual } from './crypto'
import { LtiRegistrationFailed } from './errors'
import { listPlatforms } from './platform.repository'
import { registerPlatform } from './register-platform'
import { createSession, deleteSession, findSession } from './session.repository'
import { readCookie } from './sessions'
import { toolUrls } from './tool-configuration'
import { rotateToolKeys } from './tool-keys'

const ADMIN_COOKIE = 'jalon_admin'
const ADMIN_TTL_MS = 4 * 3600_000

export interface AdminRouterDeps {
  db: Db
  clock: Clock
  logger: Logger
  encryptionKey: Buffer
  adminToken?: string
  registrationKey?: string
  registrationWithoutKey?: boolean
  baseUrl: () => string
  onPlatformsChange?: () => void
}

function send(res: Response, status: number, title: string, body: ReturnType<typeof html>) {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(page({ title: `${title} — Jalon`, body: html`<main><div class="card">${body}</div></main>` }))
}

function mappingFromForm(choice: unknown, customName: unknown): ClaimMapping {
  if (choice === 'gar') return GAR_CLAIM_MAPPING
  if (choice === 'custom' && typeof customName === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(customName)) return { externalId: `custom.${customName}`, attributes: {} }
  if (choice === 'none') return { externalId: 'none', attributes: {} }
  return DEFAULT_CLAIM_MAPPING
}

/** The URL to give the LMS administrator: with the key when one is set (this page is behind ADMIN_TOKEN). */
function registrationLine(url: string, deps: Pick<AdminRouterDeps, 'registrationKey' | 'registrationWithoutKey'>) {
  if (deps.registrationKey) return html`<code>${url}?key=${encodeURIComponent(deps.registrationKey)}</code>`
  if (deps.registrationWithoutKey) return html`<code>${url}</code>`
  return html`fermé (définissez <code>LTI_REGISTRATION_KEY</code> pour l’ouvrir)`
}

export function adminRoutes(deps: AdminRouterDeps): Router {
  const router = Router()

  const sameOrigin: RequestHandler = (req, _res, next) => {
    const origin = req.headers.origin
    if (origin && origin !== 'null' && new URL(origin).host !== req.headers.host) {
      next(new LtiRegistrationFailed('Requête d’une autre origine refusée.'))
      return
    }
    next()
  }
  const signedIn = async (req: Request) => {
    const token = readCookie(req, ADMIN_COOKIE)
    return Boolean(token && (await findSession(deps.db, token, 'admin', deps.clock.now())))
  }
  const requireAdmin: RequestHandler = async (req, res, next) => {
    if (!deps.adminToken) return send(res, 404, 'Administration fermée', html`<h1>Administration fermée</h1><p>Définissez ADMIN_TOKEN pour ouvrir cette page.</p>`)
    if (!(await signedIn(req))) return res.redirect(303, '/lti/admin/login')
    next()
  }

  router.get('/lti/admin/login', (_req, res) => {
    if (!deps.adminToken) return send(res, 404, 'Administration fermée', html`<h1>Administration fermée</h1><p>Définissez ADMIN_TOKEN pour ouvrir cette page.</p>`)
    send(
      res,
      200,
      'Administration LTI',
      html`<h1>Administration LTI</h1>
<form method="post" action="/lti/admin/login">
<p><label for="token">Jeton d’administration (ADMIN_TOKEN)</label><br><input id="token" name="token" type="password" required autocomplete="current-password"></p>
<button type="submit">Se connecter</button></form>`,
    )
  })
  router.post('/lti/admin/login', sameOrigin, async (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : ''
    if (!deps.adminToken || !safeEqual(token, deps.adminToken)) {
      deps.logger.warn({ ip: req.ip }, 'admin sign-in refused')
      return send(res, 401, 'Administration LTI', html`<h1>Administration LTI</h1><p class="error" role="alert">Jeton incorrect.</p><p><a href="/lti/admin/login">Réessayer</a></p>`)
    }
    const expiresAt = new Date(deps.clock.now().getTime() + ADMIN_TTL_MS)
    const session = await createSession(deps.db, { kind: 'admin', launchId: null, expiresAt })
    res.cookie(ADMIN_COOKIE, session, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/lti/admin', expires: expiresAt })
    res.redirect(303, '/lti/admin')
  })
  router.post('/lti/admin/logout', sameOrigin, async (req, res) => {
    const token = readCookie(req, ADMIN_COOKIE)
    if (token) await deleteSession(deps.db, token)
    res.clearCookie(ADMIN_COOKIE, { path: '/lti/admin' })
    res.redirect(303, '/lti/admin/login')
  })

  router.get('/lti/admin', requireAdmin, async (req, res) => {
    const platforms = await listPlatforms(deps.db)
    const urls = toolUrls(deps.baseUrl())
    const notice = typeof req.query.ok === 'string' ? html`<p class="success" role="status">${req.query.ok}</p>` : raw('')
    send(
      res,
      200,
      'Administration LTI',
      html`<h1>Plateformes LTI</h1>${notice}
<h2>Adresses de Jalon</h2>
<ul>
<li>Enregistrement dynamique : ${registrationLine(urls.registrationUrl, deps)}</li>
<li>Connexion (initiate login) : <code>${urls.loginUrl}</code></li>
<li>Redirection / lancement : <code>${urls.launchUrl}</code></li>
<li>Jeu de clés (JWKS) : <code>${urls.jwksUrl}</code></li>
</ul>
<h2>Plateformes enregistrées</h2>
${
  platforms.length
    ? html`<table><thead><tr><th>Nom</th><th>Émetteur</th><th>Client</th><th>Déploiements</th><th>Identifiant externe</th></tr></thead><tbody>
${platforms.map((p) => html`<tr><td>${p.name}</td><td>${p.issuer}</td><td>${p.clientId}</td><td>${p.deploymentIds.join(', ')}</td><td>${p.claimMapping.externalId}</td></tr>`)}
</tbody></table>`
    : html`<p class="muted">Aucune plateforme.</p>`
}
<h2>Enregistrer une plateforme</h2>
<form method="post" action="/lti/admin/platforms">
<p><label for="name">Nom</label><br><input id="name" name="name" required></p>
<p><label for="issuer">Émetteur (Platform ID)</label><br><input id="issuer" name="issuer" type="url" required></p>
<p><label for="clientId">Client ID</label><br><input id="clientId" name="clientId" required></p>
<p><label for="deploymentIds">Deployment ID(s), séparés par des virgules</label><br><input id="deploymentIds" name="deploymentIds" required></p>
<p><label for="authLoginUrl">Authentication request URL</label><br><input id="authLoginUrl" name="authLoginUrl" type="url" required></p>
<p><label for="authTokenUrl">Access token URL</label><br><input id="authTokenUrl" name="authTokenUrl" type="url" required></p>
<p><label for="jwksUrl">Public keyset URL</label><br><input id="jwksUrl" name="jwksUrl" type="url" required></p>
<p><label for="organizationName">Organisation (nom, créée si nouvelle)</label><br><input id="organizationName" name="organizationName"></p>
<p><label for="externalId">Identifiant externe des apprenants</label><br><select id="externalId" name="externalId">
<option value="lis">lis.person_sourcedid (numéro d’identification Moodle)</option>
<option value="custom">Paramètre personnalisé (ci-dessous)</option>
<option value="gar">ENT / GAR : custom ido, uai, division</option>
<option value="none">Aucun</option></select></p>
<p><label for="customName">Nom du paramètre personnalisé (ex. student_id)</label><br><input id="customName" name="customName"></p>
<button type="submit">Enregistrer</button></form>
<h2>Clés de Jalon</h2>
<form method="post" action="/lti/admin/rotate-keys"><button type="submit">Préparer / appliquer une rotation</button></form>
<form method="post" action="/lti/admin/logout"><button type="submit">Se déconnecter</button></form>`,
    )
  })

  router.post('/lti/admin/platforms', sameOrigin, requireAdmin, async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>
    const s = (k: string) => (typeof b[k] === 'string' && (b[k] as string).trim() ? (b[k] as string).trim() : undefined)
    try {
      const platform = await registerPlatform(
        {
          name: s('name') ?? '',
          issuer: s('issuer') ?? '',
          clientId: s('clientId') ?? '',
          authLoginUrl: s('authLoginUrl') ?? '',
          authTokenUrl: s('authTokenUrl') ?? '',
          jwksUrl: s('jwksUrl') ?? '',
          deploymentIds: (s('deploymentIds') ?? '').split(/[,\s]+/).filter(Boolean),
          organizationName: s('organizationName'),
          claimMapping: mappingFromForm(b.externalId, b.customName),
        },
        { db: deps.db, onChange: deps.onPlatformsChange },
      )
      deps.logger.info({ platformId: platform.id, issuer: platform.issuer }, 'LTI platform registered by an admin')
      res.redirect(303, `/lti/admin?ok=${encodeURIComponent(`Plateforme « ${platform.name} » enregistrée.`)}`)
    } catch (err) {
      if (err instanceof LtiRegistrationFailed) return send(res, 400, 'Enregistrement impossible', html`<h1>Enregistrement impossible</h1><p class="error" role="alert">${err.message}</p><p><a href="/lti/admin">Retour</a></p>`)
      throw err
    }
  })

  router.post('/lti/admin/rotate-keys', sameOrigin, requireAdmin, async (_req, res) => {
    const report = await rotateToolKeys({ db: deps.db, clock: deps.clock, encryptionKey: deps.encryptionKey })
    deps.logger.info({ report }, 'tool key rotation step')
    const msg = report.activated
      ? `Nouvelle clé active : ${report.activated}.`
      : report.created
        ? `Nouvelle clé publiée (${report.created}) ; elle signera à la prochaine rotation, dans 24 h au plus tôt.`
        : `Clé en attente de publication : ${report.waiting ?? '—'}.`
    res.redirect(303, `/lti/admin?ok=${encodeURIComponent(msg)}`)
  })
  return router
}
