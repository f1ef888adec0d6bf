/**
 * Fault: Jalon killed with SIGKILL while many answers are in flight. After the restart each learner's
 * bearer session still works, the test resumes at the same question, every acknowledged answer is in the
 * database once, an unacknowledged one is either fully recorded or absent, and retrying it is idempotent
 * (200 "already recorded" with the stored outcome, or 201 when it had not landed).
 */
import { eq, inArray, sql } from 'drizzle-orm'
import { loadReferential } from '../../src/content/load-referential'
import { answers, assessments, campaigns, knowledgeElements } from '../../src/db/schema'
import { createTestDatabase, type TestDatabase } from '../db'
import { rightAnswer, wrongAnswer, type AnswerValue } from '../learner'
import { bindDemoActivity, call, launchLearner, startJalonNode, startLms, waitFor, type JalonNode, type LmsSide } from './fault-rig'

jest.setTimeout(120_000)

const LEARNERS = 12
const referential = loadReferential()

interface Step {
  kind: string
  challenge?: { id: string }
  challengeId?: string
}
interface Learner {
  token: string
  assessmentId: string
  /** Challenges whose answer the server acknowledged (2xx). */
  acked: string[]
  /** The answer sent when the server died: its fate is unknown to the client. */
  inFlight?: { challengeId: string; value: AnswerValue }
  /** The question the client was showing when the loop ended. */
  showing?: string
}

let db: TestDatabase
let node: JalonNode
let lms: LmsSide
let code: string
let activityId: string

beforeAll(async () => {
  db = await createTestDatabase()
  node = await startJalonNode(db.url)
  lms = await startLms(node.url, db.db, LEARNERS)
  const bound = await bindDemoActivity(lms.emu, node.url)
  activityId = bound.activityId
  const [c] = await db.db.select({ code: campaigns.code }).from(campaigns).where(eq(campaigns.id, bound.campaignId))
  code = c!.code
})
afterAll(async () => {
  await lms?.emu.close()
  await node?.stop()
  await db?.drop()
})

const api = (path: string) => `${node.url}/api/learner${path}`
const challengeOf = (step: Step) => step.challenge?.id ?? step.challengeId

/** Answers one question (or opens the next one); returns the new state's step. */
async function stepOnce(l: Learner, step: Step, i: number): Promise<Step> {
  if (step.kind !== 'challenge') {
    const r = await call(api(`/assessments/${l.assessmentId}/start-challenge`), { method: 'POST', token: l.token, body: { challengeId: step.challengeId } })
    if (r.status !== 200) throw new Error(`start-challenge ${r.status}`)
    return (r.body as { step: Step }).step
  }
  const ch = referential.challenges.get(step.challenge!.id)!
  const value = i % 3 === 0 ? wrongAnswer(ch) : rightAnswer(ch)
  l.inFlight = { challengeId: ch.id, value }
  const r = await call(api(`/assessments/${l.assessmentId}/answers`), { method: 'POST', token: l.token, body: { challengeId: ch.id, value } })
  if (r.status !== 201) throw new Error(`answer ${r.status} ${JSON.stringify(r.body)}`)
  l.acked.push(ch.id)
  l.inFlight = undefined
  return (r.body as { state: { step: Step } }).state.step
}

async function dbAnswers(assessmentId: string) {
  return db.db.select().from(answers).where(eq(answers.assessmentId, assessmentId))
}

