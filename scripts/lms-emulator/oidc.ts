/**
 * OIDC third-party initiated login, platform side: launch.php / contentitem.php auto-post the login initiation to
 * the tool; auth.php checks the tool's authentication request as Moodle's mod/lti/auth.php does and auto-posts
 * the signed id_token (or the error) to the redirect URI.
 */
import { Router, type Request, type Response } from 'express'
import { CLAIM } from './claims'
import { autoPostForm, barePage, esc } from './html'
import { buildLaunchClaims, deepLinkingSettings } from './id-token'
import { currentUser, signIn } from './session'
import { randomHex, randomString, type EmulatorState } from './state'
import type { LaunchContainer, PendingLaunch } from './types'

export class LaunchError extends Error {}

export interface LoginInitiation {
  /** The tool's initiate-login URL. */
  url: string
  /** Moodle auto-submits a POST form; tools must also accept GET (`getUrl`). */
  method: 'POST'
  params: Record<string, string>
  /** `url` with the params as a query string, for GET-style initiation. */
  getUrl: string
  launchId: string
}

export interface StartLaunchInput {
  userId: string
  /** Resource link launch of this activity (resource_link.id). */
  activityId?: string
  /** Deep-linking launch of this tool (type id); defaults to the only configured tool. */
  deepLinking?: { typeId?: string }
  container?: LaunchContainer
}

/** Records the launch (Moodle keeps it in $SESSION under the launchid) and returns the login initiation. */
export function startLaunch(state: EmulatorState, input: StartLaunchInput): LoginInitiation {
  const user = state.users.get(input.userId)
  if (!user) throw new LaunchError(`Utilisateur inconnu : ${input.userId}`)
  const launchId = `ltilaunch${input.activityId ?? ''}_${Math.floor(Math.random() * 2 ** 31)}`
  let pending: PendingLaunch
  let hint: Record<string, unknown>
  if (input.deepLinking) {
    const tools = [...state.tools.values()].filter((t) => t.state === 'configured' && t.deepLinkingUrl)
    const tool = input.deepLinking.typeId ? state.tools.get(input.deepLinking.typeId) : tools.length === 1 ? tools[0] : undefined
    if (!tool || tool.state !== 'configured') throw new LaunchError('Aucun outil actif ne permet d’ajouter du contenu (Deep Linking).')
    if (!tool.deepLinkingUrl) throw new LaunchError(`L’outil « ${tool.name} » ne prend pas en charge le Deep Linking.`)
    if (!user.siteAdmin && user.courseRole !== 'editingteacher') throw new LaunchError('Seuls les enseignants peuvent ajouter une activité.')
    const sesskey = randomString(10)
    state.deepLinks.set(sesskey, {
      sesskey,
      typeId: tool.typeId,
      userId: user.id,
      courseId: state.course.id,
      data: state.settings.deepLinkingData ? `dl-${randomHex(8)}` : undefined,
      createdAt: Date.now(),
    })
    pending = {
      launchId,
      userId: user.id,
      typeId: tool.typeId,
      messageType: 'LtiDeepLinkingRequest',
      targetLinkUri: tool.deepLinkingUrl,
      container: 'embed',
      sesskey,
      createdAt: Date.now(),
    }
    hint = { launchid: launchId }
  } else {
    const activity = input.activityId ? state.activities.get(input.activityId) : undefined
    if (!activity) throw new LaunchError(`Activité inconnue : ${input.activityId ?? '(aucune)'}`)
    const tool = state.toolForActivity(activity)
    if (!tool) throw new LaunchError('Aucun outil LTI actif ne correspond à cette activité. Enregistrez l’outil dans Administration.')
    if (tool.state !== 'configured') throw new LaunchError(`L’outil « ${tool.name} » est en attente d’activation par un administrateur.`)
    state.syncLineItemTypes()
    pending = {
      launchId,
      userId: user.id,
      typeId: tool.typeId,
      messageType: 'LtiResourceLinkRequest',
      activityId: activity.id,
      targetLinkUri: activity.toolUrl && new URL(activity.toolUrl).host === tool.domain ? activity.toolUrl : tool.targetLinkUri,
      container: input.container ?? activity.launchContainer ?? tool.launchContainer,
      createdAt: Date.now(),
    }
    hint = { cmid: Number(activity.cmid), launchid: launchId }
  }
  const tool = state.tools.get(pending.typeId)
  if (!tool) throw new LaunchError('outil introuvable')
  if (state.settings.platformStorage) pending.storageTarget = '_parent'
  state.launches.set(launchId, pending)
  state.counters.launches++
  const params: Record<string, string> = {
    iss: state.issuer,
    target_link_uri: pending.targetLinkUri,
    login_hint: user.id,
    lti_message_hint: JSON.stringify(hint),
    client_id: tool.clientId,
    lti_deployment_id: tool.typeId,
  }
  if (pending.storageTarget) params.lti_storage_target = pending.storageTarget
  const getUrl = new URL(tool.initiateLoginUrl)
  for (const [k, v] of Object.entries(params)) getUrl.searchParams.set(k, v)
  return { url: tool.initiateLoginUrl, method: 'POST', params, getUrl: getUrl.toString(), launchId }
}

export interface AuthOutcome {
  /** Where the form goes (the validated redirect URI). */
  redirectUri: string
  fields: Record<string, string>
}

/** Thrown when Moodle shows its own error page instead of answering the tool (bad client, bad redirect URI, unknown launch). */
export class AuthPageError extends Error {}

