/**
 * Scale beyond one machine: two Jalon processes on one PostgreSQL (as behind a load balancer), and the
 * split deployment (web instances with SCORE_WORKER=false + `npm run worker`). Outbox rows are claimed
 * with FOR UPDATE SKIP LOCKED and a lease: with several workers polling, no score is ever POSTed twice.
 * Sessions live in PostgreSQL: a bearer token or an Orga cookie opened on one instance works on the other.
 * (Migrations running once when instances start together: server/src/main.process.test.ts.)
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { ltiScoreOutbox } from '../../src/db/schema'
import { enqueueScore, type LaunchContext } from '../../src/lti'
import { systemClock } from '../../src/shared/clock'
import { createTestDatabase, type TestDatabase } from '../db'
import { TEST_SECRET_KEY } from '../lti-rig'
import { ROOT } from '../process'
import { bindDemoActivity, call, FAST_OUTBOX, launchLearner, startJalonNode, startLms, waitFor, type JalonNode, type LmsSide } from './fault-rig'

jest.setTimeout(120_000)

let seq = 0

async function enqueueFor(db: TestDatabase, launches: LaunchContext[], perLearner: number): Promise<string[]> {
  const ids: string[] = []
  for (let k = 0; k < perLearner; k++) {
    for (const launch of launches) {
      const value = ++seq
      const r = await enqueueScore(
        launch,
        { idempotencyKey: `two:${value}`, activityProgress: 'Completed', gradingProgress: 'FullyGraded', scoreGiven: value % 101 },
        { db: db.db, clock: systemClock },
      )
      ids.push(r.id!)
    }
  }
  return ids
}

async function allDelivered(db: TestDatabase, ids: string[]): Promise<boolean> {
  const rows = await db.db.select({ id: ltiScoreOutbox.id, status: ltiScoreOutbox.status }).from(ltiScoreOutbox)
  return rows.filter((r) => ids.includes(r.id)).every((r) => r.status === 'delivered')
}

const deliveredBy = (output: string) => output.split('\n').filter((l) => l.includes('"msg":"score delivered"')).length

describe('two web instances, each with its outbox worker', () => {
  let db: TestDatabase
  let a: JalonNode
  let b: JalonNode
  let lms: LmsSide
  let activityId: string
  const launches: LaunchContext[] = []

  beforeAll(async () => {
    db = await createTestDatabase()
    ;[a, b] = await Promise.all([startJalonNode(db.url, { SCORE_DELIVERY_INTERVAL_MS: '20' }), startJalonNode(db.url, { SCORE_DELIVERY_INTERVAL_MS: '20' })])
    // The platform knows one tool URL (the load balancer's): instance A's here; B is reached directly.
    lms = await startLms(a.url, db.db, 6)
    activityId = (await bindDemoActivity(lms.emu, a.url)).activityId
    for (const id of lms.learners) launches.push((await launchLearner(lms.emu, a.url, id, activityId)).launch as unknown as LaunchContext)
  })
  afterAll(async () => {
    await lms?.emu.close()
    await Promise.all([a?.stop(), b?.stop()])
    await db?.drop()
  })

  test('both workers deliver, and no score is ever POSTed twice', async () => {
    const postsBefore = lms.emu.gradebook.counters.scorePosts
    const ids = await enqueueFor(db, launches, 8)
    await waitFor(() => allDelivered(db, ids), 'every score delivered', 60_000)
    await new Promise((r) => setTimeout(r, 500))
    // One POST per row: a row claimed by both workers would show as an extra POST (then a 409).
    expect(lms.emu.gradebook.counters.scorePosts - postsBefore).toBe(ids.length)
    expect(lms.emu.gradebook.counters.scoresRejected).toBe(0)
    const byA = deliveredBy(a.process.output())
    const byB = deliveredBy(b.process.output())
    expect(byA + byB).toBe(ids.length)
    console.log(`[faults] two workers: ${ids.length} scores, ${byA} delivered by A, ${byB} by B, ${lms.emu.gradebook.counters.scorePosts - postsBefore} POSTs`)
  })

  test('a bearer token and an Orga cookie opened on one instance are valid on the other', async () => {
    const { token } = await launchLearner(lms.emu, a.url, lms.learners[0]!, activityId)
    expect((await call(`${b.url}/api/lti/me`, { token })).status).toBe(200)
    expect((await call(`${b.url}/api/learner/home`, { token })).status).toBe(200)

    const teacher = await launchLearner(lms.emu, a.url, lms.emu.users.teacher.id, activityId)
    const link = await call(`${a.url}/api/lti/orga-link`, { method: 'POST', token: teacher.token })
    expect(link.status).toBe(200)
    const entered = await call(`${b.url}${(link.body as { url: string }).url}`)
    expect(entered.status).toBe(303)
    const cookie = (entered.headers.get('set-cookie') ?? '').split(';')[0]!
    expect(cookie).toMatch(/^jalon_orga=/)
    const me = await call(`${a.url}/api/orga/me`, { cookie })
    expect(me.status).toBe(200)
    // Logging out on B ends the session on A too.
    expect((await call(`${b.url}/api/lti/session`, { method: 'DELETE', token })).status).toBeLessThan(300)
    expect((await call(`${a.url}/api/lti/me`, { token })).status).toBe(401)
  })
})

describe('web instances without a worker + a separate worker process (npm run worker)', () => {
  let db: TestDatabase
  let web: JalonNode
  let lms: LmsSide
  const launches: LaunchContext[] = []
  const workers: { stop(): Promise<number | null>; output(): string }[] = []

  function startWorker(): Promise<(typeof workers)[number]> {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'src', 'worker.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...FAST_OUTBOX, SCORE_DELIVERY_INTERVAL_MS: '20', DATABASE_URL: db.url, JALON_SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: 'info', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const handle = { stop: () => (child.kill('SIGTERM'), exited), output: () => out }
    workers.push(handle)
    return waitFor(() => (out.includes('Jalon score worker is running') ? handle : undefined), 'the worker to start', 60_000)
  }

  beforeAll(async () => {
    db = await createTestDatabase()
    web = await startJalonNode(db.url, { SCORE_WORKER: 'false' })
    lms = await startLms(web.url, db.db, 4)
    const { activityId } = await bindDemoActivity(lms.emu, web.url)
    for (const id of lms.learners) launches.push((await launchLearner(lms.emu, web.url, id, activityId)).launch as unknown as LaunchContext)
  })
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()))
    await lms?.emu.close()
    await web?.stop()
    await db?.drop()
  })

  test('the web instance only queues; two worker processes deliver every score once; SIGTERM lets them finish', async () => {
    const ids = await enqueueFor(db, launches, 5)
    await new Promise((r) => setTimeout(r, 500))
    expect(lms.emu.gradebook.counters.scorePosts).toBe(0)
    const [w1, w2] = await Promise.all([startWorker(), startWorker()])
    await waitFor(() => allDelivered(db, ids), 'every score delivered by the workers', 60_000)
    await new Promise((r) => setTimeout(r, 300))
    expect(lms.emu.gradebook.counters.scorePosts).toBe(ids.length)
    expect(lms.emu.gradebook.counters.scoresAccepted).toBe(ids.length)
    expect(deliveredBy(web.process.output())).toBe(0)
    expect(deliveredBy(w1.output()) + deliveredBy(w2.output())).toBe(ids.length)
    expect(await w1.stop()).toBe(0)
    expect(w1.output()).toContain('"msg":"worker stopped"')
  })
})
