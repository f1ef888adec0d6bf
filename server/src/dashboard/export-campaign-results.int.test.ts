/**
 * The export holds one pooled connection in a transaction while it streams: a download that stops
 * half-way must end that transaction and give the connection back.
 */
import { Writable } from 'node:stream'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertCampaign, insertOrganization, insertParticipation, insertUser } from '../../test/factories'
import type { Campaign } from '../campaigns'
import { loadReferential } from '../content/load-referential'
import { campaignContent } from './campaign-content'
import { EXPORT_BATCH, exportCampaignResults } from './export-campaign-results'

const referential = loadReferential()
const tp = referential.targetProfiles.get('tp_kit_survie')!
let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

it('rolls back and releases its connection when the download stops half-way', async () => {
  const org = await insertOrganization(db.db)
  const owner = await insertUser(db.db)
  const campaign = await insertCampaign(db.db, { organizationId: org.id, ownerId: owner.id, targetProfileId: tp.id })
  for (let i = 0; i < EXPORT_BATCH + 10; i++) await insertParticipation(db.db, { campaignId: campaign.id, status: 'TO_SHARE' })
  let written = 0
  const out = new Writable({
    write(_chunk, _encoding, callback) {
      written++
      callback(written > 2 ? new Error('client went away') : null)
    },
  })
  const ctx = { organizationName: 'Université', studentColumns: null, campaign: campaign as unknown as Campaign, referential, content: campaignContent(referential, tp) }
  await expect(exportCampaignResults(db.pool, ctx, out)).rejects.toThrow('client went away')
  // The generator ends (ROLLBACK, release) once the stream is destroyed, just after the rejection.
  for (let i = 0; i < 50 && db.pool.idleCount !== db.pool.totalCount; i++) await new Promise((r) => setTimeout(r, 20))
  expect(db.pool.idleCount).toBe(db.pool.totalCount)
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
  )
  expect(rows[0].n).toBe(0)
})
