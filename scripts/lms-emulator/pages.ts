/** The course side of the demo: course page with the user switcher, activity page (tool in an iframe), adding an activity by deep linking. */
import { Router, type Request } from 'express'
import { ASSETS, barePage, esc, page } from './html'
import { currentUser, safeReturnPath, signIn, signOut } from './session'
import { type EmulatorState } from './state'
import type { Activity, User } from './types'

function canEdit(user: User | undefined): boolean {
  return Boolean(user && (user.siteAdmin || user.courseRole === 'editingteacher'))
}

/** Tool origins allowed to use the platform storage frame. */
function storageMeta(state: EmulatorState): string {
  if (!state.settings.platformStorage) return ''
  const origins = [...state.tools.values()].map((t) => {
    try {
      return new URL(t.initiateLoginUrl).origin
    } catch {
      return ''
    }
  })
  return `<meta name="lti-tool-origins" content="${esc(origins.filter(Boolean).join(' '))}">`
}

function storageScripts(state: EmulatorState): string[] {
  return state.settings.platformStorage ? [`${ASSETS}/platform-storage.js`] : []
}

export function userSwitcher(state: EmulatorState, current: User | undefined, returnTo: string): string {
  const buttons = [...state.users.values()]
    .map(
      (u) =>
        `<button type="submit" name="user" value="${esc(u.id)}" class="secondary" aria-pressed="${current?.id === u.id ? 'true' : 'false'}">${esc(u.label)}</button>`,
    )
    .join('\n')
  return `<section aria-labelledby="switcher-title"><h2 id="switcher-title">Se connecter en tant que</h2>
<form method="post" action="/login/switch"><input type="hidden" name="return" value="${esc(returnTo)}">
<div class="switcher" role="group" aria-labelledby="switcher-title">${buttons}</div></form>
${current ? `<form method="post" action="/login/logout"><button type="submit" class="secondary">Se déconnecter</button></form>` : ''}</section>`
}

function activityItem(state: EmulatorState, a: Activity, user: User | undefined): string {
  const tool = state.toolForActivity(a)
  const status = !tool
    ? '<p class="muted">Aucun outil LTI actif ne correspond à cette activité.</p>'
    : tool.state === 'pending'
      ? '<p class="muted">Outil en attente d’activation.</p>'
      : ''
  const actions = user
    ? `<div class="actions"><a class="button" href="/mod/lti/view.php?id=${esc(a.cmid)}" aria-label="${esc(`Ouvrir ${a.name}`)}">Ouvrir</a>
<a class="button secondary" href="/mod/lti/launch.php?id=${esc(a.cmid)}&amp;container=window" target="_blank" rel="opener">Ouvrir dans une nouvelle fenêtre</a></div>`
    : ''
  return `<li data-activity-id="${esc(a.id)}"><span class="activity-name">${esc(a.name)}</span>
${a.description ? `<p class="muted">${esc(a.description)}</p>` : ''}${status}${actions}</li>`
}

export function coursePage(state: EmulatorState, req: Request): string {
  const user = currentUser(state, req)
  const c = state.course
  const configured = [...state.tools.values()].filter((t) => t.state === 'configured')
  const activities = [...state.activities.values()]
  const noTool = configured.length === 0
    ? `<p class="notice warning">Aucun outil LTI n’est encore actif. ${user?.siteAdmin ? '<a href="/admin/tool">Enregistrez Jalon</a>' : 'Connectez-vous en tant qu’<strong>Admin</strong> puis ouvrez <a href="/admin/tool">Administration</a>'} pour enregistrer Jalon.</p>`
    : ''
  const body = `<ol class="breadcrumb" aria-label="Fil d’Ariane"><li><a href="/">Accueil</a></li><li aria-current="page">${esc(c.label)}</li></ol>
<h1>${esc(c.title)}</h1>
${userSwitcher(state, user, '/')}
${noTool}
<section aria-labelledby="activities-title"><h2 id="activities-title">Activités</h2>
${!user ? '<p>Choisissez d’abord un utilisateur ci-dessus.</p>' : ''}
<ul class="activities">${activities.map((a) => activityItem(state, a, user)).join('\n')}</ul>
${canEdit(user) ? '<p><a class="button" href="/course/modedit.php?add=lti">Ajouter une activité Jalon</a></p>' : ''}
</section>
<section aria-labelledby="links-title"><h2 id="links-title">Dans ce cours</h2>
<ul><li><a href="/grade/report">Carnet de notes</a></li>${user?.siteAdmin ? '<li><a href="/admin/tool">Administration : outils LTI</a></li>' : ''}</ul></section>`
  return page({ title: c.title, body: storageMeta(state) + body, userLabel: user?.label, scripts: storageScripts(state) })
}

