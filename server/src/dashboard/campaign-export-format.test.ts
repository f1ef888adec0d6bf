/**
 * The assessment export's lines come from the participation's validated skill ids (the snapshot's
 * derived column) and a per-export plan. They must stay what they were when every line ran scoring's
 * participationResults on the whole snapshot: `reference` below is that former implementation.
 */
import fc from 'fast-check'
import { participationResults, validatedSkillIds, type ScoringKnowledgeElement } from '../assessment/scoring'
import type { Campaign } from '../campaigns'
import { loadReferential } from '../content/load-referential'
import { assessmentHeaders, assessmentLine, isoDay, neutralize, profilesHeaders, profilesLine, type Cell, type ExportContext, type ExportParticipation } from './campaign-export-format'
import { campaignContent } from './campaign-content'

const referential = loadReferential()

function contextFor(targetProfileId: string, externalIdLabel: string | null, studentColumns: ExportContext['studentColumns'] = null): ExportContext {
  const tp = referential.targetProfiles.get(targetProfileId)!
  const campaign = { id: 'c0ffee00-0000-4000-8000-000000000001', code: 'EXPORT123', name: '=Rentrée', type: 'ASSESSMENT', externalIdLabel } as Campaign
  return { organizationName: 'Université', studentColumns, campaign, referential, content: campaignContent(referential, tp) }
}

