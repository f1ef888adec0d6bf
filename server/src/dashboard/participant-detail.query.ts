/**
 * Participant detail (pix-rules §14.5): one participation of a campaign with the selector of the
 * participant's other sendings. Shared participations read the share-time snapshot; results of a
 * participation not shared yet are not shown (only its progression), as in Pix Orga.
 */
import type { Referential } from '../content/types'
import { participationResults, scoreProfile, type ScoringKnowledgeElement } from '../assessment/scoring'
import type { Campaign } from '../campaigns'
import type { CampaignContent } from './campaign-content'
import { recommendationMarks, tubeScore, type RecommendationMarks } from './tube-recommendation'
import { FIRST_NAME, JOIN_PEOPLE, LAST_NAME, PARTICIPANT_KEY, type Sql } from './sql'
import { ParticipationNotFound } from './errors'

export interface ParticipantAssessmentResults {
  masteryRate: number
  validatedSkillsCount: number
  testedSkillsCount: number
  totalSkillsCount: number
  reachedStage: { reachedStage: number; totalStage: number; title: string; description: string } | null
  badges: { key: string; title: string; acquired: boolean }[]
  competences: { code: string; name: string; areaColor: string; masteryRate: number; validated: number; tested: number; total: number }[]
  tubes: {
    tubeName: string
    practicalTitle: string
    practicalDescription: string
    competenceName: string
    areaColor: string
    score: number
    marks: RecommendationMarks
    tutorials: { id: string; title: string; url: string; source: string; format: string; durationMinutes: number }[]
  }[]
}

export interface ParticipantProfile {
  totalPix: number
  isCertifiable: boolean
  certifiableCompetencesCount: number
  competences: { code: string; name: string; areaColor: string; level: number; pix: number }[]
}

export interface ParticipantDetail {
  participation: {
    id: string
    firstName: string
    lastName: string
    participantExternalId: string | null
    status: 'STARTED' | 'TO_SHARE' | 'SHARED'
    createdAt: Date
    sharedAt: Date | null
    /** 0–100: 100 once the test is finished; else tested / targeted skills. */
    progression: number
  }
  /** Every sending of this participant, oldest first (Participation #1, #2…). */
  participations: { id: string; number: number; createdAt: Date; sharedAt: Date | null; status: string }[]
  assessment: ParticipantAssessmentResults | null
  profile: ParticipantProfile | null
}

export async function participantDetailQuery(
  sql: Sql,
  input: { campaign: Campaign; participationId: string; referential: Referential; content: CampaignContent | null },
): Promise<ParticipantDetail> {
  if (!/^[0-9a-f-]{36}$/i.test(input.participationId)) throw new ParticipationNotFound('Participation introuvable.')
  const { rows } = await sql.query(
    `SELECT p.id, p.user_id, p.status, p.created_at, p.shared_at, p.participant_external_id, ${PARTICIPANT_KEY} AS k,
            ${LAST_NAME} AS last_name, ${FIRST_NAME} AS first_name,
            k.knowledge_elements AS snapshot,
            (SELECT a.state FROM assessments a WHERE a.campaign_participation_id = p.id ORDER BY a.created_at DESC LIMIT 1) AS assessment_state
     FROM campaign_participations p ${JOIN_PEOPLE}
     LEFT JOIN knowledge_element_snapshots k ON k.campaign_participation_id = p.id
     WHERE p.id = $1 AND p.campaign_id = $2 AND p.deleted_at IS NULL`,
    [input.participationId, input.campaign.id],
  )
  const row = rows[0]
  if (!row) throw new ParticipationNotFound('Participation introuvable.')
  const siblings = await sql.query(
    `SELECT p.id, p.created_at, p.shared_at, p.status FROM campaign_participations p
     WHERE p.campaign_id = $1 AND p.deleted_at IS NULL AND ${PARTICIPANT_KEY} = $2 ORDER BY p.created_at, p.id`,
    [input.campaign.id, row.k],
  )

  const isShared = row.status === 'SHARED'
  let kes: ScoringKnowledgeElement[]
  if (row.snapshot) kes = (row.snapshot as SnapshotKe[]).map(toScoringKe)
  else if (row.user_id) {
    const live = await sql.query(
      // Not shared yet: the learner's live knowledge (what Pix's progress reads), latest per skill.
      `SELECT skill_id, status, source, earned_pix, created_at FROM knowledge_elements WHERE user_id = $1`,
      [row.user_id],
    )
    kes = live.rows.map((r) => ({ skillId: r.skill_id, status: r.status, source: r.source, earnedPix: r.earned_pix, createdAt: r.created_at }))
  } else kes = []

  const content = input.content
  let progression = 100
  if (row.status === 'STARTED' && row.assessment_state !== 'completed' && content) {
    const tested = participationResults(input.referential, content.targetProfile, kes).testedSkills
    progression = Math.min(99, Math.round((tested * 100) / Math.max(1, content.targetProfile.skillIds.length)))
  } else if (row.status === 'STARTED' && !content) progression = 0

  return {
    participation: {
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      participantExternalId: row.participant_external_id,
      status: row.status,
      createdAt: row.created_at,
      sharedAt: row.shared_at,
      progression,
    },
    participations: siblings.rows.map((s, i) => ({ id: s.id, number: i + 1, createdAt: s.created_at, sharedAt: s.shared_at, status: s.status })),
    assessment: isShared && content ? assessmentResults(input.referential, content, kes) : null,
    profile: isShared && !content ? profile(input.referential, kes) : null,
  }
}

