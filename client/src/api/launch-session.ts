/**
 * The learner app's session after an LMS launch. The launch redirects to /app/?launch=<one-time code>;
 * we remove the code from the URL at once, exchange it (POST /api/lti/session) for a short-lived bearer
 * token kept in memory, with a sessionStorage copy (same expiry) so a reload inside the iframe keeps working.
 */
export interface LaunchInfo {
  launchId: string
  organizationId: string
  userId: string
  role: 'learner' | 'teacher' | 'admin'
  courseId?: string
  resourceLinkId?: string
  campaignId?: string
  externalId?: string
  locale?: string
  firstName?: string
  lastName?: string
  canReportScores: boolean
  canReadRoster: boolean
  returnUrl?: string
}

export interface LaunchSession {
  token: string
  expiresAt: string
  launch: LaunchInfo
}

const STORAGE_KEY = 'jalon.launchSession'
let current: LaunchSession | undefined

function stored(): LaunchSession | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY)
    const s = raw ? (JSON.parse(raw) as LaunchSession) : undefined
    return s && new Date(s.expiresAt).getTime() > Date.now() ? s : undefined
  } catch {
    // Storage may be blocked in a third-party iframe: memory only then.
    return undefined
  }
}

/** Exchanges the launch code (if any) and returns the session, or undefined when there is none. */
export async function startLaunchSession(): Promise<LaunchSession | undefined> {
  const url = new URL(window.location.href)
  const code = url.searchParams.get('launch')
  if (code) {
    url.searchParams.delete('launch')
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
    const res = await fetch('/api/lti/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })
    if (res.ok) {
      current = (await res.json()) as LaunchSession
      try {
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current))
      } catch {
        /* memory only */
      }
      return current
    }
  }
  current = current ?? stored()
  return current
}

export function launchSession(): LaunchSession | undefined {
  return current
}

/** fetch with the launch's bearer token. */
export function launchFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  if (current) headers.set('authorization', `Bearer ${current.token}`)
  return fetch(input, { ...init, headers })
}

/** Teachers: a one-time link that opens Jalon Orga in a new tab (first-party cookie there). */
export async function openOrgaInNewTab(): Promise<void> {
  const tab = window.open('about:blank', '_blank')
  const res = await launchFetch('/api/lti/orga-link', { method: 'POST' })
  const { url } = (await res.json()) as { url: string }
  if (tab) tab.location.href = url
  else window.location.href = url
}
