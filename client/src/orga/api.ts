/** The Orga shell's calls to /api/orga (same-origin cookie). Errors come back as OrgaApiError with the server's code. */
export class OrgaApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message)
  }
}

export async function request<T>(path: string, init: { method?: string; body?: unknown; contentType?: string } = {}): Promise<T> {
  const raw = typeof init.body === 'string'
  const res = await fetch(`/api/orga${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {},
    body: init.body === undefined ? undefined : raw ? (init.body as string) : JSON.stringify(init.body),
  })
  const json: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined)
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } | undefined)?.error
    throw new OrgaApiError(res.status, error?.code ?? 'UNKNOWN', error?.message ?? res.statusText, error?.issues ?? [])
  }
  return json as T
}

export type Role = 'ADMIN' | 'MEMBER'

export interface Me {
  user: { id: string; firstName: string | null; lastName: string | null; email: string | null }
  organization: { id: string; name: string; type: string }
  role: Role
  organizations: { id: string; name: string; role: Role }[]
}

export interface Member {
  userId: string
  firstName: string | null
  lastName: string | null
  email: string | null
  role: Role
}

export interface Invitation {
  id: string
  email: string
  role: Role
  sentAt: string
  expiresAt: string
}

export interface Learner {
  id: string
  lastName: string | null
  firstName: string | null
  birthdate: string | null
  studentNumber: string | null
  group: string | null
  source: string
  externalId: string | null
  participationCount: number
  lastParticipationAt: string | null
  certificability: 'CERTIFIABLE' | 'NOT_CERTIFIABLE' | 'UNKNOWN'
  certifiableAt: string | null
}

export interface Places {
  total: number
  occupied: number
  available: number
  hasPlaces: boolean
  lots: { id: string; count: number; activationDate: string; expirationDate: string | null; status: 'ACTIVE' | 'PENDING' | 'EXPIRED'; createdAt: string }[]
}

/** '2026-03-02' or an ISO instant → 02/03/2026 (fr) or 3/2/2026 (en), without time-zone drift for plain dates. */
export function formatDate(value: string | null | undefined, lang: string): string {
  if (!value) return ''
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value)
  return date.toLocaleDateString(lang === 'en' ? 'en-GB' : 'fr-FR', { timeZone: 'Europe/Paris' })
}

export function displayName(p: { firstName: string | null; lastName: string | null; email?: string | null }): string {
  return [p.firstName, p.lastName].filter(Boolean).join(' ') || p.email || '—'
}
