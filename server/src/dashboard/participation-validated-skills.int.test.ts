/**
 * campaign_participations.validated_skill_ids (migration 0006) is what the analysis and the export read
 * instead of the snapshot's jsonb: it must equal scoring's validatedSkillIds of the snapshot, whoever
 * writes the snapshot (a trigger derives it) — latest KE per skill, ties to the later element, resets dropped.
 */
import fc from 'fast-check'
import { validatedSkillIds } from '../assessment/scoring'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertCampaign, insertOrganization, insertParticipation, insertUser } from '../../test/factories'
import type { SnapshotKe } from '../campaigns/participation.repository'
import { toScoringKe } from './participant-detail.query'

let db: TestDatabase
let campaignId: string

beforeAll(async () => {
  db = await createTestDatabase()
  const org = await insertOrganization(db.db)
  const owner = await insertUser(db.db)
  campaignId = (await insertCampaign(db.db, { organizationId: org.id, ownerId: owner.id })).id
})
afterAll(async () => {
  await db?.drop()
})

/** Inserts a snapshot as any writer would (plain INSERT of the jsonb) and returns the participation's derived column. */
async function derived(kes: unknown, options: { replica?: boolean } = {}): Promise<string | null> {
  const p = await insertParticipation(db.db, { campaignId, status: 'SHARED', sharedAt: new Date() })
  const client = await db.pool.connect()
  try {
    await client.query('BEGIN')
    if (options.replica) await client.query('SET LOCAL session_replication_role = replica')
    await client.query(
      `INSERT INTO knowledge_element_snapshots (campaign_participation_id, snapshotted_at, knowledge_elements) VALUES ($1, now(), $2::jsonb)`,
      [p.id, JSON.stringify(kes)],
    )
    await client.query('COMMIT')
    const { rows } = await client.query('SELECT validated_skill_ids FROM campaign_participations WHERE id = $1', [p.id])
    return rows[0].validated_skill_ids
  } finally {
    client.release()
  }
}

const ke = (skillId: string, status: SnapshotKe['status'], createdAt: string): SnapshotKe => ({
  skillId,
  competenceCode: '1.1',
  status,
  source: 'direct',
  earnedPix: 1,
  createdAt,
})
/** The column lists skill ids separated by spaces. */
const sorted = (ids: string | Iterable<string> | null) => (typeof ids === 'string' ? ids.split(' ').filter(Boolean) : [...(ids ?? ['(null)'])]).sort()

describe('validated_skill_ids', () => {
  it('is null without a snapshot, then keeps the validated skills of the share-time snapshot', async () => {
    const p = await insertParticipation(db.db, { campaignId, status: 'STARTED' })
    expect((await db.pool.query('SELECT validated_skill_ids FROM campaign_participations WHERE id = $1', [p.id])).rows[0].validated_skill_ids).toBeNull()
    const t = '2026-01-10T08:00:00.000Z'
    expect(sorted(await derived([ke('@a1', 'validated', t), ke('@b2', 'invalidated', t), ke('@c3', 'validated', t)]))).toEqual(['@a1', '@c3'])
    expect(await derived([])).toBe('')
  })

  it('follows latestNonResetBySkill: latest by date, the later element on a tie, a reset hides older statuses', async () => {
    const kes = [
      ke('@a1', 'validated', '2026-01-10T08:00:00.000Z'),
      ke('@a1', 'invalidated', '2026-01-10T09:00:00.000+01:00'), // same instant: the later element wins
      ke('@b2', 'validated', '2026-01-10T08:00:00.000Z'),
      ke('@b2', 'reset', '2026-01-10T08:00:00.001Z'),
      ke('@c3', 'reset', '2026-01-10T08:00:00.000Z'),
      ke('@c3', 'validated', '2026-01-10T08:00:01.000Z'),
      ke('@d4', 'validated', '2026-01-11T00:00:00.000Z'),
      ke('@d4', 'invalidated', '2026-01-10T00:00:00.000Z'),
    ]
    expect(sorted(await derived(kes))).toEqual(sorted(validatedSkillIds(kes.map(toScoringKe))))
    expect(sorted(await derived(kes))).toEqual(['@c3', '@d4'])
  })

  it('is derived by bulk loads in replica mode too (scripts/seed-large.ts)', async () => {
    expect(await derived([ke('@a1', 'validated', '2026-01-10T08:00:00.000Z')], { replica: true })).toBe('@a1')
  })

  it('is re-derived when the snapshot is updated', async () => {
    const p = await insertParticipation(db.db, { campaignId, status: 'SHARED', sharedAt: new Date() })
    await db.pool.query(`INSERT INTO knowledge_element_snapshots (campaign_participation_id, snapshotted_at, knowledge_elements) VALUES ($1, now(), $2)`, [
      p.id,
      JSON.stringify([ke('@a1', 'validated', '2026-01-10T08:00:00.000Z')]),
    ])
    await db.pool.query(`UPDATE knowledge_element_snapshots SET knowledge_elements = $2 WHERE campaign_participation_id = $1`, [
      p.id,
      JSON.stringify([ke('@a1', 'invalidated', '2026-01-10T08:00:00.000Z')]),
    ])
    const { rows } = await db.pool.query('SELECT validated_skill_ids FROM campaign_participations WHERE id = $1', [p.id])
    expect(rows[0].validated_skill_ids).toBe('')
  })

  it('never blocks a write: a snapshot with an unreadable date still gets its validated statuses', async () => {
    expect(await derived([ke('@a1', 'validated', 'hier'), ke('@b2', 'invalidated', 'hier')])).toBe('@a1')
    // A repeated skill needs the dates, which do not parse: every skill with a validated status is kept.
    expect(sorted(await derived([ke('@a1', 'validated', 'hier'), ke('@a1', 'invalidated', 'demain'), ke('@b2', 'validated', 'hier')]))).toEqual(['@a1', '@b2'])
  })

  it('equals scoring on random snapshots (duplicates, ties, resets, offsets)', async () => {
    const instants = ['2026-01-10T08:00:00.000Z', '2026-01-10T09:00:00.000+01:00', '2026-01-10T08:00:00.001Z', '2026-01-09T23:59:59.999Z']
    const arbKe = fc.record({
      skillId: fc.constantFrom('@a1', '@a2', '@b1', '@b3', '@c5'),
      status: fc.constantFrom<SnapshotKe['status']>('validated', 'invalidated', 'reset'),
      createdAt: fc.constantFrom(...instants),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(arbKe, { maxLength: 12 }), async (list) => {
        const kes = list.map((k) => ke(k.skillId, k.status, k.createdAt))
        expect(sorted(await derived(kes))).toEqual(sorted(validatedSkillIds(kes.map(toScoringKe))))
      }),
      { numRuns: 150 },
    )
  })
})

