/** Tiny server-rendered pages (home, LTI error pages): escaped text, shared stylesheet, no inline script or style. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Tagged template: interpolated values are escaped unless wrapped with raw(). */
export interface RawHtml {
  readonly __html: string
}
export const raw = (html: string): RawHtml => ({ __html: html })

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0] ?? ''
  values.forEach((v, i) => {
    const part = Array.isArray(v)
      ? v.map((x) => (isRaw(x) ? x.__html : escapeHtml(x))).join('')
      : isRaw(v)
        ? v.__html
        : escapeHtml(v)
    out += part + (strings[i + 1] ?? '')
  })
  return raw(out)
}

function isRaw(v: unknown): v is RawHtml {
  return typeof v === 'object' && v !== null && '__html' in v
}

export function page(options: { title: string; body: RawHtml; lang?: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(options.lang ?? 'fr')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="/static/jalon.css">
</head>
<body>
${options.body.__html}
</body>
</html>`
}
