import { Router } from 'express'
import { html, page } from '../shared/html'

/** GET / — what Jalon is, and where to go: the demo LMS in demo mode, the admin guide otherwise. */
export function homeRoutes(deps: { demoLmsUrl?: string }): Router {
  const router = Router()
  router.get('/', (_req, res) => {
    const demo = deps.demoLmsUrl
      ? html`<p><a class="button" href="${deps.demoLmsUrl}">Ouvrir le LMS de démonstration</a></p>
<p class="muted">Lancez Jalon depuis le cours de démonstration en tant qu’étudiant, enseignant ou administrateur.</p>`
      : html`<p class="muted">Jalon se lance depuis votre plateforme (Moodle, ENT). Pour l’installer, suivez le guide d’enregistrement LTI de votre administrateur.</p>`
    res.type('html').send(
      page({
        title: 'Jalon — compétences numériques',
        body: html`<main><div class="card">
<h1><span class="brand">Jalon</span> — évaluer et certifier les compétences numériques</h1>
<p>Un outil LTI 1.3 : vos étudiants passent un test adaptatif sur les 16 compétences du cadre de référence, vos enseignants suivent les campagnes dans Jalon Orga, et les scores reviennent dans le carnet de notes de votre plateforme.</p>
${demo}
<p><a href="/orga/">Jalon Orga</a> · <a href="/healthz">État du service</a></p>
</div></main>`,
      }),
    )
  })
  return router
}