test('SIGKILL with answers in flight: nothing acknowledged is lost, nothing is doubled, each learner resumes at the same question', async () => {
  const learners: Learner[] = []
  for (const id of lms.learners) {
    const { token } = await launchLearner(lms.emu, node.url, id, activityId)
    const p = await call(api(`/campaigns/${code}/participations`), { method: 'POST', token, body: {} })
    expect(p.status).toBe(201)
    learners.push({ token, assessmentId: (p.body as { assessmentId: string }).assessmentId, acked: [] })
  }

  // Every learner answers as fast as the server allows; the process is killed once enough answers are acknowledged.
  let killed = false
  const loops = learners.map(async (l) => {
    let step = ((await call(api(`/assessments/${l.assessmentId}`), { token: l.token })).body as { step: Step }).step
    for (let i = 0; i < 200 && !killed && step.kind !== 'completed'; i++) {
      l.showing = challengeOf(step)
      try {
        step = await stepOnce(l, step, i)
      } catch {
        return // the server died under this request
      }
    }
  })
  // Kill at a moment when some answer is on the wire (on a fast machine learners may be between requests).
  await waitFor(
    () => learners.reduce((n, l) => n + l.acked.length, 0) >= 60 && learners.some((l) => l.inFlight),
    '60 acknowledged answers and one in flight',
    60_000,
    1,
  )
  await node.kill()
  killed = true
  await Promise.all(loops)
  const inFlightCount = learners.filter((l) => l.inFlight).length
  expect(inFlightCount).toBeGreaterThan(0)

  await node.restart()
  let landed = 0
  for (const l of learners) {
    const stored = await dbAnswers(l.assessmentId)
    const storedIds = stored.map((a) => a.challengeId)
    // Acknowledged ⊆ stored ⊆ acknowledged + the one in flight; never twice.
    expect(new Set(storedIds).size).toBe(storedIds.length)
    for (const c of l.acked) expect(storedIds).toContain(c)
    const extra = storedIds.filter((c) => !l.acked.includes(c))
    expect(extra.every((c) => c === l.inFlight?.challengeId)).toBe(true)

    // The bearer session survived the crash (it lives in PostgreSQL), and the test resumes where it was.
    const state = await call(api(`/assessments/${l.assessmentId}`), { token: l.token })
    expect(state.status).toBe(200)
    const resumedAt = challengeOf((state.body as { step: Step }).step)
    const inFlightLanded = l.inFlight !== undefined && storedIds.includes(l.inFlight.challengeId)
    if (!inFlightLanded) expect(resumedAt).toBe(l.showing)
    else expect(storedIds).not.toContain(resumedAt)

    if (l.inFlight) {
      // The client retries what it never saw acknowledged: same outcome, recorded once.
      const retry = await call(api(`/assessments/${l.assessmentId}/answers`), { method: 'POST', token: l.token, body: l.inFlight })
      expect(retry.status).toBe(inFlightLanded ? 200 : 201)
      if (inFlightLanded) {
        landed++
        const row = stored.find((a) => a.challengeId === l.inFlight!.challengeId)!
        expect((retry.body as { answer: { result: string } }).answer.result).toBe(row.result)
      }
      const again = await call(api(`/assessments/${l.assessmentId}/answers`), { method: 'POST', token: l.token, body: l.inFlight })
      expect(again.status).toBe(200)
      l.acked.push(l.inFlight.challengeId)
      l.inFlight = undefined
    }
    // And carries on normally.
    let step = ((await call(api(`/assessments/${l.assessmentId}`), { token: l.token })).body as { step: Step }).step
    for (let i = 0; i < 4 && step.kind !== 'completed'; i++) step = await stepOnce(l, step, i)
    const after = await dbAnswers(l.assessmentId)
    expect(after.map((a) => a.challengeId).sort()).toEqual([...l.acked].sort())
  }

  // No partial write: every answer has the knowledge element of its own skill, written in its transaction.
  const ids = learners.map((l) => l.assessmentId)
  const orphans = await db.db
    .select({ id: answers.id })
    .from(answers)
    .where(
      sql`${inArray(answers.assessmentId, ids)} AND NOT EXISTS (SELECT 1 FROM ${knowledgeElements} ke WHERE ke.answer_id = ${answers.id} AND ke.source = 'direct')`,
    )
  expect(orphans).toEqual([])
  // Each started assessment points at a question not answered yet.
  const open = await db.db.select().from(assessments).where(inArray(assessments.id, ids))
  for (const a of open.filter((x) => x.state === 'started')) {
    expect((await dbAnswers(a.id)).map((x) => x.challengeId)).not.toContain(a.currentChallengeId)
  }
  const total = learners.reduce((n, l) => n + l.acked.length, 0)
  console.log(`[faults] answers: SIGKILL with ${inFlightCount} answers in flight (${landed} had committed), ${total} answers checked`)
})
