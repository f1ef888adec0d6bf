/**
 * The deep-linking return (Moodle's mod/lti/contentitem_return.php): the tool's LtiDeepLinkingResponse arrives as
 * the form field `JWT`; it must be signed with a key of the tool's keyset, `iss` = the tool's client id,
 * `aud` = the platform issuer, carry a nonce, this deployment, and echo `data` when the request sent it.
 * Each ltiResourceLink becomes an activity (with its custom parameters); a `lineItem` becomes its grade column.
 */
import { Router } from 'express'
import { createActivity } from './activities'
import { CLAIM } from './claims'
import { barePage, esc } from './html'
import type { EmulatorState } from './state'
import { verifyToolJwt } from './tool-keys'
import type { Activity } from './types'

export class DeepLinkError extends Error {}

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

/** Verifies the response and creates the activities; returns them with the tool's message. */
export async function acceptDeepLinkingResponse(
  state: EmulatorState,
  query: { id?: string; sesskey?: string },
  jwt: string | undefined,
): Promise<{ activities: Activity[]; msg?: string }> {
  const pending = query.sesskey ? state.deepLinks.get(query.sesskey) : undefined
  if (!pending) throw new DeepLinkError('Clé de session (sesskey) invalide ou déjà utilisée.')
  if (query.id !== pending.typeId) throw new DeepLinkError('Outil inattendu pour ce retour de Deep Linking.')
  const tool = state.tools.get(pending.typeId)
  if (!tool) throw new DeepLinkError('Outil inconnu.')
  if (!jwt) throw new DeepLinkError('Réponse de l’outil absente (champ JWT).')
  let payload: Record<string, unknown>
  try {
    payload = await verifyToolJwt(tool, jwt, { issuer: tool.clientId, audience: state.issuer })
  } catch (e) {
    throw new DeepLinkError(`Signature ou en-têtes du JWT refusés : ${e instanceof Error ? e.message : String(e)}`)
  }
  if (payload[CLAIM.messageType] !== 'LtiDeepLinkingResponse') throw new DeepLinkError('message_type doit être LtiDeepLinkingResponse.')
  if (payload[CLAIM.version] !== '1.3.0') throw new DeepLinkError('version doit être 1.3.0.')
  if (payload[CLAIM.deploymentId] !== tool.typeId) throw new DeepLinkError('deployment_id inattendu.')
  if (typeof payload.nonce !== 'string' || !payload.nonce) throw new DeepLinkError('nonce absent.')
  if (pending.data !== undefined && payload[CLAIM.dlData] !== pending.data) throw new DeepLinkError('data n’a pas été renvoyé tel quel.')
  state.deepLinks.delete(pending.sesskey)
  if (typeof payload[CLAIM.dlErrorMsg] === 'string') throw new DeepLinkError(`L’outil signale une erreur : ${String(payload[CLAIM.dlErrorMsg])}`)
  const items = payload[CLAIM.dlContentItems] ?? []
  if (!Array.isArray(items)) throw new DeepLinkError('content_items doit être un tableau.')
  const activities: Activity[] = []
  for (const raw of items) {
    const item = record(raw)
    if (!item || item.type !== 'ltiResourceLink') continue
    const lineItem = record(item.lineItem)
    const custom = record(item.custom) ?? {}
    const max = lineItem && Number(lineItem.scoreMaximum) > 0 ? Number(lineItem.scoreMaximum) : undefined
    // Accept grades "always": a column in any case (max 100 by default); "delegate": only with a lineItem.
    const column = tool.acceptGrades === 'never' ? null : max ? { scoreMaximum: max } : tool.acceptGrades === 'always' ? { scoreMaximum: 100 } : null
    const url = typeof item.url === 'string' && item.url ? item.url : undefined
    const { activity } = createActivity(state, {
      name: typeof item.title === 'string' && item.title ? item.title : tool.name,
      description: typeof item.text === 'string' ? item.text : '',
      // Moodle saves an item with a URL as typeid 0 + toolurl, and finds the tool again by domain at launch.
      toolClientId: url ? undefined : tool.clientId,
      toolUrl: url,
      customParameters: Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, String(v)])),
      lineItem: column && {
        scoreMaximum: column.scoreMaximum,
        resourceId: typeof lineItem?.resourceId === 'string' ? lineItem.resourceId : '',
        tag: typeof lineItem?.tag === 'string' ? lineItem.tag : '',
      },
      createdBy: 'deep-linking',
    })
    if (url && !activity.typeId && state.toolForActivity(activity)?.typeId !== tool.typeId) activity.typeId = tool.typeId
    activities.push(activity)
  }
  const msg = typeof payload[CLAIM.dlMsg] === 'string' ? String(payload[CLAIM.dlMsg]) : undefined
  return { activities, msg }
}

export function deepLinkingRoutes(state: EmulatorState): Router {
  const r = Router()
  r.post('/mod/lti/contentitem_return.php', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const q = { id: typeof req.query.id === 'string' ? req.query.id : undefined, sesskey: typeof req.query.sesskey === 'string' ? req.query.sesskey : undefined }
    try {
      const { activities, msg } = await acceptDeepLinkingResponse(state, q, typeof body.JWT === 'string' ? body.JWT : undefined)
      const list = activities.map((a) => `<li data-activity-id="${esc(a.id)}">${esc(a.name)}</li>`).join('')
      res.type('html').send(
        barePage(
          'Activité ajoutée',
          `<div role="status" class="notice success"><h1>${activities.length > 1 ? 'Activités ajoutées' : activities.length ? 'Activité ajoutée' : 'Aucune activité ajoutée'}</h1>
${msg ? `<p>${esc(msg)}</p>` : ''}<ul>${list}</ul>
<p><a class="button" href="/" target="_top">Retour au cours</a></p></div>`),
      )
    } catch (e) {
      if (!(e instanceof DeepLinkError)) throw e
      res.status(400).type('html').send(barePage('Erreur', `<h1>Ajout refusé</h1><p role="alert">${esc(e.message)}</p><p><a href="/" target="_top">Retour au cours</a></p>`))
    }
  })
  return r
}
