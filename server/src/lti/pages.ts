/** The LTI pages, in French, server-rendered and escaped (http/html.ts); scripts are files, never inline. */
import { html, page, raw, type RawHtml } from '../shared/html'
import type { CampaignSummary } from './campaign-catalog'
import type { LaunchRejectionReason } from './errors'

const card = (body: RawHtml) => html`<main><div class="card">${body}</div></main>`

const REASON_TEXT: Record<string, string> = {
  STATE: 'Le lancement a expiré ou a déjà été utilisé. Revenez à votre cours et cliquez de nouveau sur l’activité.',
  TIME: 'Le lancement a expiré (ou l’horloge de la plateforme est décalée). Revenez à votre cours et relancez l’activité.',
  PLATFORM: 'Votre plateforme n’est pas (ou plus) enregistrée auprès de Jalon, ou sa configuration ne correspond pas. Prévenez l’administrateur de votre plateforme.',
  KEYS: 'Jalon n’a pas pu vérifier la signature de votre plateforme. Réessayez dans un instant ; si cela persiste, prévenez l’administrateur.',
  MESSAGE: 'Le message de lancement envoyé par votre plateforme est incomplet ou invalide. Prévenez l’administrateur de votre plateforme.',
}

export function launchReasonText(reason: LaunchRejectionReason): string {
  if (/STATE|ID_TOKEN|NONCE/.test(reason)) return REASON_TEXT.STATE!
  if (reason === 'TOKEN_EXPIRED' || reason === 'BAD_TIMESTAMPS') return REASON_TEXT.TIME!
  if (['BAD_ISSUER', 'BAD_AUDIENCE', 'BAD_AZP', 'UNKNOWN_DEPLOYMENT'].includes(reason)) return REASON_TEXT.PLATFORM!
  if (['PLATFORM_KEYS_UNAVAILABLE', 'UNKNOWN_KID', 'MISSING_KID', 'BAD_SIGNATURE', 'BAD_ALGORITHM'].includes(reason)) return REASON_TEXT.KEYS!
  return REASON_TEXT.MESSAGE!
}

export function errorPage(options: { title: string; message: string; code?: string }): string {
  return page({
    title: `${options.title} — Jalon`,
    body: card(html`<h1>${options.title}</h1>
<p>${options.message}</p>
${options.code ? html`<p class="muted">Code à transmettre au support : <code>${options.code}</code></p>` : raw('')}`),
  })
}

export const launchErrorPage = (reason: LaunchRejectionReason) =>
  errorPage({ title: 'Impossible d’ouvrir Jalon', message: launchReasonText(reason), code: reason })

export const notConfiguredPage = () =>
  errorPage({
    title: 'Activité pas encore configurée',
    message: 'Cette activité Jalon n’est pas encore configurée : votre enseignant doit d’abord choisir la campagne de test. Revenez plus tard.',
  })

export const deepLinkingForbiddenPage = () =>
  errorPage({ title: 'Réservé aux enseignants', message: 'Seuls les enseignants peuvent ajouter une activité Jalon à un cours.' })

/** Auto-submitted form (no inline script): deep-linking response, storage steps. */
export function autoPostPage(options: { title: string; action: string; fields: Record<string, string>; method?: 'post' | 'get'; extra?: RawHtml }): string {
  const inputs = Object.entries(options.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)
  return page({
    title: options.title,
    body: card(html`<h1>${options.title}</h1>
<form method="${options.method ?? 'post'}" action="${options.action}" data-auto-submit>
${inputs}
<noscript><p>JavaScript est désactivé : cliquez pour continuer.</p></noscript>
<button type="submit">Continuer</button>
</form>
${options.extra ?? raw('')}
<script src="/lti/static/auto-submit.js"></script>`),
  })
}

/** Login with platform storage: store the state in the platform frame, then go to its authorization endpoint. */
export function loginStoragePage(options: { authorizationUrl: string; state: string; origin: string; target: string }): string {
  const url = new URL(options.authorizationUrl)
  const inputs = [...url.searchParams.entries()].map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)
  url.search = ''
  return page({
    title: 'Connexion à Jalon',
    body: card(html`<h1>Connexion à Jalon…</h1>
<div id="lti-storage" data-mode="put" data-origin="${options.origin}" data-target="${options.target}" data-state="${options.state}"></div>
<form method="get" action="${url.toString()}" data-storage-form>${inputs}<noscript><button type="submit">Continuer</button></noscript></form>
<script src="/lti/static/platform-storage.js"></script>`),
  })
}

