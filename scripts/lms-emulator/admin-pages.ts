/** Site administration → Manage tools: the platform details, registered tools, dynamic ("Add LTI Advantage") and manual registration. */
import { Router, type Request, type Response } from 'express'
import { ASSETS, esc, page } from './html'
import { userSwitcher } from './pages'
import { currentUser } from './session'
import type { EmulatorState } from './state'
import { registerTool, type PlatformDetails } from './tools'
import type { GradeSync, Tool } from './types'

function detailsList(d: PlatformDetails, state: EmulatorState): string {
  return `<dl class="details">
<dt>ID de la plateforme (issuer)</dt><dd>${esc(d.issuer)}</dd>
<dt>ID client</dt><dd>${esc(d.clientId)}</dd>
<dt>ID de déploiement</dt><dd>${esc(d.deploymentId)}</dd>
<dt>URL du jeu de clés publiques</dt><dd>${esc(d.keysetUrl)}</dd>
<dt>URL du jeton d’accès</dt><dd>${esc(d.accessTokenUrl)}</dd>
<dt>URL de demande d’authentification</dt><dd>${esc(d.authLoginUrl)}</dd>
<dt>Configuration OpenID</dt><dd>${esc(state.urls.openidConfiguration)}</dd></dl>`
}

function toolRow(t: Tool): string {
  const status = t.state === 'pending' ? 'En attente' : 'Actif'
  const action =
    t.state === 'pending'
      ? `<form method="post" action="/admin/tool/${esc(t.typeId)}/activate"><button type="submit">Activer<span class="visually-hidden"> ${esc(t.name)}</span></button></form>`
      : ''
  return `<tr><th scope="row">${esc(t.name)}</th><td>${esc(t.clientId)}</td><td>${esc(t.typeId)}</td><td>${t.origin === 'dynamic' ? 'Dynamique' : 'Manuel'}</td><td>${status}</td><td>${action}</td></tr>`
}

function requireAdmin(state: EmulatorState, req: Request, res: Response, back: string): boolean {
  const user = currentUser(state, req)
  if (user?.siteAdmin) return true
  res.status(403).type('html').send(
    page({ title: 'Administration', body: `<h1>Administration</h1><p role="alert">Réservé à l’administrateur du site : connectez-vous en tant qu’Admin.</p>${userSwitcher(state, user, back)}`, userLabel: user?.label }),
  )
  return false
}

