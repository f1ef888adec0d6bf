/**
 * Pix's CSV exports (pix-rules §15), pure: French headers in Pix's order and one line per
 * participation. Stats of a participation not shared are NA; dates YYYY-MM-DD (UTC); Oui/Non;
 * competence and area mastery as a ratio rounded to 2 decimals.
 */
import type { Referential } from '../content/types'
import { participationResults, scoreProfile, type ScoringKnowledgeElement } from '../assessment/scoring'
import type { Campaign } from '../campaigns'
import type { CampaignContent } from './campaign-content'

export type Cell = string | number

/** A spreadsheet would run a cell starting with = + - @ (or tab / CR) as a formula: prefix it with a quote. */
export function neutralize(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export const isoDay = (d: Date | null | undefined): string => (d ? d.toISOString().slice(0, 10) : 'NA')
const yesNo = (b: boolean) => (b ? 'Oui' : 'Non')
const ratio = (validated: number, total: number) => (total === 0 ? 0 : Math.round((validated / total) * 100) / 100)

export interface ExportContext {
  organizationName: string
  campaign: Campaign
  referential: Referential
  /** Assessment campaigns only. */
  content: CampaignContent | null
}

export interface ExportParticipation {
  id: string
  lastName: string
  firstName: string
  participantExternalId: string | null
  status: 'STARTED' | 'TO_SHARE' | 'SHARED'
  createdAt: Date
  sharedAt: Date | null
  masteryRate: number | null
  assessmentCompleted: boolean
  /** Snapshot when shared, else the learner's live knowledge. */
  knowledgeElements: ScoringKnowledgeElement[]
}

function commonStart(): string[] {
  return ["Nom de l'organisation", 'ID Campagne', 'Code', 'Nom de la campagne']
}

export function assessmentHeaders(ctx: ExportContext): string[] {
  const tp = ctx.content!.targetProfile
  const headers = [...commonStart(), 'Parcours', 'Nom du Participant', 'Prénom du Participant']
  if (ctx.campaign.externalIdLabel) headers.push(ctx.campaign.externalIdLabel)
  headers.push('% de progression', 'Date de début', 'Partage (O/N)', 'Date du partage')
  if (tp.stages.length) headers.push(`Palier obtenu (/${tp.stages.length - 1})`)
  for (const b of tp.badges) headers.push(`${b.title} obtenu (O/N)`)
  headers.push("% maitrise de l'ensemble des acquis du profil")
  for (const { competence } of ctx.content!.competences)
    headers.push(
      `% de maitrise des acquis de la compétence ${competence.name}`,
      `Nombre d'acquis du profil cible dans la compétence ${competence.name}`,
      `Acquis maitrisés dans la compétence ${competence.name}`,
    )
  for (const { area } of ctx.content!.areas)
    headers.push(
      `% de maitrise des acquis du domaine ${area.title}`,
      `Nombre d'acquis du profil cible du domaine ${area.title}`,
      `Acquis maitrisés du domaine ${area.title}`,
    )
  return headers.map(neutralize)
}

function identity(ctx: ExportContext): Cell[] {
  return [neutralize(ctx.organizationName), ctx.campaign.id, ctx.campaign.code, neutralize(ctx.campaign.name)]
}

export function assessmentLine(ctx: ExportContext, p: ExportParticipation): Cell[] {
  const content = ctx.content!
  const tp = content.targetProfile
  const results = participationResults(ctx.referential, tp, p.knowledgeElements)
  const shared = p.status === 'SHARED'
  const progression = p.status !== 'STARTED' || p.assessmentCompleted ? 1 : ratio(results.testedSkills, results.totalSkills)
  const line: Cell[] = [...identity(ctx), neutralize(tp.name), neutralize(p.lastName), neutralize(p.firstName)]
  if (ctx.campaign.externalIdLabel) line.push(neutralize(p.participantExternalId ?? ''))
  line.push(progression, isoDay(p.createdAt), yesNo(shared), shared ? isoDay(p.sharedAt) : 'NA')
  const na = () => 'NA'
  if (tp.stages.length) line.push(shared && results.reachedStage ? results.reachedStage.reachedStage - 1 : na())
  for (const b of tp.badges) line.push(shared ? yesNo(results.badges.find((r) => r.key === b.key)?.acquired ?? false) : na())
  line.push(shared ? (p.masteryRate ?? results.masteryRate) : na())
  const validated = new Set(results.validatedSkillIds)
  for (const { skillIds } of [...content.competences, ...content.areas]) {
    const v = skillIds.filter((id) => validated.has(id)).length
    line.push(...(shared ? [ratio(v, skillIds.length), skillIds.length, v] : [na(), na(), na()]))
  }
  return line
}

export function profilesHeaders(ctx: ExportContext): string[] {
  const headers = [...commonStart(), 'Nom du Participant', 'Prénom du Participant']
  if (ctx.campaign.externalIdLabel) headers.push(ctx.campaign.externalIdLabel)
  headers.push("Envoi (O/N)", "Date de l'envoi", 'Nombre de pix total', 'Certifiable (O/N)', 'Nombre de compétences certifiables')
  for (const c of ctx.referential.competences)
    headers.push(`Niveau pour la compétence ${c.name}`, `Nombre de pix pour la compétence ${c.name}`)
  return headers.map(neutralize)
}

export function profilesLine(ctx: ExportContext, p: ExportParticipation): Cell[] {
  const shared = p.status === 'SHARED'
  const line: Cell[] = [...identity(ctx), neutralize(p.lastName), neutralize(p.firstName)]
  if (ctx.campaign.externalIdLabel) line.push(neutralize(p.participantExternalId ?? ''))
  line.push(yesNo(shared), shared ? isoDay(p.sharedAt) : 'NA')
  if (!shared) {
    line.push('NA', 'NA', 'NA', ...ctx.referential.competences.flatMap(() => ['NA', 'NA']))
    return line
  }
  const profile = scoreProfile(ctx.referential, p.knowledgeElements)
  line.push(profile.totalPix, yesNo(profile.isCertifiable), profile.competences.filter((c) => c.level >= 1).length)
  for (const c of profile.competences) line.push(c.level, c.pixScore)
  return line
}

/** Pix's file name: Resultats-{name}-{id}-{date}.csv */
export function exportFileName(campaign: Pick<Campaign, 'name' | 'id'>, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace('T', '-').replace(':', '')
  return `Resultats-${campaign.name}-${campaign.id}-${stamp}.csv`
}