interface SnapshotKe {
  skillId: string
  status: 'validated' | 'invalidated' | 'reset'
  source: 'direct' | 'inferred'
  earnedPix: number
  createdAt: string
}

export function toScoringKe(k: SnapshotKe): ScoringKnowledgeElement {
  return { skillId: k.skillId, status: k.status, source: k.source, earnedPix: Number(k.earnedPix), createdAt: new Date(k.createdAt) }
}

function assessmentResults(referential: Referential, content: CampaignContent, kes: ScoringKnowledgeElement[]): ParticipantAssessmentResults {
  const r = participationResults(referential, content.targetProfile, kes)
  const validated = new Set(r.validatedSkillIds)
  const areaColor = new Map(referential.areas.map((a) => [a.code, a.color]))
  return {
    masteryRate: r.masteryRate,
    validatedSkillsCount: r.validatedSkills,
    testedSkillsCount: r.testedSkills,
    totalSkillsCount: r.totalSkills,
    reachedStage: r.reachedStage
      ? {
          reachedStage: r.reachedStage.reachedStage,
          totalStage: r.reachedStage.totalStage,
          title: r.reachedStage.stage.prescriberTitle || r.reachedStage.stage.title,
          description: r.reachedStage.stage.prescriberDescription,
        }
      : null,
    badges: r.badges.map((b) => ({ key: b.key, title: b.title, acquired: b.acquired })),
    competences: r.competences.map((c) => ({
      code: c.competenceCode,
      name: c.name,
      areaColor: areaColor.get(c.areaCode) ?? '#666',
      masteryRate: c.masteryRate,
      validated: c.validatedSkills,
      tested: c.testedSkills,
      total: c.totalSkills,
    })),
    tubes: content.tubes
      .map((t) => {
        const levels = new Set(t.skills.filter((s) => validated.has(s.id)).map((s) => s.level))
        const score = tubeScore(t.skills.map((s) => s.level), levels, content.maxSkillLevel)
        return {
          tubeName: t.tube.name,
          practicalTitle: t.tube.practicalTitle,
          practicalDescription: t.tube.practicalDescription,
          competenceName: t.competence.name,
          areaColor: t.area.color,
          score: Math.round(score * 100) / 100,
          marks: recommendationMarks(score),
          tutorials: t.tutorials.map((tu) => ({ id: tu.id, title: tu.title, url: tu.url, source: tu.source, format: tu.format, durationMinutes: tu.duration })),
        }
      })
      .sort((a, b) => a.score - b.score),
  }
}

function profile(referential: Referential, kes: ScoringKnowledgeElement[]): ParticipantProfile {
  const p = scoreProfile(referential, kes)
  const byCode = new Map(referential.competences.map((c) => [c.code, c]))
  const areaColor = new Map(referential.areas.map((a) => [a.code, a.color]))
  return {
    totalPix: p.totalPix,
    isCertifiable: p.isCertifiable,
    certifiableCompetencesCount: p.competences.filter((c) => c.level >= 1).length,
    competences: p.competences.map((c) => {
      const competence = byCode.get(c.competenceCode)!
      return { code: c.competenceCode, name: competence.name, areaColor: areaColor.get(competence.areaCode) ?? '#666', level: c.level, pix: c.pixScore }
    }),
  }
}
