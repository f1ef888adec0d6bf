/**
 * Pix's CSV exports (pix-rules §15), no I/O: French headers in Pix's order and one line per
 * participation. Stats of a participation not shared are NA; dates YYYY-MM-DD (UTC); Oui/Non;
 * competence and area mastery as a ratio rounded to 2 decimals.
 */
import type { Referential } from '../content/types'
import {
  evaluateBadge,
  latestNonResetBySkill,
  masteryPercentage,
  masteryRate,
  reachedStage,
  scoreProfile,
  type ScoringKnowledgeElement,
} from '../assessment/scoring'
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
  /**
   * Pix adds the learners' school columns when the organization manages its students: SUP `Groupe` and
   * `Numéro Étudiant`, SCO `Classe`. Here: when it knows the group or student number of some of its learners
   * (imported list, LMS roster or launch). Null: no such columns.
   */
  studentColumns: 'SUP' | 'SCO' | null
  campaign: Campaign
  referential: Referential
  /** Assessment campaigns only. */
  content: CampaignContent | null
}

export interface ExportParticipation {
  id: string
  lastName: string
  firstName: string
  /** The organization learner's group (SUP « Groupe », SCO « Classe ») and student number, if known. */
  group: string | null
  studentNumber: string | null
  participantExternalId: string | null
  status: 'STARTED' | 'TO_SHARE' | 'SHARED'
  createdAt: Date
  sharedAt: Date | null
  masteryRate: number | null
  assessmentCompleted: boolean
  /**
   * Assessment, shared: the skills validated in the share-time snapshot (the participation's derived
   * validated_skill_ids, scoring's validatedSkillIds of the snapshot). Empty otherwise.
   */
  validatedSkillIds: readonly string[]
  /**
   * What else needs knowledge elements: a profiles collection's snapshot when shared; an assessment in
   * progress (STARTED, not completed) that has a snapshot.
   */
  knowledgeElements: ScoringKnowledgeElement[]
  /**
   * Assessment in progress without a snapshot: target skills tested in the learner's live knowledge
   * (scoring's testedSkills, counted in SQL by the export).
   */
  testedSkills?: number
}

function commonStart(): string[] {
  return ["Nom de l'organisation", 'ID Campagne', 'Code', 'Nom de la campagne']
}

/** After the participant's names, in Pix's order (the same for both kinds of export once one type is chosen). */
function studentHeaders(ctx: ExportContext): string[] {
  if (ctx.studentColumns === 'SUP') return ['Groupe', 'Numéro Étudiant']
  if (ctx.studentColumns === 'SCO') return ['Classe']
  return []
}

function studentCells(ctx: ExportContext, p: ExportParticipation): Cell[] {
  if (ctx.studentColumns === 'SUP') return [neutralize(p.group ?? ''), neutralize(p.studentNumber ?? '')]
  if (ctx.studentColumns === 'SCO') return [neutralize(p.group ?? '')]
  return []
}