/** The line as it was computed before (campaign-export-format.ts before the plan): from the snapshot's KEs. */
function reference(ctx: ExportContext, p: ExportParticipation, snapshot: ScoringKnowledgeElement[]): Cell[] {
  const content = ctx.content!
  const tp = content.targetProfile
  const ratio = (validated: number, total: number) => (total === 0 ? 0 : Math.round((validated / total) * 100) / 100)
  const yesNo = (b: boolean) => (b ? 'Oui' : 'Non')
  const results = participationResults(ctx.referential, tp, p.status === 'SHARED' ? snapshot : p.knowledgeElements)
  const shared = p.status === 'SHARED'
  const progression = p.status !== 'STARTED' || p.assessmentCompleted ? 1 : ratio(results.testedSkills, results.totalSkills)
  const line: Cell[] = [neutralize(ctx.organizationName), ctx.campaign.id, ctx.campaign.code, neutralize(ctx.campaign.name)]
  line.push(neutralize(tp.name), neutralize(p.lastName), neutralize(p.firstName))
  if (ctx.studentColumns === 'SUP') line.push(neutralize(p.group ?? ''), neutralize(p.studentNumber ?? ''))
  if (ctx.studentColumns === 'SCO') line.push(neutralize(p.group ?? ''))
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

/** What csv-stringify writes of a cell. */
const text = (line: Cell[]) => line.map((c) => String(c))

describe('assessmentLine', () => {
  for (const [tpId, label, studentColumns] of [
    ['tp_kit_survie', 'Numéro étudiant', 'SUP'], // stages, a participation badge and a capped-tubes badge
    ['tp_cybersecurite', null, 'SCO'], // a badge with two criteria
    ['tp_panorama_rentree', 'Numéro', null], // 16 competences, the bench's profile
    ['tp_etudiant_distance', null, null], // no stages
  ] as const) {
    it(`writes the line participationResults gave, on random participations (${tpId}, school columns ${studentColumns ?? 'none'})`, () => {
      const ctx = contextFor(tpId, label, studentColumns)
      const tp = ctx.content!.targetProfile
      const skills = [...tp.skillIds, '@horsProfil1', '@horsProfil2']
      const at = (ms: number) => new Date(Date.UTC(2026, 0, 10) + ms)
      const arbKe = fc.record({
        skillId: fc.constantFrom(...skills),
        status: fc.constantFrom<ScoringKnowledgeElement['status']>('validated', 'validated', 'invalidated', 'reset'),
        source: fc.constantFrom<ScoringKnowledgeElement['source']>('direct', 'inferred'),
        earnedPix: fc.constant(1),
        createdAt: fc.integer({ min: 0, max: 5 }).map(at),
      })
      fc.assert(
        fc.property(
          // Random knowledge, or a near-perfect profile (badges and the top stage acquired).
          fc.oneof(
            fc.array(arbKe, { maxLength: 80 }),
            fc.subarray([...tp.skillIds]).map((missed) => tp.skillIds.map((skillId) => ({ skillId, status: missed.length > 3 && missed.includes(skillId) ? 'invalidated' : 'validated', source: 'direct', earnedPix: 1, createdAt: at(0) }) as ScoringKnowledgeElement)),
          ),
          fc.array(arbKe, { maxLength: 40 }),
          fc.constantFrom<ExportParticipation['status']>('STARTED', 'TO_SHARE', 'SHARED'),
          fc.boolean(),
          fc.option(fc.constantFrom(0, 0.25, 0.5, 1)),
          fc.constantFrom('Dupont', '=cmd', '+33', ''),
          (snapshot, live, status, completed, masteryRate, name) => {
            const p: ExportParticipation = {
              id: 'p1',
              lastName: name,
              firstName: 'Léa',
              group: name === '' ? null : `=${name}`,
              studentNumber: name === '' ? null : '20261234',
              participantExternalId: '@ext',
              status,
              createdAt: at(0),
              sharedAt: status === 'SHARED' ? at(86_400_000) : null,
              masteryRate: status === 'SHARED' ? masteryRate : null,
              assessmentCompleted: completed,
              // What campaign_participations.validated_skill_ids holds for this snapshot (space-separated there).
              validatedSkillIds: status === 'SHARED' ? [...validatedSkillIds(snapshot)] : [],
              knowledgeElements: status === 'SHARED' ? [] : live,
            }
            expect(text(assessmentLine(ctx, p))).toEqual(text(reference(ctx, p, snapshot)))
          },
        ),
        { numRuns: 300 },
      )
    })
  }
})

describe('school columns (pix-rules §15)', () => {
  it('put SUP « Groupe » and « Numéro Étudiant », or SCO « Classe », right after the participant’s names', () => {
    const names = ['Nom du Participant', 'Prénom du Participant']
    const after = (headers: string[]) => headers.slice(headers.indexOf(names[1]!) + 1, headers.indexOf(names[1]!) + 3)
    expect(after(assessmentHeaders(contextFor('tp_kit_survie', 'Numéro', 'SUP')))).toEqual(['Groupe', 'Numéro Étudiant'])
    expect(after(assessmentHeaders(contextFor('tp_kit_survie', 'Numéro', 'SCO')))).toEqual(['Classe', 'Numéro'])
    expect(after(assessmentHeaders(contextFor('tp_kit_survie', 'Numéro', null)))).toEqual(['Numéro', '% de progression'])
    const profiles = (studentColumns: ExportContext['studentColumns']) => ({ ...contextFor('tp_kit_survie', null, studentColumns), content: null })
    expect(after(profilesHeaders(profiles('SUP')))).toEqual(['Groupe', 'Numéro Étudiant'])
    expect(after(profilesHeaders(profiles('SCO')))).toEqual(['Classe', 'Envoi (O/N)'])
    const line = profilesLine(profiles('SUP'), {
      id: 'p1',
      lastName: 'Martin',
      firstName: 'Inès',
      group: '=L1 groupe B',
      studentNumber: null,
      participantExternalId: null,
      status: 'STARTED',
      createdAt: new Date('2026-01-10T00:00:00Z'),
      sharedAt: null,
      masteryRate: null,
      assessmentCompleted: false,
      validatedSkillIds: [],
      knowledgeElements: [],
    })
    expect(line.slice(4, 8)).toEqual(['Martin', 'Inès', "'=L1 groupe B", ''])
  })
})
