/** The learner API (/api/learner/…) with the launch's bearer token. Errors come back as ApiError with the server's code. */
import { launchFetch } from '../api/launch-session'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await launchFetch(`/api/learner${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const data = text ? (JSON.parse(text) as unknown) : undefined
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string } } | undefined)?.error
    throw new ApiError(res.status, error?.code ?? 'INTERNAL', error?.message ?? res.statusText)
  }
  return data as T
}

export type ParticipationStatus = 'STARTED' | 'TO_SHARE' | 'SHARED'
export type AnswerResult = 'ok' | 'ko' | 'skipped' | 'timedout' | 'focusedOut'

export interface LearnerHome {
  launchCampaignCode: string | null
  firstName: string | null
  participations: { code: string; title: string; status: ParticipationStatus; createdAt: string }[]
}

export interface LearnerCampaign {
  campaign: {
    code: string
    title: string
    type: 'ASSESSMENT' | 'PROFILES_COLLECTION'
    landingText: string | null
    externalIdLabel: string | null
    externalIdType: 'STRING' | 'EMAIL' | null
    externalIdKnown: boolean
    multipleSendings: boolean
    status: 'active' | 'archived'
    isLaunchCampaign: boolean
    targetProfileName: string | null
    resultText: string | null
    resultButton: { text: string; url: string } | null
  }
  hasSeenRules: boolean
  participation: null | {
    id: string
    status: ParticipationStatus
    participantExternalId: string | null
    assessmentId: string | null
    assessmentState: 'started' | 'completed' | 'aborted' | null
  }
}

export type PublicChallenge =
  | { id: string; type: 'QCU' | 'QCM'; instruction: string; timer: number | null; proposals: string[] }
  | { id: string; type: 'QROC'; instruction: string; timer: number | null; format: string; label: string; placeholder: string | null }
  | {
      id: string
      type: 'QROCM-ind' | 'QROCM-dep'
      instruction: string
      timer: number | null
      format: string
      fields: { key: string; label: string; placeholder: string | null; options: string[] | null }[]
    }

export type AssessmentStep =
  | { kind: 'challenge'; challenge: PublicChallenge; askedAt: string; remainingSeconds: number | null }
  | { kind: 'timed-warning'; challengeId: string; timer: number }
  | { kind: 'checkpoint'; challengeId: string; nextTimer: number | null }
  | { kind: 'completed' }

export interface AssessmentState {
  id: string
  type: 'CAMPAIGN' | 'COMPETENCE_EVALUATION'
  competenceCode: string | null
  answeredCount: number
  progress: number
  step: AssessmentStep
}

export interface Tutorial {
  id: string
  title: string
  url: string
  source: string
  format: string
  duration: number
  saved: boolean
}

export type Correction =
  | { type: 'QCU' | 'QCM'; proposals: { index: number; text: string }[] }
  | { type: 'QROC'; solution: string }
  | { type: 'QROCM-ind'; fields: { key: string; label: string; solution: string }[] }
  | { type: 'QROCM-dep'; remaining: string[]; fieldCount: number }

export interface AnswerReview {
  challengeId: string
  result: AnswerResult
  challenge: PublicChallenge
  value: unknown
  correction: Correction
  explanation: string | null
  tutorials: Tutorial[]
}

export interface Decision {
  allowed: boolean
  reason?: string
  remainingSeconds?: number
}

export interface LearnerResults {
  status: ParticipationStatus
  sharedAt: string | null
  disabled: boolean
  assessment: null | {
    masteryRate: number
    masteryPercentage: number
    validatedSkills: number
    totalSkills: number
    competences: { code: string; name: string; areaCode: string; masteryPercentage: number; validatedSkills: number; totalSkills: number }[]
    stage: null | { title: string; message: string; reached: number; total: number }
    badges: { key: string; title: string; message: string; acquired: boolean }[]
    tutorials: Tutorial[]
  }
  profile: null | {
    totalPix: number
    maxReachablePix: number
    isCertifiable: boolean
    competences: { code: string; name: string; level: number; pixScore: number }[]
  }
  canShare: boolean
  retry: Decision
  improve: Decision
  reset: Decision
}

export interface CompetenceCard {
  code: string
  name: string
  description: string
  area: { code: string; title: string; color: string }
  level: number
  pixScore: number
  ongoingAssessmentId: string | null
  /** Days before « Remettre à zéro » is offered (0: now); null when there is nothing to reset. */
  remainingDaysBeforeReset: number | null
  tutorials: Tutorial[]
}

export interface LearnerProfile {
  totalPix: number
  maxReachablePix: number
  isCertifiable: boolean
  competences: CompetenceCard[]
  savedTutorials: Tutorial[]
}

export type AnswerValue = string | Record<string, string>

const c = (code: string) => `/campaigns/${encodeURIComponent(code)}`

export const api = {
  home: () => request<LearnerHome>('GET', '/home'),
  campaign: (code: string) => request<LearnerCampaign>('GET', c(code)),
  start: (code: string, participantExternalId?: string) =>
    request<{ participationId: string; status: ParticipationStatus; assessmentId: string | null }>('POST', `${c(code)}/participations`, {
      participantExternalId: participantExternalId || undefined,
    }),
  results: (code: string) => request<{ results: LearnerResults | null }>('GET', `${c(code)}/results`).then((r) => r.results),
  share: (code: string) => request<{ status: ParticipationStatus }>('POST', `${c(code)}/share`),
  retry: (code: string) => request<{ assessmentId: string }>('POST', `${c(code)}/retry`),
  improve: (code: string) => request<{ assessmentId: string | null; status: ParticipationStatus }>('POST', `${c(code)}/improve`),
  reset: (code: string) => request<{ assessmentId: string | null }>('POST', `${c(code)}/reset`),
  assessment: (id: string) => request<AssessmentState>('GET', `/assessments/${id}`),
  answer: (id: string, body: { challengeId: string; value: AnswerValue; timedOut?: boolean }) =>
    request<{ answer: { result: AnswerResult }; alreadyRecorded: boolean; state: AssessmentState }>('POST', `/assessments/${id}/answers`, body),
  startChallenge: (id: string, challengeId: string) => request<AssessmentState>('POST', `/assessments/${id}/start-challenge`, { challengeId }),
  reviews: (id: string, scope: 'checkpoint' | 'all') =>
    request<{ answers: AnswerReview[] }>('GET', `/assessments/${id}/reviews?scope=${scope}`).then((r) => r.answers),
  profile: () => request<LearnerProfile>('GET', '/profile'),
  startCompetence: (competenceCode: string) => request<{ assessmentId: string }>('POST', '/competence-evaluations', { competenceCode }),
  resetCompetence: (competenceCode: string) => request<void>('POST', `/competences/${encodeURIComponent(competenceCode)}/reset`),
  saveTutorial: (tutorialId: string, saved: boolean) => request<void>(saved ? 'PUT' : 'DELETE', `/saved-tutorials/${encodeURIComponent(tutorialId)}`),
}