export function assessmentHeaders(ctx: ExportContext): string[] {
  const tp = ctx.content!.targetProfile
  const headers = [...commonStart(), 'Parcours', 'Nom du Participant', 'Prénom du Participant', ...studentHeaders(ctx)]
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

/**
 * What every line of an assessment export shares, computed once per export: the lines are 100,000s and
 * used to run the whole participationResults each. Stage and mastery depend on the validated count
 * only; competence and area counts come from each target skill's column groups, and their cells are
 * written once per possible count (the text csv-stringify would make of the numbers).
 */
interface AssessmentPlan {
  /** Organization, campaign and target profile cells, the same on every line. */
  start: Cell[]
  targetSkillIds: readonly string[]
  target: ReadonlySet<string>
  /** Target skill id → its index in the target profile. */
  indexOf: Map<string, number>
  /** Target skill index → indexes of its groups (competences, then areas, in header order). */
  groupsOf: number[][]
  /** Group → validated count in the group → its three cells (ratio, skills in the group, validated). */
  groupCells: Cell[][][]
  /** By validated count: the stage cell (reached stage − 1, else NA) and the mastery rate. */
  stageCell: Cell[]
  masteryRateOf: number[]
  /** The statistics of a line not shared: all NA. */
  notShared: Cell[]
  /** Per target skill, the last line that counted it (dedupes a line's ids without a Set per line; lines are built one at a time). */
  seenAt: Int32Array
  lineNumber: number
}

const plans = new WeakMap<ExportContext, AssessmentPlan>()

function assessmentPlan(ctx: ExportContext): AssessmentPlan {
  const cached = plans.get(ctx)
  if (cached) return cached
  const content = ctx.content!
  const tp = content.targetProfile
  const total = tp.skillIds.length
  const groups = [...content.competences, ...content.areas]
  const indexOf = new Map(tp.skillIds.map((id, i) => [id, i] as const))
  const groupsOf = tp.skillIds.map(() => [] as number[])
  groups.forEach(({ skillIds }, g) => {
    for (const id of skillIds) {
      const i = indexOf.get(id)
      if (i !== undefined) groupsOf[i]!.push(g)
    }
  })
  const counts = Array.from({ length: total + 1 }, (_, v) => v)
  const statsCells = (tp.stages.length ? 1 : 0) + tp.badges.length + 1 + 3 * groups.length
  const plan: AssessmentPlan = {
    start: [...identity(ctx), neutralize(tp.name)],
    targetSkillIds: tp.skillIds,
    target: new Set(tp.skillIds),
    indexOf,
    groupsOf,
    groupCells: groups.map(({ skillIds }) =>
      Array.from({ length: skillIds.length + 1 }, (_, v) => [String(ratio(v, skillIds.length)), String(skillIds.length), String(v)]),
    ),
    stageCell: counts.map((v) => {
      const r = reachedStage(tp.stages, v, masteryPercentage(v, total))
      return r ? String(r.reachedStage - 1) : 'NA'
    }),
    masteryRateOf: counts.map((v) => masteryRate(v, total)),
    notShared: Array.from({ length: statsCells }, () => 'NA'),
    seenAt: new Int32Array(total).fill(-1),
    lineNumber: 0,
  }
  plans.set(ctx, plan)
  return plan
}

/** Target skills with a non-reset KE (scoring's testedSkills) over target skills. */
function progressionOf(plan: AssessmentPlan, p: ExportParticipation): number {
  let tested = p.testedSkills ?? 0
  if (p.knowledgeElements.length) {
    tested = 0
    for (const skillId of latestNonResetBySkill(p.knowledgeElements).keys()) if (plan.target.has(skillId)) tested++
  }
  return ratio(tested, plan.targetSkillIds.length)
}

export function assessmentLine(ctx: ExportContext, p: ExportParticipation): Cell[] {
  const tp = ctx.content!.targetProfile
  const plan = assessmentPlan(ctx)
  const shared = p.status === 'SHARED'
  // Progression reads knowledge only for a test in progress; otherwise it is 100 %.
  const progression = p.status === 'STARTED' && !p.assessmentCompleted ? progressionOf(plan, p) : 1
  const line: Cell[] = plan.start.slice()
  line.push(neutralize(p.lastName), neutralize(p.firstName))
  if (ctx.studentColumns) line.push(...studentCells(ctx, p))
  if (ctx.campaign.externalIdLabel) line.push(neutralize(p.participantExternalId ?? ''))
  line.push(progression, isoDay(p.createdAt), yesNo(shared), shared ? isoDay(p.sharedAt) : 'NA')
  if (!shared) return line.concat(plan.notShared)
  // Validated target skills (what participationResults would keep of the snapshot), counted per group.
  const groupCount = plan.groupCells.length
  const perGroup = new Array<number>(groupCount).fill(0)
  const stamp = plan.lineNumber++
  let v = 0
  for (const id of p.validatedSkillIds) {
    const i = plan.indexOf.get(id)
    if (i === undefined || plan.seenAt[i] === stamp) continue
    plan.seenAt[i] = stamp
    v++
    for (const g of plan.groupsOf[i]!) perGroup[g]!++
  }
  if (tp.stages.length) line.push(plan.stageCell[v]!)
  if (tp.badges.length) {
    const validated = new Set(p.validatedSkillIds.filter((id) => plan.target.has(id)))
    for (const b of tp.badges) line.push(yesNo(evaluateBadge(b, plan.targetSkillIds, validated).acquired))
  }
  line.push(p.masteryRate ?? plan.masteryRateOf[v]!)
  for (let g = 0; g < groupCount; g++) {
    const cells = plan.groupCells[g]![perGroup[g]!]!
    line.push(cells[0]!, cells[1]!, cells[2]!)
  }
  return line
}

export function profilesHeaders(ctx: ExportContext): string[] {
  const headers = [...commonStart(), 'Nom du Participant', 'Prénom du Participant', ...studentHeaders(ctx)]
  if (ctx.campaign.externalIdLabel) headers.push(ctx.campaign.externalIdLabel)
  headers.push("Envoi (O/N)", "Date de l'envoi", 'Nombre de pix total', 'Certifiable (O/N)', 'Nombre de compétences certifiables')
  for (const c of ctx.referential.competences)
    headers.push(`Niveau pour la compétence ${c.name}`, `Nombre de pix pour la compétence ${c.name}`)
  return headers.map(neutralize)
}

export function profilesLine(ctx: ExportContext, p: ExportParticipation): Cell[] {
  const shared = p.status === 'SHARED'
  const line: Cell[] = [...identity(ctx), neutralize(p.lastName), neutralize(p.firstName), ...studentCells(ctx, p)]
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