/** Launch with platform storage: read the state back and post it with the id_token. */
export function launchStoragePage(options: { idToken: string; state: string; origin: string; target: string }): string {
  return page({
    title: 'Ouverture de Jalon',
    body: card(html`<h1>Ouverture de Jalon…</h1>
<div id="lti-storage" data-mode="get" data-origin="${options.origin}" data-target="${options.target}" data-state="${options.state}"></div>
<form method="post" action="/lti/launch" data-storage-form>
<input type="hidden" name="id_token" value="${options.idToken}">
<input type="hidden" name="state" value="${options.state}">
<input type="hidden" name="lti_storage_state" value="">
<noscript><button type="submit">Continuer</button></noscript>
</form>
<script src="/lti/static/platform-storage.js"></script>`),
  })
}

export function pickerPage(options: {
  ticket: string
  mode: 'deep-linking' | 'bind'
  campaigns: CampaignSummary[]
  targetProfiles: { id: string; name: string }[]
  error?: string
}): string {
  const intro =
    options.mode === 'deep-linking'
      ? 'Choisissez la campagne que vos étudiants passeront depuis cette activité, ou créez-en une. Le score (sur 100) remontera dans le carnet de notes.'
      : 'Cette activité n’est pas encore liée à une campagne Jalon. Choisissez-en une, ou créez-en une, pour que vos étudiants puissent commencer.'
  const existing = options.campaigns.length
    ? html`<form method="post" action="/lti/picker">
<input type="hidden" name="ticket" value="${options.ticket}">
<input type="hidden" name="action" value="existing">
<fieldset><legend>Campagnes de votre organisation</legend>
${options.campaigns.map(
  (c, i) => html`<p><label><input type="radio" name="campaignId" value="${c.id}"${i === 0 ? raw(' checked') : raw('')}> ${c.name} <span class="muted">(${c.code})</span></label></p>`,
)}
</fieldset>
<button type="submit">Utiliser cette campagne</button>
</form>`
    : html`<p class="muted">Votre organisation n’a pas encore de campagne.</p>`
  return page({
    title: 'Choisir une campagne — Jalon',
    body: card(html`<h1>Ajouter un test Jalon</h1>
<p>${intro}</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : raw('')}
${existing}
<h2>Créer une campagne</h2>
<form method="post" action="/lti/picker">
<input type="hidden" name="ticket" value="${options.ticket}">
<input type="hidden" name="action" value="create">
<p><label for="name">Nom de la campagne</label><br><input id="name" name="name" required maxlength="255"></p>
<p><label for="targetProfileId">Profil cible</label><br><select id="targetProfileId" name="targetProfileId" required>
${options.targetProfiles.map((p) => html`<option value="${p.id}">${p.name}</option>`)}
</select></p>
<p><label for="externalIdLabel">Libellé de l’identifiant externe (facultatif, ex. « numéro étudiant »)</label><br><input id="externalIdLabel" name="externalIdLabel" maxlength="255"></p>
<button type="submit">Créer et utiliser</button>
</form>`),
  })
}

/** Production without LTI_REGISTRATION_KEY: say how to open dynamic registration (or register by hand). */
export function registrationClosedPage(): string {
  return page({
    title: 'Enregistrement dynamique fermé — Jalon',
    body: card(html`<h1>Enregistrement dynamique fermé</h1>
<p>Sur ce serveur, l’enregistrement dynamique de Jalon est fermé : sans clé, n’importe qui pourrait y inscrire une plateforme.</p>
<p>Pour l’ouvrir, l’administrateur de Jalon définit la variable d’environnement <code>LTI_REGISTRATION_KEY</code>
(au moins 8 caractères, par exemple le résultat de <code>openssl rand -hex 24</code>), redémarre Jalon, puis donne à
l’administrateur de la plateforme l’adresse d’enregistrement qui porte la clé : <code>https://…/lti/register?key=…</code>
(affichée sur la page d’administration <code>/lti/admin</code>).</p>
<p>Autre possibilité : enregistrer la plateforme à la main (page <code>/lti/admin</code> ou <code>npm run lti:register</code>).</p>
<p class="muted">Code à transmettre au support : <code>LTI_REGISTRATION_CLOSED</code></p>`),
  })
}

export function registrationDonePage(options: { platformName: string; deploymentId?: string }): string {
  return page({
    title: 'Jalon enregistré',
    body: card(html`<h1>Jalon est enregistré</h1>
<p>La plateforme « ${options.platformName} » est enregistrée${options.deploymentId ? html` (déploiement ${options.deploymentId})` : raw('')}.
Dans Moodle, activez l’outil (il reste « en attente » jusqu’à son activation par un administrateur).</p>
<script src="/lti/static/registration-close.js"></script>`),
  })
}
