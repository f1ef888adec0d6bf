/** HTML helpers: every interpolated value goes through `esc`; pages load CSS and JS as files (no inline script or style). */

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

export const ASSETS = '/lms-assets'

export interface PageOptions {
  title: string
  body: string
  /** Extra script files (served by the emulator) loaded with `defer`. */
  scripts?: string[]
  /** Current user's display name, shown in the header. */
  userLabel?: string
  bodyClass?: string
}

export function page(o: PageOptions): string {
  const scripts = (o.scripts ?? []).map((s) => `<script src="${esc(s)}" defer></script>`).join('')
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)} — Moodle de démonstration</title>
<link rel="stylesheet" href="${ASSETS}/style.css">${scripts}</head>
<body${o.bodyClass ? ` class="${esc(o.bodyClass)}"` : ''}>
<a class="skip" href="#main">Aller au contenu</a>
<header class="navbar"><a class="brand" href="/">Moodle <span>démo</span></a>
<nav aria-label="Navigation du site"><a href="/">Cours</a> <a href="/grade/report">Carnet de notes</a> <a href="/admin/tool">Administration</a></nav>
<p class="who">${o.userLabel ? `Connecté·e : <strong>${esc(o.userLabel)}</strong>` : 'Non connecté·e'}</p></header>
<main id="main">${o.body}</main>
<footer><p>LMS de démonstration : une plateforme LTI 1.3 qui se comporte comme Moodle 4.5, pour essayer Jalon.</p></footer>
</body></html>`
}

/** A bare page (inside iframes and for auto-posted forms): no site chrome. */
export function barePage(title: string, body: string, scripts: string[] = []): string {
  const tags = scripts.map((s) => `<script src="${esc(s)}" defer></script>`).join('')
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="${ASSETS}/style.css">${tags}</head><body class="bare"><main>${body}</main></body></html>`
}

/**
 * A form that submits itself (Moodle auto-posts the login initiation, the id_token and the deep-linking return).
 * The submission is done by an external script; without JavaScript the button does it.
 */
export function autoPostForm(action: string, fields: Record<string, string>, message = 'Redirection vers l’outil…'): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n')
  return barePage(
    message,
    `<form method="post" action="${esc(action)}" data-autosubmit="true">
${inputs}
<p>${esc(message)}</p>
<noscript><button type="submit">Continuer</button></noscript>
</form>`,
    [`${ASSETS}/autosubmit.js`],
  )
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" }

export function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|apos|#x[0-9a-f]+|#\d+);/gi, (m, name: string) => {
    const lower = name.toLowerCase()
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16))
    if (lower.startsWith('#') && lower !== '#39') return String.fromCodePoint(parseInt(lower.slice(1), 10))
    return ENTITIES[lower] ?? m
  })
}

export interface ParsedForm {
  action: string
  method: string
  fields: Record<string, string>
}

/** Reads the first form of an HTML page (action, method, hidden and other inputs): tests use it to follow auto-posted forms with plain fetch. */
export function parseForm(html: string): ParsedForm | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html)
  if (!form) return undefined
  const attrs = form[1] ?? ''
  const attr = (src: string, name: string): string | undefined => {
    const m = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(src)
    return m ? unescapeHtml(m[2] ?? m[3] ?? '') : undefined
  }
  const fields: Record<string, string> = {}
  for (const input of (form[2] ?? '').matchAll(/<(input|textarea)\b([^>]*)>/gi)) {
    const name = attr(input[2] ?? '', 'name')
    if (name) fields[name] = attr(input[2] ?? '', 'value') ?? ''
  }
  return { action: attr(attrs, 'action') ?? '', method: (attr(attrs, 'method') ?? 'get').toLowerCase(), fields }
}
