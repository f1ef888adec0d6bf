/** Participation rules (pix-rules §2, §3), pure: external id, retry / improve / reset conditions. */
import type { Campaign } from './campaign'
import { InvalidExternalId, MissingExternalId } from './errors'

export type ParticipationStatus = 'STARTED' | 'TO_SHARE' | 'SHARED'

export interface Participation {
  id: string
  campaignId: string
  userId: string | null
  organizationLearnerId: string | null
  participantExternalId: string | null
  status: ParticipationStatus
  isImproved: boolean
  createdAt: Date
  sharedAt: Date | null
  masteryRate: number | null
  validatedSkillsCount: number | null
  pixScore: number | null
  isCertifiable: boolean | null
  deletedAt: Date | null
}

const DAY_MS = 86_400_000
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
export const MAX_EXTERNAL_ID_LENGTH = 255

/** The external id to store: required when the campaign asks for one, an e-mail when its type says so. */
export function checkExternalId(campaign: Pick<Campaign, 'externalIdLabel' | 'externalIdType'>, value: string | null | undefined): string | null {
  if (!campaign.externalIdLabel) return null
  const id = value?.trim() ?? ''
  if (!id) throw new MissingExternalId(`Renseignez : ${campaign.externalIdLabel}.`)
  if (id.length > MAX_EXTERNAL_ID_LENGTH) throw new InvalidExternalId(`${MAX_EXTERNAL_ID_LENGTH} caractères au plus.`)
  if (campaign.externalIdType === 'EMAIL' && !EMAIL.test(id)) throw new InvalidExternalId('Saisissez une adresse e-mail valide.')
  return id
}

/** The platform's external id (e.g. a student number) when it fits the campaign; an EMAIL campaign asks for an e-mail otherwise. */
export function usableLaunchExternalId(campaign: Pick<Campaign, 'externalIdType'>, launchExternalId: string | undefined): string | undefined {
  if (!launchExternalId?.trim()) return undefined
  return campaign.externalIdType === 'EMAIL' && !EMAIL.test(launchExternalId.trim()) ? undefined : launchExternalId
}

/** Seconds left before `since + delay`, or 0 when it has passed. */
export function remainingSeconds(since: Date, delayDays: number, now: Date): number {
  return Math.max(0, Math.ceil((since.getTime() + delayDays * DAY_MS - now.getTime()) / 1000))
}

export type RetryRefusal =
  | 'NOT_FINISHED'
  | 'ALREADY_SHARED'
  | 'NOT_SHARED'
  | 'CAMPAIGN_CLOSED'
  | 'EVERYTHING_MASTERED'
  | 'NOTHING_TO_RETRY'
  | 'TOO_EARLY'
  | 'NO_MULTIPLE_SENDINGS'
  | 'RESET_NOT_ALLOWED'

export interface RetryDecision {
  allowed: boolean
  reason?: RetryRefusal
  /** When refused only because of the delay. */
  remainingSeconds?: number
}

const refuse = (reason: RetryRefusal, remaining?: number): RetryDecision => ({
  allowed: false,
  reason,
  ...(remaining ? { remainingSeconds: remaining } : {}),
})

/**
 * "Je retente" before sharing: the test is finished, not everything is mastered, and some target skill was
 * failed or skipped at least `delayDays` ago (only those come back). `failedAt` are the dates of the latest
 * invalidated KE of each target skill.
 */
export function decideRetry(args: {
  campaign: Pick<Campaign, 'type' | 'archivedAt' | 'deletedAt'>
  participation: Pick<Participation, 'status'>
  masteryRate: number
  failedAt: readonly Date[]
  delayDays: number
  now: Date
}): RetryDecision {
  const { campaign, participation } = args
  if (campaign.type !== 'ASSESSMENT' || participation.status === 'STARTED') return refuse('NOT_FINISHED')
  if (participation.status === 'SHARED') return refuse('ALREADY_SHARED')
  if (campaign.archivedAt || campaign.deletedAt) return refuse('CAMPAIGN_CLOSED')
  if (args.masteryRate >= 1) return refuse('EVERYTHING_MASTERED')
  if (!args.failedAt.length) return refuse('NOTHING_TO_RETRY')
  const soonest = Math.min(...args.failedAt.map((d) => remainingSeconds(d, args.delayDays, args.now)))
  return soonest > 0 ? refuse('TOO_EARLY', soonest) : { allowed: true }
}

/** "Repasser mon parcours" / send the profile again: multiple sendings, after sharing (and the delay for an assessment). */
export function decideImprove(args: {
  campaign: Pick<Campaign, 'type' | 'multipleSendings' | 'archivedAt' | 'deletedAt'>
  participation: Pick<Participation, 'status' | 'sharedAt' | 'masteryRate'>
  delayDays: number
  now: Date
}): RetryDecision {
  const { campaign, participation } = args
  if (!campaign.multipleSendings) return refuse('NO_MULTIPLE_SENDINGS')
  if (participation.status !== 'SHARED' || !participation.sharedAt) return refuse('NOT_SHARED')
  if (campaign.archivedAt || campaign.deletedAt) return refuse('CAMPAIGN_CLOSED')
  if (campaign.type === 'PROFILES_COLLECTION') return { allowed: true }
  if ((participation.masteryRate ?? 0) >= 1) return refuse('EVERYTHING_MASTERED')
  const left = remainingSeconds(participation.sharedAt, args.delayDays, args.now)
  return left > 0 ? refuse('TOO_EARLY', left) : { allowed: true }
}

/** Reset: like improving, but the target profile must allow it, and a learner who mastered everything may. */
export function decideReset(args: {
  campaign: Pick<Campaign, 'type' | 'multipleSendings' | 'archivedAt' | 'deletedAt'>
  participation: Pick<Participation, 'status' | 'sharedAt'>
  resetAllowed: boolean
  delayDays: number
  now: Date
}): RetryDecision {
  const { campaign, participation } = args
  if (campaign.type !== 'ASSESSMENT' || !args.resetAllowed) return refuse('RESET_NOT_ALLOWED')
  if (!campaign.multipleSendings) return refuse('NO_MULTIPLE_SENDINGS')
  if (participation.status !== 'SHARED' || !participation.sharedAt) return refuse('NOT_SHARED')
  if (campaign.archivedAt || campaign.deletedAt) return refuse('CAMPAIGN_CLOSED')
  const left = remainingSeconds(participation.sharedAt, args.delayDays, args.now)
  return left > 0 ? refuse('TOO_EARLY', left) : { allowed: true }
}
