/** The campaign model and its invariants (pure). Rules: pix-rules.md §1–§4. */
import { randomInt } from 'node:crypto'
import { InvalidCampaign } from './errors'

export type CampaignId = string
export type CampaignType = 'ASSESSMENT' | 'PROFILES_COLLECTION'
export type ExternalIdType = 'STRING' | 'EMAIL'

export interface Campaign {
  id: CampaignId
  organizationId: string
  code: string
  name: string
  title: string | null
  type: CampaignType
  targetProfileId: string | null
  ownerId: string
  creatorId: string
  multipleSendings: boolean
  externalIdLabel: string | null
  externalIdType: ExternalIdType | null
  customLandingPageText: string | null
  customResultPageText: string | null
  customResultPageButtonText: string | null
  customResultPageButtonUrl: string | null
  createdAt: Date
  archivedAt: Date | null
  archivedBy: string | null
  deletedAt: Date | null
  deletedBy: string | null
}

export const MAX_TEXT_LENGTH = 5000
export const MAX_NAME_LENGTH = 255

export interface NewCampaign {
  organizationId: string
  name: string
  type: CampaignType
  targetProfileId?: string | null
  ownerId: string
  creatorId: string
  title?: string | null
  multipleSendings?: boolean
  externalIdLabel?: string | null
  externalIdType?: ExternalIdType | null
  customLandingPageText?: string | null
  customResultPageText?: string | null
  customResultPageButtonText?: string | null
  customResultPageButtonUrl?: string | null
}

const blankToNull = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v.trim())

/** Normalises a creation request and enforces Pix's creation rules (§1.2). */
export function validateNewCampaign(input: NewCampaign, knownTargetProfile: (id: string) => boolean): NewCampaign {
  const problems: Record<string, string> = {}
  const name = input.name?.trim() ?? ''
  if (!name) problems.name = 'Le nom de la campagne est obligatoire.'
  else if (name.length > MAX_NAME_LENGTH) problems.name = `Le nom ne peut dépasser ${MAX_NAME_LENGTH} caractères.`
  const targetProfileId = blankToNull(input.targetProfileId)
  if (input.type === 'ASSESSMENT') {
    if (!targetProfileId) problems.targetProfileId = 'Choisissez un parcours pour une campagne d’évaluation.'
    else if (!knownTargetProfile(targetProfileId)) problems.targetProfileId = 'Ce parcours n’existe pas.'
  } else if (targetProfileId) problems.targetProfileId = 'Une collecte de profils n’a pas de parcours.'
  const title = blankToNull(input.title)
  if (title && input.type === 'PROFILES_COLLECTION') problems.title = 'Une collecte de profils n’a pas de titre de parcours.'
  const externalIdLabel = blankToNull(input.externalIdLabel)
  const externalIdType = externalIdLabel ? (input.externalIdType ?? 'STRING') : null
  if (externalIdLabel && externalIdLabel.length > 255) problems.externalIdLabel = 'Libellé trop long (255 caractères au plus).'
  for (const key of ['customLandingPageText', 'customResultPageText'] as const) {
    if ((input[key]?.length ?? 0) > MAX_TEXT_LENGTH) problems[key] = `${MAX_TEXT_LENGTH} caractères au plus.`
  }
  const buttonText = blankToNull(input.customResultPageButtonText)
  const buttonUrl = blankToNull(input.customResultPageButtonUrl)
  if (Boolean(buttonText) !== Boolean(buttonUrl)) problems.customResultPageButtonUrl = 'Le texte et l’URL du bouton vont ensemble.'
  if (buttonUrl && !/^https?:\/\/[^\s]+$/i.test(buttonUrl)) problems.customResultPageButtonUrl = 'URL invalide (http:// ou https://).'
  if ((buttonText || buttonUrl) && input.type === 'PROFILES_COLLECTION')
    problems.customResultPageButtonText = 'Pas de bouton de fin pour une collecte de profils.'
  if (Object.keys(problems).length) throw new InvalidCampaign('La campagne est invalide.', { problems })
  return {
    ...input,
    name,
    title,
    targetProfileId: input.type === 'ASSESSMENT' ? targetProfileId : null,
    multipleSendings: input.multipleSendings ?? false,
    externalIdLabel,
    externalIdType,
    customLandingPageText: blankToNull(input.customLandingPageText),
    customResultPageText: blankToNull(input.customResultPageText),
    customResultPageButtonText: buttonText,
    customResultPageButtonUrl: buttonUrl,
  }
}

/** Letters without i, l, o (easily confused), upper-cased: 23 letters. Digits without 0 and 1. */
export const CODE_LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ'
export const CODE_DIGITS = '23456789'
export const CAMPAIGN_CODE_PATTERN = /^[ABCDEFGHJKMNPQRSTUVWXYZ]{6}[2-9]{3}$/

export function generateCampaignCode(random: (max: number) => number = randomInt): string {
  let code = ''
  for (let i = 0; i < 6; i++) code += CODE_LETTERS[random(CODE_LETTERS.length)]
  for (let i = 0; i < 3; i++) code += CODE_DIGITS[random(CODE_DIGITS.length)]
  return code
}

/** Learners may type the code in lower case or with spaces. */
export function normalizeCampaignCode(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase()
}

export function isAccessible(c: Pick<Campaign, 'archivedAt' | 'deletedAt'>): boolean {
  return !c.archivedAt && !c.deletedAt
}
