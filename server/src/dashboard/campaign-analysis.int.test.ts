/**
 * The Analyse tab counts (tube, level mask) groups in SQL from validated_tube_levels (migration 0009). Its JSON must
 * equal the former reduction, which read every participant's validated_skill_ids and mapped each id through the
 * content: checked on seeded campaigns (scripts/seed-large.ts: multiple sendings, every status), read with the
 * content of every target profile (so snapshots also hold skills, levels and tubes outside the profile read),
 * plus deleted participations, anonymized rows and snapshots with ids that are not skills.
 */
import { Client } from 'pg'
import { seedLargeCampaign } from '../../../scripts/seed-large'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertParticipation } from '../../test/factories'
import { loadReferential } from '../content/load-referential'
import { campaignAnalysisQuery, type CampaignAnalysis } from './campaign-analysis.query'
import { campaignContent, type CampaignContent } from './campaign-content'
import { LATEST_SHARED, type SqlPool } from './sql'
import { averageTubeScore, recommendationMarks } from './tube-recommendation'

const referential = loadReferential()
let db: TestDatabase
const campaigns: string[] = []

beforeAll(async () => {
  db = await createTestDatabase()
  const client = new Client({ connectionString: db.url })
  await client.connect()
  try {
    for (const [targetProfileId, participants, seed] of [['tp_panorama_rentree', 400, 0.1], ['tp_kit_survie', 150, -0.3], ['tp_competence_1_1', 60, 0.7]] as const)
      campaigns.push((await seedLargeCampaign(client, { participants, targetProfileId, seed, referential })).campaignId)
  } finally {
    await client.end()
  }
  const [first] = campaigns
  const kes = (ids: string[]) => ids.map((skillId) => ({ skillId, competenceCode: '1.1', status: 'validated' as const, earnedPix: 1, createdAt: '2026-01-10T08:00:00.000Z' }))
  // Ids that are no skill of the referential, or look like one with a level out of range.
  await insertParticipation(db.db, { campaignId: first!, status: 'SHARED', sharedAt: new Date() }, { snapshot: kes(['@moteurRecherche1', 'rec123', '@moteurRecherche9', '@moteurRecherche0', '@', '@x1']) })
  // Deleted, and anonymized (no user nor learner: a participant of its own).
  await insertParticipation(db.db, { campaignId: first!, status: 'SHARED', sharedAt: new Date(), deletedAt: new Date() }, { snapshot: kes(['@moteurRecherche1']) })
  await insertParticipation(db.db, { campaignId: first!, status: 'SHARED', sharedAt: new Date(), userId: null }, { snapshot: kes(['@moteurRecherche2']) })
  // Shared without a snapshot: counted as a participant with nothing validated.
  await insertParticipation(db.db, { campaignId: first!, status: 'SHARED', sharedAt: new Date() })
})
afterAll(async () => {
  await db?.drop()
})

/** The former campaignAnalysisQuery (before migration 0009), kept as the reference. */
async function formerAnalysis(sql: SqlPool, campaignId: string, content: CampaignContent): Promise<CampaignAnalysis> {
  const { rows } = await sql.query(`SELECT count(*)::int AS n, string_agg(ls.validated_skill_ids, E'\\n') AS v FROM ${LATEST_SHARED} ls`, [campaignId])
  const participantsCount: number = rows[0].n
  const places = new Map<string, { tube: number; bit: number }>()
  content.tubes.forEach((t, tube) => {
    for (const s of t.skills) places.set(s.id, { tube, bit: 1 << s.level })
  })
  const masksByTube = content.tubes.map(() => new Map<number, number>())
  const masks = new Array<number>(content.tubes.length)
  for (const participant of (rows[0].v as string | null)?.split('\n') ?? []) {
    masks.fill(0)
    for (const id of participant.split(' ')) {
      const place = places.get(id)
      if (place) masks[place.tube]! |= place.bit
    }
    for (let t = 0; t < masks.length; t++) {
      const mask = masks[t]!
      if (mask !== 0) masksByTube[t]!.set(mask, (masksByTube[t]!.get(mask) ?? 0) + 1)
    }
  }
  const validatedByCompetence = new Map<string, number>()
  const tubes: CampaignAnalysis['tubes'] = []
  content.tubes.forEach((t, i) => {
    const groups = [...masksByTube[i]!].map(([mask, count]) => ({ mask, count }))
    let validated = 0
    for (const g of groups) validated += g.count * [...Array(31).keys()].filter((b) => g.mask & (1 << b)).length
    validatedByCompetence.set(t.competence.code, (validatedByCompetence.get(t.competence.code) ?? 0) + validated)
    if (participantsCount === 0) return
    const averageScore = averageTubeScore(t.skills.map((s) => s.level), groups, participantsCount, content.maxSkillLevel)!
    tubes.push({
      tubeName: t.tube.name,
      practicalTitle: t.tube.practicalTitle,
      practicalDescription: t.tube.practicalDescription,
      competenceCode: t.competence.code,
      competenceName: t.competence.name,
      areaColor: t.area.color,
      averageScore: Math.round(averageScore * 100) / 100,
      marks: recommendationMarks(averageScore),
      tutorials: t.tutorials.map((tu) => ({ id: tu.id, title: tu.title, url: tu.url, source: tu.source, format: tu.format, durationMinutes: tu.duration })),
    })
  })
  tubes.sort((a, b) => a.averageScore - b.averageScore)
  return {
    participantsCount,
    tubes,
    competences: content.competences.map(({ competence, area, skillIds }) => {
      const average = participantsCount ? (validatedByCompetence.get(competence.code) ?? 0) / participantsCount : 0
      return {
        competenceCode: competence.code,
        competenceName: competence.name,
        areaColor: area.color,
        targetedSkillsCount: skillIds.length,
        averageValidatedSkills: Math.round(average * 100) / 100,
        masteryPercentage: Math.round((average * 100) / skillIds.length),
      }
    }),
  }
}

describe('campaignAnalysisQuery', () => {
  it('answers the same JSON as the former reduction of validated_skill_ids, for every target profile read', async () => {
    let compared = 0
    for (const campaignId of campaigns) {
      for (const profile of referential.targetProfiles.values()) {
        const content = campaignContent(referential, profile)
        const analysis = await campaignAnalysisQuery(db.pool, campaignId, content)
        expect(JSON.stringify(analysis)).toBe(JSON.stringify(await formerAnalysis(db.pool, campaignId, content)))
        compared++
      }
    }
    expect(compared).toBe(campaigns.length * referential.targetProfiles.size)
  })

  it('counts participants, not elements, and answers an empty campaign', async () => {
    const content = campaignContent(referential, referential.targetProfiles.get('tp_panorama_rentree')!)
    const analysis = await campaignAnalysisQuery(db.pool, campaigns[0]!, content)
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM ${LATEST_SHARED} ls`, [campaigns[0]])
    expect(analysis.participantsCount).toBe(rows[0].n)
    expect(analysis.participantsCount).toBeGreaterThan(200)
    const none = await campaignAnalysisQuery(db.pool, '00000000-0000-0000-0000-000000000000', content)
    expect(none).toEqual({ participantsCount: 0, tubes: [], competences: expect.any(Array) })
    expect(none.competences.every((c) => c.averageValidatedSkills === 0 && c.masteryPercentage === 0)).toBe(true)
  })
})