export function adminRoutes(state: EmulatorState): Router {
  const r = Router()

  r.get('/admin/tool', (req, res) => {
    if (!requireAdmin(state, req, res, '/admin/tool')) return
    const tools = [...state.tools.values()]
    const issuer = state.issuer
    const body = `<h1>Gérer les outils LTI</h1>
<section aria-labelledby="platform-title"><h2 id="platform-title">Cette plateforme</h2>
<dl class="details"><dt>ID de la plateforme (issuer)</dt><dd>${esc(issuer)}</dd>
<dt>URL de demande d’authentification</dt><dd>${esc(state.urls.auth)}</dd>
<dt>URL du jeton d’accès</dt><dd>${esc(state.urls.token)}</dd>
<dt>URL du jeu de clés publiques</dt><dd>${esc(state.urls.jwks)}</dd>
<dt>Configuration OpenID</dt><dd>${esc(state.urls.openidConfiguration)}</dd></dl></section>
<section aria-labelledby="tools-title"><h2 id="tools-title">Outils enregistrés</h2>
${tools.length ? `<div class="table-wrap"><table><thead><tr><th scope="col">Outil</th><th scope="col">ID client</th><th scope="col">ID de déploiement</th><th scope="col">Enregistrement</th><th scope="col">État</th><th scope="col">Action</th></tr></thead><tbody>${tools.map(toolRow).join('')}</tbody></table></div>` : '<p>Aucun outil enregistré.</p>'}
</section>
<section aria-labelledby="dyn-title"><h2 id="dyn-title">Ajouter LTI Advantage (enregistrement dynamique)</h2>
<form class="stack" method="get" action="/admin/tool/register">
<label for="reg-url">URL d’enregistrement de l’outil</label>
<input type="url" id="reg-url" name="url" required value="${esc(state.settings.toolRegistrationUrl)}">
<p><button type="submit">Ajouter LTI Advantage</button></p></form></section>
<section aria-labelledby="manual-title"><h2 id="manual-title">Configurer un outil manuellement</h2>
<form class="stack" method="post" action="/admin/tool/manual">
<label for="m-name">Nom de l’outil</label><input type="text" id="m-name" name="name" value="Jalon" required>
<label for="m-target">URL de l’outil (target_link_uri)</label><input type="url" id="m-target" name="targetLinkUri" required value="${esc(`${state.settings.toolUrl}/lti/launch`)}">
<label for="m-login">URL de connexion initiale</label><input type="url" id="m-login" name="initiateLoginUrl" required value="${esc(`${state.settings.toolUrl}/lti/login`)}">
<label for="m-redirect">URI de redirection <span class="hint">(une par ligne)</span></label><textarea id="m-redirect" name="redirectUris" rows="2">${esc(`${state.settings.toolUrl}/lti/launch`)}</textarea>
<label for="m-jwks">URL du jeu de clés publiques de l’outil</label><input type="url" id="m-jwks" name="jwksUrl" required value="${esc(`${state.settings.toolUrl}/lti/jwks`)}">
<label for="m-dl">URL de Deep Linking <span class="hint">(vide : pas de Deep Linking)</span></label><input type="url" id="m-dl" name="deepLinkingUrl" value="${esc(`${state.settings.toolUrl}/lti/launch`)}">
<label for="m-custom">Paramètres personnalisés <span class="hint">(clé=valeur, un par ligne)</span></label><textarea id="m-custom" name="customParameters" rows="2">student_id=$Person.sourcedId</textarea>
<label for="m-ags">Services de notes (AGS)</label><select id="m-ags" name="gradeSync">
<option value="sync-and-columns" selected>Synchronisation des notes et gestion des colonnes</option><option value="sync">Synchronisation des notes seulement</option><option value="none">Ne pas utiliser</option></select>
<label class="check"><input type="checkbox" name="nrps" value="1" checked> Service de noms et de rôles (NRPS)</label>
<label class="check"><input type="checkbox" name="sendName" value="1" checked> Partager le nom de l’utilisateur</label>
<label class="check"><input type="checkbox" name="sendEmail" value="1" checked> Partager l’adresse e-mail</label>
<p><button type="submit">Enregistrer l’outil</button></p></form></section>`
    res.type('html').send(page({ title: 'Gérer les outils', body, userLabel: currentUser(state, req)?.label }))
  })

  r.post('/admin/tool/manual', (req, res) => {
    if (!requireAdmin(state, req, res, '/admin/tool')) return
    const b = (req.body ?? {}) as Record<string, string | undefined>
    try {
      const details = registerTool(state, {
        name: b.name || 'Jalon',
        targetLinkUri: b.targetLinkUri ?? '',
        initiateLoginUrl: b.initiateLoginUrl ?? '',
        redirectUris: (b.redirectUris ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
        jwksUrl: b.jwksUrl ?? '',
        deepLinkingUrl: b.deepLinkingUrl || undefined,
        customParameters: (b.customParameters ?? '').replace(/\r/g, ''),
        gradeSync: (['none', 'sync', 'sync-and-columns'].includes(b.gradeSync ?? '') ? b.gradeSync : 'sync-and-columns') as GradeSync,
        nrps: b.nrps === '1',
        sendName: b.sendName === '1',
        sendEmail: b.sendEmail === '1',
      })
      res.type('html').send(
        page({
          title: 'Outil enregistré',
          body: `<h1>Outil enregistré</h1><p role="status" class="notice success">Copiez ces valeurs dans la configuration de la plateforme côté Jalon.</p>${detailsList(details, state)}<p><a href="/admin/tool">Retour aux outils</a></p>`,
          userLabel: currentUser(state, req)?.label,
        }),
      )
    } catch (e) {
      res.status(400).type('html').send(page({ title: 'Erreur', body: `<h1>Enregistrement refusé</h1><p role="alert">${esc(e instanceof Error ? e.message : String(e))}</p><p><a href="/admin/tool">Retour</a></p>` }))
    }
  })

  r.post('/admin/tool/:typeId/activate', (req, res) => {
    if (!requireAdmin(state, req, res, '/admin/tool')) return
    const tool = state.tools.get(req.params.typeId)
    if (tool) {
      tool.state = 'configured'
      state.syncLineItemTypes()
    }
    res.redirect(303, '/admin/tool')
  })

  r.get('/admin/tool/register', (req, res) => {
    if (!requireAdmin(state, req, res, '/admin/tool')) return
    const url = typeof req.query.url === 'string' ? req.query.url : ''
    let origin = ''
    try {
      origin = new URL(url).origin
    } catch {
      return void res.status(400).type('html').send(page({ title: 'Erreur', body: '<h1>URL invalide</h1><p><a href="/admin/tool">Retour</a></p>' }))
    }
    const body = `<h1>Ajouter LTI Advantage</h1>
<p id="registration-status" class="notice" role="status" tabindex="-1">Enregistrement en cours dans l’outil…</p>
<div id="registration-done" hidden><p>L’outil est <strong>en attente</strong> : activez-le dans la liste des outils.</p><p><a class="button" href="/admin/tool">Voir les outils</a></p></div>
<iframe class="lti" id="registration-frame" data-tool-origin="${esc(origin)}" title="Enregistrement de l’outil" src="/mod/lti/startltiadvregistration.php?url=${esc(encodeURIComponent(url))}"></iframe>`
    res.type('html').send(page({ title: 'Ajouter LTI Advantage', body, userLabel: currentUser(state, req)?.label, scripts: [`${ASSETS}/registration.js`] }))
  })

  return r
}