/** Moodle's auth.php, step by step (error codes and their order follow it). */
export async function authorize(state: EmulatorState, p: Record<string, string | undefined>): Promise<AuthOutcome> {
  const { scope, response_type: responseType, client_id: clientId, redirect_uri: redirectUri, login_hint: loginHint, nonce } = p
  let error: string | undefined
  let desc: string | undefined
  let ok = Boolean(scope && responseType && clientId && redirectUri && loginHint && nonce)
  if (!ok) error = 'invalid_request'
  let launchId: string | undefined
  try {
    const hint = JSON.parse(p.lti_message_hint ?? '') as { launchid?: unknown }
    if (typeof hint.launchid === 'string') launchId = hint.launchid
  } catch {
    // not JSON: same as a hint without a launch id
  }
  if (ok && !launchId) {
    ok = false
    error = 'invalid_request'
    desc = 'No launch id in LTI hint'
  }
  if (ok && scope !== 'openid') {
    ok = false
    error = 'invalid_scope'
  }
  if (ok && responseType !== 'id_token') {
    ok = false
    error = 'unsupported_response_type'
  }
  const launch = launchId ? state.launches.get(launchId) : undefined
  // Moodle unsets the launch from the session: a message hint works once.
  if (launchId) state.launches.delete(launchId)
  const tool = launch ? state.tools.get(launch.typeId) : undefined
  if (ok && tool && clientId !== tool.clientId) {
    ok = false
    error = 'unauthorized_client'
  }
  if (ok && launch && loginHint !== launch.userId) {
    ok = false
    error = 'access_denied'
  }
  // Without the launch's tool config Moodle cannot trust the redirect URI: it shows an error page instead.
  if (!launch || !tool) throw new AuthPageError('invalidrequest: unknown or already used launch (lti_message_hint)')
  if (!redirectUri || !tool.redirectUris.includes(redirectUri)) throw new AuthPageError('invalidrequest: redirect_uri is not registered for this tool')
  if (ok) {
    if (p.response_mode === undefined) {
      ok = false
      error = 'invalid_request'
      desc = 'Missing response_mode'
    } else if (p.response_mode !== 'form_post') {
      ok = false
      error = 'invalid_request'
      desc = 'Invalid response_mode'
    }
  }
  if (ok && p.prompt && p.prompt !== 'none') {
    ok = false
    error = 'invalid_request'
    desc = 'Invalid prompt'
  }
  const fields: Record<string, string> = {}
  if (ok && nonce) {
    const claims = buildLaunchClaims({ state, launch, nonce })
    if (launch.messageType === 'LtiDeepLinkingRequest' && launch.sesskey) {
      const dl = state.deepLinks.get(launch.sesskey)
      claims[CLAIM.dlSettings] = deepLinkingSettings(state, tool, launch.sesskey, dl?.data)
    }
    fields.id_token = await state.keys.sign(claims)
  } else {
    fields.error = error ?? 'invalid_request'
    if (desc) fields.error_description = desc
  }
  if (p.state !== undefined) fields.state = p.state
  return { redirectUri, fields }
}

function paramsOf(req: Request): Record<string, string | undefined> {
  const source = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) }
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(source)) if (typeof v === 'string') out[k] = v
  return out
}

function errorPage(res: Response, status: number, message: string): void {
  res.status(status).type('html').send(barePage('Erreur', `<h1>Impossible de lancer l’activité</h1><p role="alert">${esc(message)}</p>`))
}

export function oidcRoutes(state: EmulatorState): Router {
  const r = Router()

  /** `as=<userId>` signs that user in first (tests open `launchUrl(userId, id)` directly). */
  function userFor(req: Request, res: Response): string | undefined {
    const as = typeof req.query.as === 'string' ? req.query.as : undefined
    if (as && state.users.has(as)) {
      signIn(res, as)
      return as
    }
    return currentUser(state, req)?.id
  }

  r.get('/mod/lti/launch.php', (req, res) => {
    const userId = userFor(req, res)
    if (!userId) return errorPage(res, 403, 'Connectez-vous d’abord (sélecteur d’utilisateur en page d’accueil).')
    const activity = state.activityByCmid(String(req.query.id ?? ''))
    try {
      const init = startLaunch(state, {
        userId,
        activityId: activity?.id,
        container: req.query.container === 'window' ? 'window' : req.query.container === 'embed' ? 'embed' : undefined,
      })
      res.type('html').send(autoPostForm(init.url, init.params))
    } catch (e) {
      errorPage(res, 400, e instanceof Error ? e.message : String(e))
    }
  })

  r.get('/mod/lti/contentitem.php', (req, res) => {
    const userId = userFor(req, res)
    if (!userId) return errorPage(res, 403, 'Connectez-vous d’abord.')
    try {
      const typeId = typeof req.query.id === 'string' ? req.query.id : undefined
      const init = startLaunch(state, { userId, deepLinking: { typeId } })
      res.type('html').send(autoPostForm(init.url, init.params))
    } catch (e) {
      errorPage(res, 400, e instanceof Error ? e.message : String(e))
    }
  })

  const auth = async (req: Request, res: Response): Promise<void> => {
    try {
      const out = await authorize(state, paramsOf(req))
      res.type('html').send(autoPostForm(out.redirectUri, out.fields))
    } catch (e) {
      if (e instanceof AuthPageError) return errorPage(res, 400, e.message)
      throw e
    }
  }
  r.get('/mod/lti/auth.php', auth)
  r.post('/mod/lti/auth.php', auth)
  return r
}
