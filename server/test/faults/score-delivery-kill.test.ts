/**
 * Fault: Jalon killed with SIGKILL while it delivers scores to the LMS (AGS). On restart the outbox
 * resumes and every score is accepted by the platform exactly once — whether the killed request had
 * reached the gradebook (its answer lost) or not. The 500/409/timeout-then-recover cases and a graceful
 * restart are covered by server/src/lti/services.int.test.ts.
 */
import { eq } from 'drizzle-orm'
import { ltiScoreOutbox } from '../../src/db/schema'
import { enqueueScore, type LaunchContext } from '../../src/lti'
import { systemClock } from '../../src/shared/clock'
import { createTestDatabase, type TestDatabase } from '../db'
import { bindDemoActivity, launchLearner, startJalonNode, startLms, waitFor, type JalonNode, type LmsSide } from './fault-rig'

jest.setTimeout(120_000)

let db: TestDatabase
let node: JalonNode
let lms: LmsSide
const launches: LaunchContext[] = []
let scoreSeq = 0

beforeAll(async () => {
  db = await createTestDatabase()
  node = await startJalonNode(db.url)
  lms = await startLms(node.url, db.db, 4)
  const { activityId } = await bindDemoActivity(lms.emu, node.url)
  for (const learner of lms.learners) launches.push((await launchLearner(lms.emu, node.url, learner, activityId)).launch as unknown as LaunchContext)
})
afterAll(async () => {
  await lms?.emu.close()
  await node?.stop()
  await db?.drop()
})

/** Queues `perLearner` graded scores for every learner (distinct values, so each POST is identifiable). */
async function enqueueScores(perLearner: number): Promise<string[]> {
  const ids: string[] = []
  for (let k = 0; k < perLearner; k++) {
    for (const launch of launches) {
      const value = ++scoreSeq
      const r = await enqueueScore(
        launch,
        { idempotencyKey: `kill-test:${value}`, activityProgress: 'Completed', gradingProgress: 'FullyGraded', scoreGiven: value },
        { db: db.db, clock: systemClock },
      )
      expect(r.status).toBe('pending')
      ids.push(r.id!)
    }
  }
  return ids
}

async function outboxRows(ids: string[]) {
  const rows = await db.db.select().from(ltiScoreOutbox)
  return rows.filter((r) => ids.includes(r.id))
}

/** Every queued score accepted by the gradebook exactly once (matched by user, timestamp and value). */
function expectExactlyOnce(rows: Awaited<ReturnType<typeof outboxRows>>): void {
  const log = lms.emu.gradebook.scores()
  for (const row of rows) {
    const hits = log.filter((p) => p.userId === row.subject && p.body.timestamp === row.scoreTimestamp.toISOString() && p.keptScore === row.scoreGiven)
    expect({ id: row.id, accepted: hits.length }).toEqual({ id: row.id, accepted: 1 })
  }
}

async function killMidDelivery(fault: 'lost-response' | 'timeout'): Promise<{ rows: Awaited<ReturnType<typeof outboxRows>>; recoveryMs: number }> {
  lms.emu.clearFaults()
  // A first batch goes through; the first POST of the second batch is held and Jalon is killed while it waits.
  const warm = await enqueueScores(1)
  await waitFor(async () => (await outboxRows(warm)).every((r) => r.status === 'delivered'), 'first deliveries', 20_000, 10)
  const faultsBefore = lms.emu.gradebook.counters.faultsInjected
  lms.emu.failAgs({ mode: fault, times: 1, delayMs: 60_000 })
  const ids = [...warm, ...(await enqueueScores(4))]
  await waitFor(() => lms.emu.gradebook.counters.faultsInjected > faultsBefore, 'a delivery in flight', 20_000, 5)
  await node.kill()
  const before = await outboxRows(ids)
  const pendingAtKill = before.filter((r) => r.status === 'pending')
  expect(pendingAtKill.length).toBeGreaterThan(0)
  // The row in flight was marked "outcome unknown" before its POST: the restart treats a 409 for it as success.
  expect(pendingAtKill.filter((r) => r.outcomeUnknown)).toHaveLength(1)

  lms.emu.clearFaults()
  const restartedAt = Date.now()
  await node.restart()
  await waitFor(async () => (await outboxRows(ids)).every((r) => r.status === 'delivered'), 'every score delivered after the restart', 60_000, 50)
  const recoveryMs = Date.now() - restartedAt
  // A late duplicate would show up here.
  await new Promise((r) => setTimeout(r, 500))
  return { rows: await outboxRows(ids), recoveryMs }
}

test('SIGKILL while the platform has stored a score but not answered: on restart every score is accepted exactly once', async () => {
  const { rows, recoveryMs } = await killMidDelivery('lost-response')
  expectExactlyOnce(rows)
  // The ambiguous row: re-sent with the same timestamp, refused 409 by the gradebook, counted as delivered.
  const ambiguous = rows.filter((r) => r.reason === 'ALREADY_RECORDED')
  expect(ambiguous).toHaveLength(1)
  expect(ambiguous[0]!.attempts).toBeGreaterThanOrEqual(2)
  console.log(`[faults] score outbox after SIGKILL (lost response): ${rows.length} scores delivered, recovery ${recoveryMs} ms (incl. process start and lease)`)
})

test('SIGKILL while the platform has not stored the score: on restart it is delivered, once', async () => {
  const { rows, recoveryMs } = await killMidDelivery('timeout')
  expectExactlyOnce(rows)
  expect(rows.filter((r) => r.reason === 'ALREADY_RECORDED')).toHaveLength(0)
  // Whole run: the gradebook accepted each queued score once and nothing else.
  const all = await db.db.select().from(ltiScoreOutbox).where(eq(ltiScoreOutbox.status, 'delivered'))
  expect(lms.emu.gradebook.counters.scoresAccepted).toBe(all.length)
  console.log(`[faults] score outbox after SIGKILL (request lost): ${rows.length} scores delivered, recovery ${recoveryMs} ms`)
})