export function pageRoutes(state: EmulatorState): Router {
  const r = Router()

  r.get('/', (req, res) => {
    res.type('html').send(coursePage(state, req))
  })

  r.post('/login/switch', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const id = typeof body.user === 'string' ? body.user : ''
    if (state.users.has(id)) signIn(res, id)
    res.redirect(303, safeReturnPath(body.return))
  })

  r.post('/login/logout', (_req, res) => {
    signOut(res)
    res.redirect(303, '/')
  })

  r.get('/mod/lti/view.php', (req, res) => {
    const user = currentUser(state, req)
    const activity = state.activityByCmid(String(req.query.id ?? ''))
    if (!activity) return void res.status(404).type('html').send(page({ title: 'Introuvable', body: '<h1>Activité introuvable</h1><p><a href="/">Retour au cours</a></p>' }))
    if (!user) return void res.redirect(303, '/')
    const c = state.course
    const body = `<ol class="breadcrumb" aria-label="Fil d’Ariane"><li><a href="/">${esc(c.label)}</a></li><li aria-current="page">${esc(activity.name)}</li></ol>
<h1>${esc(activity.name)}</h1>
${activity.description ? `<p class="muted">${esc(activity.description)}</p>` : ''}
<p><a href="/mod/lti/launch.php?id=${esc(activity.cmid)}&amp;container=window" target="_blank" rel="opener">Ouvrir dans une nouvelle fenêtre</a></p>
<iframe class="lti" id="contentframe" name="contentframe" title="${esc(`Activité : ${activity.name}`)}" src="/mod/lti/launch.php?id=${esc(activity.cmid)}&amp;triggerview=0"
 allow="microphone *; camera *; geolocation *; midi *; encrypted-media *; autoplay *; clipboard-write *" allowfullscreen></iframe>`
    res.type('html').send(page({ title: activity.name, body: storageMeta(state) + body, userLabel: user.label, scripts: storageScripts(state) }))
  })

  r.get('/course/modedit.php', (req, res) => {
    const user = currentUser(state, req)
    if (!canEdit(user)) {
      return void res.status(403).type('html').send(page({ title: 'Accès refusé', body: `<h1>Ajouter une activité</h1><p role="alert">Réservé aux enseignants du cours.</p>${userSwitcher(state, user, '/course/modedit.php?add=lti')}`, userLabel: user?.label }))
    }
    const tools = [...state.tools.values()].filter((t) => t.state === 'configured' && t.deepLinkingUrl)
    const chosen = typeof req.query.tool === 'string' ? tools.find((t) => t.typeId === req.query.tool) : tools.length === 1 ? tools[0] : undefined
    let content: string
    if (tools.length === 0) content = '<p class="notice warning">Aucun outil actif ne permet d’ajouter du contenu (Deep Linking). Enregistrez et activez Jalon dans Administration.</p>'
    else if (!chosen) content = `<p>Choisissez l’outil :</p><ul>${tools.map((t) => `<li><a href="/course/modedit.php?add=lti&amp;tool=${esc(t.typeId)}">${esc(t.name)}</a></li>`).join('')}</ul>`
    else
      content = `<p>Choisissez ou créez le contenu dans l’outil ci-dessous ; l’activité sera ajoutée au cours.</p>
<iframe class="lti" title="${esc(`Sélection du contenu : ${chosen.name}`)}" src="/mod/lti/contentitem.php?id=${esc(chosen.typeId)}&amp;course=${esc(state.course.id)}"></iframe>`
    res.type('html').send(
      page({
        title: 'Ajouter une activité Jalon',
        body: `<ol class="breadcrumb" aria-label="Fil d’Ariane"><li><a href="/">${esc(state.course.label)}</a></li><li aria-current="page">Ajouter une activité</li></ol><h1>Ajouter une activité Jalon</h1>${content}`,
        userLabel: user?.label,
      }),
    )
  })

  r.get('/mod/lti/return.php', (_req, res) => {
    res.type('html').send(barePage('Retour au cours', '<p><a class="button" href="/" target="_top">Retour au cours</a></p>'))
  })

  return r
}
