/** Calls to /api/orga for the campaign screens. Errors come back as ApiError with the server's code and field issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message)
  }
}

export async function orgaApi<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`/api/orga${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : {},
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  })
  const json: unknown = res.status === 204 ? undefined : await res.json().catch(() => undefined)
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string; issues?: { path: string; message: string }[] } } | undefined)?.error
    throw new ApiError(res.status, error?.code ?? 'UNKNOWN', error?.message ?? res.statusText, error?.issues ?? [])
  }
  return json as T
}

export type CampaignType = 'ASSESSMENT' | 'PROFILES_COLLECTION'
export type ParticipationStatus = 'STARTED' | 'TO_SHARE' | 'SHARED'

export interface Person {
  id: string
  firstName: string
  lastName: string
}

export interface CampaignDetail {
  id: string
  code: string
  name: string
  title: string | null
  type: CampaignType
  targetProfileId: string | null
  ownerId: string
  multipleSendings: boolean
  externalIdLabel: string | null
  externalIdType: 'STRING' | 'EMAIL' | null
  customLandingPageText: string | null
  customResultPageText: string | null
  createdAt: string
  archivedAt: string | null
  owner: Person | null
  targetProfile: { id: string; name: string; category: string; hasStages: boolean; badges: { key: string; title: string }[] } | null
  directLink: string
  canManage: boolean
}

export interface CampaignListRow {
  id: string
  name: string
  code: string
  type: CampaignType
  createdAt: string
  archivedAt: string | null
  owner: Person
  participantsCount: number
  sharedCount: number
}

export interface FormOptions {
  members: (Person & { role: 'ADMIN' | 'MEMBER' })[]
  targetProfiles: { id: string; name: string; description: string; category: string }[]
  me: { userId: string; organizationId: string; role: 'ADMIN' | 'MEMBER' }
}

export interface Page<T> {
  page: number
  pageSize: number
  total: number
  participants: T[]
}

export const fullName = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`.trim()
export const formatDate = (iso: string | null, lang: string) => (iso ? new Date(iso).toLocaleDateString(lang === 'en' ? 'en-GB' : 'fr-FR') : '—')
export const percent = (ratio: number) => `${Math.round(ratio * 100)} %`
