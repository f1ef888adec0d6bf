/**
 * The Orga dashboard reads grade deliveries per (campaign, participants) on every Activité page: without an index
 * on (campaign_id, user_id) each view scanned every outbox row of the campaign (or of the table), a cost any
 * member can repeat at will. The plan must use lti_score_outbox_campaign_user_idx, never a sequential scan.
 */
import { and, asc, eq, inArray } from 'drizzle-orm'
import { ltiScoreOutbox } from '../../src/db/schema'
import { listScoreDeliveries } from '../../src/lti'
import { registerPlatform } from '../../src/lti/register-platform'
import { createTestDatabase, type TestDatabase } from '../db'

let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
}, 60_000)
afterAll(async () => {
  await db?.drop()
})

it('the grade-delivery lookup per (campaign, users) uses lti_score_outbox_campaign_user_idx, with or without user ids', async () => {
  const platform = await registerPlatform(
    {
      name: 'Moodle',
      issuer: 'https://moodle.index.test',
      clientId: 'c',
      authLoginUrl: 'https://moodle.index.test/auth',
      authTokenUrl: 'https://moodle.index.test/token',
      jwksUrl: 'https://moodle.index.test/certs',
      deploymentIds: ['1'],
      organizationName: 'Index',
    },
    { db: db.db },
  )
  // 400 learners, 50 campaigns, 2 scores each per campaign: 40,000 rows, enough for the planner to prefer an index.
  await db.pool.query(`INSERT INTO users (first_name) SELECT 'u' || g FROM generate_series(1, 400) g`)
  await db.pool.query(
    `INSERT INTO lti_score_outbox (idempotency_key, platform_id, stream_key, user_id, subject, campaign_id, activity_progress, grading_progress, score_timestamp)
     SELECT 'k-' || c.n || '-' || u.id || '-' || s, $1, 'stream-' || u.id, u.id, 'sub', c.id, 'Completed', 'FullyGraded', now()
     FROM users u, (SELECT n, gen_random_uuid() AS id FROM generate_series(1, 50) n) c, generate_series(1, 2) s`,
    [platform.id],
  )
  await db.pool.query('ANALYZE lti_score_outbox')
  const { rows: pick } = await db.pool.query<{ campaign_id: string; user_id: string }>(`SELECT campaign_id, user_id FROM lti_score_outbox ORDER BY seq LIMIT 3`)
  const campaignId = pick[0]!.campaign_id
  const userIds = [...new Set(pick.map((r) => r.user_id))]
  expect(await listScoreDeliveries({ campaignId, userIds }, { db: db.db })).toEqual(
    expect.arrayContaining([expect.objectContaining({ campaignId, userId: userIds[0] })]),
  )

  // The statements listScoreDeliveries sends (score-outbox.ts): dashboard (campaign + users) and teacher view (campaign).
  const queries = [
    db.db.select().from(ltiScoreOutbox).where(and(eq(ltiScoreOutbox.campaignId, campaignId), inArray(ltiScoreOutbox.userId, userIds))).orderBy(asc(ltiScoreOutbox.seq)),
    db.db.select().from(ltiScoreOutbox).where(eq(ltiScoreOutbox.campaignId, campaignId)).orderBy(asc(ltiScoreOutbox.seq)),
  ]
  for (const q of queries) {
    const { sql, params } = q.toSQL()
    const { rows } = await db.pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params)
    const plan = JSON.stringify(rows[0]!['QUERY PLAN'])
    expect([sql, plan.includes('lti_score_outbox_campaign_user_idx')]).toEqual([sql, true])
    expect([sql, plan.includes('"Seq Scan"')]).toEqual([sql, false])
  }
})
