/**
 * GET /dev/mails: the demo mailbox (no SMTP_URL), to follow invitation and reset links locally.
 * Mounted only outside production or with DEMO_SEED (see orga-module.ts). Links are shown as text to copy
 * and as links; the HTML bodies are never rendered (no stored HTML reaches the page).
 */
import { Router } from 'express'
import type { Db } from '../../db/client'
import { html, page } from '../../shared/html'
import { listDemoMails } from './mailer'

export function devMailsRoutes(db: Db): Router {
  const router = Router()
  router.get('/dev/mails', async (_req, res) => {
    const mails = await listDemoMails(db)
    const body = html`<main class="card"><h1>Boîte de réception de démonstration</h1>
<p class="muted">Sans SMTP_URL, les e-mails de Jalon Orga (invitations, réinitialisations) arrivent ici. Jamais en production.</p>
${mails.length === 0 ? html`<p>Aucun e-mail pour l’instant.</p>` : ''}
${mails.map(
  (m) => html`<article><h2>${m.subject}</h2><p>À : ${m.to} — ${m.createdAt.toISOString()}</p>
<ul>${(m.text.match(/https?:\/\/\S+/g) ?? []).map((link) => html`<li><a href="${link}">${link}</a></li>`)}</ul>
<pre>${m.text}</pre></article>`,
)}</main>`
    res.setHeader('Cache-Control', 'no-store')
    res.type('html').send(page({ title: 'E-mails de démonstration — Jalon', body }))
  })
  return router
}