/** What migration 0009 stores per tube: `tube:mask`, bit n when `@<tube><n>` is listed (levels 1–8), other ids left out. */
function tubeLevels(ids: string | null): string[] | null {
  if (ids === null) return null
  const masks = new Map<string, number>()
  for (const id of ids.split(' ')) {
    const level = id.length > 2 && id[0] === '@' ? id.charCodeAt(id.length - 1) - 48 : 0
    if (level < 1 || level > 8) continue
    const tube = id.slice(1, -1)
    masks.set(tube, (masks.get(tube) ?? 0) | (1 << level))
  }
  return [...masks].map(([tube, mask]) => `${tube}:${mask}`).sort()
}

describe('validated_tube_levels', () => {
  const stored = async (ids: string | null): Promise<string[] | null> => {
    const { rows } = await db.pool.query('SELECT skill_ids_tube_levels($1::text) AS levels', [ids])
    return rows[0].levels === null ? null : [...rows[0].levels].sort()
  }

  it('groups validated skill ids per tube as level masks; ids that are not @<tube><1–8> are left out', async () => {
    expect(await stored(null)).toBeNull()
    expect(await stored('')).toEqual([])
    expect(await stored('@a1 @a3 @b2 @a1')).toEqual(['a:10', 'b:4'])
    // A tube name may end with a digit: the level is the last character only.
    expect(await stored('@web23 @web28 @web3')).toEqual(['web2:264', 'web:8'])
    expect(await stored('@x0 @x9 @1 @ab x3 @é5 @')).toEqual(['é:32'])
    expect(await stored('@a1  @b2 ')).toEqual(['a:2', 'b:4'])
  })

  it('equals the reference on random id lists', async () => {
    const id = fc.oneof(
      fc.tuple(fc.constantFrom('a', 'web2', 'motsDePasse', 'x'), fc.integer({ min: 0, max: 9 })).map(([t, l]) => `@${t}${l}`),
      fc.string({ maxLength: 6 }).filter((s) => !s.includes(' ')),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(id, { maxLength: 20 }), async (ids) => {
        const text = ids.join(' ')
        expect(await stored(text)).toEqual(tubeLevels(text))
      }),
      { numRuns: 200 },
    )
  })

  it('follows validated_skill_ids whoever writes the snapshot (insert, replica mode, update)', async () => {
    const levelsOf = async (participationId: string) =>
      (await db.pool.query('SELECT validated_skill_ids AS ids, validated_tube_levels AS levels FROM campaign_participations WHERE id = $1', [participationId])).rows[0]
    const started = await insertParticipation(db.db, { campaignId, status: 'STARTED' })
    expect(await levelsOf(started.id)).toEqual({ ids: null, levels: null })
    const t = '2026-01-10T08:00:00.000Z'
    await derived([ke('@a1', 'validated', t), ke('@a2', 'validated', t), ke('@b2', 'invalidated', t)], { replica: true })
    const { rows } = await db.pool.query(
      `SELECT id, validated_skill_ids AS ids, validated_tube_levels AS levels FROM campaign_participations WHERE validated_skill_ids IS NOT NULL`,
    )
    expect(rows.length).toBeGreaterThan(10)
    for (const r of rows) expect([...r.levels].sort()).toEqual(tubeLevels(r.ids))
    const p = rows.find((r) => r.ids === '@a1 @a2')!
    await db.pool.query(`UPDATE knowledge_element_snapshots SET knowledge_elements = $2 WHERE campaign_participation_id = $1`, [
      p.id,
      JSON.stringify([ke('@a1', 'invalidated', t), ke('@c3', 'validated', t)]),
    ])
    expect(await levelsOf(p.id)).toEqual({ ids: '@c3', levels: ['c:8'] })
  })
})
