/**
 * npm run bench:load [-- --only launch,answers,dashboard,export --learners 200 --seconds 20 --rate 1000
 *                       --dashboard-participants 10000 --export-participants 100000]
 * Load test over loopback. Starts an embedded PostgreSQL in a temp DATA_DIR, Jalon in production mode as a
 * child process (built client served; its RSS and CPU are sampled from /proc), and the LMS emulator in this
 * process; registers the tool, then:
 *   launch    — N concurrent learners through the whole LTI dance (login → auth.php → id_token → session);
 *   answers   — N learners already in their test when the clock starts answer (closed loop, then paced at
 *               --rate); one who finishes shares and is replaced by a new one (launch → join → answers);
 *   dashboard — activity / results / analysis of a seeded campaign (--dashboard-participants);
 *   export    — the CSV export of a seeded campaign (--export-participants), streamed.
 * Each figure comes with its limit measured in the same run: bare single-row INSERT transactions on the same
 * PostgreSQL with the same concurrency and pool, and servers making an answer's two round trips and nothing else
 * (bench-floor-server.ts: node:http alone, then behind Jalon's HTTP stack) under the same load; csv-stringify
 * alone on the same rows. Prints a table and
 * writes bench-results/load.json. Every loop is bounded in count and time.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { parse as parseCsv } from 'csv-parse/sync'
import { stringify } from 'csv-stringify'
import { Client, Pool } from 'pg'
import { startLmsEmulator, type LmsEmulator } from './lms-emulator'
import { lightFetch } from './lms-emulator/light-fetch'
import { jalonPlatformRegistration, registerJalonTool } from './lms-emulator/jalon-registration'
import { seedLargeCampaign, type SeedLargeResult } from './seed-large'
import { loadReferential } from '../server/src/content/load-referential'
import type { Challenge } from '../server/src/content/types'
import { connectDatabase } from '../server/src/db/client'
import { freePort, startEmbeddedPostgres } from '../server/src/db/embedded-postgres'
import { runMigrations } from '../server/src/db/migrate'
import { registerPlatform } from '../server/src/lti/register-platform'
import { rightAnswer, wrongAnswer } from '../server/test/learner'

const ROOT = join(__dirname, '..')
const PHASES = ['launch', 'answers', 'dashboard', 'export'] as const
type Phase = (typeof PHASES)[number]

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', default: PHASES.join(',') },
    learners: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    'pool-size': { type: 'string', default: '20' },
    /** Jalon's web processes (WEB_CONCURRENCY): `auto` is one per core; the pool is shared out between them. */
    'web-concurrency': { type: 'string', default: 'auto' },
    'dashboard-participants': { type: 'string', default: '10000' },
    'dashboard-requests': { type: 'string', default: '60' },
    'dashboard-concurrency': { type: 'string', default: '4' },
    'export-participants': { type: 'string', default: '100000' },
    'log-level': { type: 'string', default: 'info' },
    /** e.g. --cpu-prof --cpu-prof-dir=tmp/prof: profile the server. */
    'server-node-args': { type: 'string', default: '' },
  },
})
const only = new Set(args.only.split(',').map((s) => s.trim()) as Phase[])
for (const p of only) if (!PHASES.includes(p)) throw new Error(`--only: unknown phase ${p} (${PHASES.join(', ')})`)
const LEARNERS = Number(args.learners)
const SECONDS = Number(args.seconds)
const RATE = Number(args.rate)
const POOL_SIZE = Number(args['pool-size'])
const WEB_CONCURRENCY = args['web-concurrency'] === 'auto' ? availableParallelism() : Number(args['web-concurrency'])
const JALON_SECRET_KEY = 'bench-secret-key-for-jalon-0123456789abcdef'

// --- measurement ---------------------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN)

interface Row {
  phase: string
  name: string
  count: number
  errors: number
  perSecond: number
  p50: number
  p95: number
  p99: number
  max: number
}

class Recorder {
  private readonly lat = new Map<string, number[]>()
  private readonly err = new Map<string, number>()
  readonly errorSamples: string[] = []
  constructor(readonly phase: string) {}
  ok(name: string, ms: number) {
    let a = this.lat.get(name)
    if (!a) this.lat.set(name, (a = []))
    a.push(ms)
  }
  fail(name: string, ms: number, why: string) {
    this.ok(name, ms)
    this.err.set(name, (this.err.get(name) ?? 0) + 1)
    if (this.errorSamples.length < 10) this.errorSamples.push(`${name}: ${why.slice(0, 200)}`)
  }
  rows(seconds: number): Row[] {
    return [...this.lat].map(([name, a]) => {
      const s = [...a].sort((x, y) => x - y)
      const r = (v: number) => Math.round(v * 10) / 10
      return {
        phase: this.phase,
        name,
        count: a.length,
        errors: this.err.get(name) ?? 0,
        perSecond: Math.round(a.length / seconds),
        p50: r(percentile(s, 50)),
        p95: r(percentile(s, 95)),
        p99: r(percentile(s, 99)),
        max: r(s.at(-1) ?? NaN),
      }
    })
  }
}

/**
 * Server RSS and CPU from /proc, summed over Jalon's process and its children (the web processes of
 * WEB_CONCURRENCY), and the RSS of the largest single process (the one serving an export): sampled every
 * 100 ms, max kept per phase. The children are listed again every second (a replaced process is seen).
 */
class ProcessSampler {
  private timer?: NodeJS.Timeout
  private children = { at: 0, pids: [] as number[] }
  maxRssMb = 0
  maxProcessRssMb = 0
  constructor(private readonly pid: number) {}
  private pids(): number[] {
    if (Date.now() - this.children.at > 1000) {
      const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(this.read(Number(d), 'stat').split(') ')[1]?.split(' ')[1]) === this.pid)
      this.children = { at: Date.now(), pids: pids.map(Number) }
    }
    return [this.pid, ...this.children.pids]
  }
  private read(pid: number, file: string): string {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8')
    } catch {
      return '' // a process that ended between listing and reading
    }
  }
  private rssOf(pid: number): number {
    return Number(/VmRSS:\s+(\d+) kB/.exec(this.read(pid, 'status'))?.[1] ?? 0) / 1024
  }
  rssMb(): number {
    return this.pids().reduce((sum, pid) => sum + this.rssOf(pid), 0)
  }
  cpuSeconds(): number {
    return this.pids().reduce((sum, pid) => {
      const fields = this.read(pid, 'stat').split(') ')[1]?.split(' ') ?? []
      return sum + (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100 // utime + stime, clock ticks (100/s)
    }, 0)
  }
  private sample() {
    const each = this.pids().map((pid) => this.rssOf(pid))
    this.maxRssMb = Math.max(this.maxRssMb, each.reduce((a, b) => a + b, 0))
    this.maxProcessRssMb = Math.max(this.maxProcessRssMb, ...each)
  }
  start() {
    this.maxRssMb = 0
    this.maxProcessRssMb = 0
    this.sample()
    this.timer = setInterval(() => this.sample(), 100)
  }
  stop() {
    clearInterval(this.timer)
  }
}

// --- the system under test -----------------------------------------------------------------------------

interface Env {
  jalonUrl: string
  databaseUrl: string
  server: ChildProcess
  sampler: ProcessSampler
  emu: LmsEmulator
  resourceLinkId: string
  campaignCode: string
  dataDir: string
  logFile: string
  stop(): Promise<void>
}

async function startEnvironment(): Promise<Env> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jalon-bench-'))
  const embedded = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), database: 'jalon', persistent: false })
  const databaseUrl = embedded.url('jalon')
  await runMigrations(databaseUrl)
  const port = await freePort()
  const jalonUrl = `http://127.0.0.1:${port}`
  const emu = await startLmsEmulator({ toolUrl: jalonUrl, scoreTimestampResolution: 'millisecond' })
  const details = registerJalonTool(emu, jalonUrl)
  const database = connectDatabase(databaseUrl, { poolSize: 2 })
  const platform = await registerPlatform(jalonPlatformRegistration(details, { organizationName: 'Université du banc de charge' }), {
    db: database.db,
  })
  // The campaign the LMS activity is bound to (custom parameter, as deep linking leaves it).
  const { rows: teacher } = await database.pool.query(`INSERT INTO users (first_name, last_name) VALUES ('Claire', 'Charge') RETURNING id`)
  const campaignCode = 'CHARGE' + String(Math.floor(Math.random() * 900) + 100)
  const { rows: campaign } = await database.pool.query(
    `INSERT INTO campaigns (organization_id, code, name, title, type, target_profile_id, owner_id, creator_id)
     VALUES ($1, $2, 'Banc de charge', 'Positionnement', 'ASSESSMENT', 'tp_panorama_rentree', $3, $3) RETURNING id`,
    [platform.organizationId, campaignCode, teacher[0].id],
  )
  await database.close()
  const link = emu.createResourceLink({ name: 'Positionnement (Jalon)', customParameters: { jalon_campaign: campaign[0].id }, lineItem: { scoreMaximum: 100 } })

  const logFile = join(dataDir, 'jalon.log')
  const log = openSync(logFile, 'a')
  const server = spawn(process.execPath, [...args['server-node-args'].split(' ').filter(Boolean), '--import', 'tsx', join(ROOT, 'server', 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(Math.ceil(POOL_SIZE / WEB_CONCURRENCY)),
      WEB_CONCURRENCY: String(WEB_CONCURRENCY),
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: jalonUrl,
      DATA_DIR: dataDir,
      SERVE_CLIENT: 'true',
      LOG_LEVEL: args['log-level'],
      DEMO_SEED: 'false',
      JALON_SECRET_KEY,
    },
    stdio: ['ignore', log, log],
  })
  const deadline = Date.now() + 60_000
  for (;;) {
    if (server.exitCode !== null) throw new Error(`Jalon exited (${server.exitCode}):\n${readFileSync(logFile, 'utf8').slice(-2000)}`)
    if (Date.now() > deadline) throw new Error(`Jalon did not answer /healthz in 60 s:\n${readFileSync(logFile, 'utf8').slice(-2000)}`)
    const ok = await fetch(`${jalonUrl}/healthz`).then((r) => r.ok, () => false)
    if (ok) break
    await sleep(200)
  }
  const sampler = new ProcessSampler(server.pid!)
  return {
    jalonUrl,
    databaseUrl,
    server,
    sampler,
    emu,
    resourceLinkId: link.id,
    campaignCode,
    dataDir,
    logFile,
    async stop() {
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await Promise.race([exited, sleep(15_000)])
      if (server.exitCode === null) server.kill('SIGKILL')
      await emu.close()
      await embedded.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// --- learners ------------------------------------------------------------------------------------------

const referential = loadReferential()
let studentSeq = 0

/** A new enrolled student in the emulator's course (Moodle user). */
function addStudent(emu: LmsEmulator): string {
  const n = ++studentSeq
  const id = emu.state.nextUserId()
  emu.state.users.set(id, {
    id,
    username: `etu${n}`,
    givenName: `Prénom${n}`,
    familyName: `Nom${n}`,
    email: `etu${n}@banc.jalon.test`,
    idnumber: `ETU${String(n).padStart(6, '0')}`,
    courseRole: 'student',
    siteAdmin: false,
    label: `Étudiant ${n}`,
  })
  return id
}

const LAUNCH_PATHS: Record<string, string> = {
  '/lti/login': 'POST /lti/login',
  '/mod/lti/auth.php': 'emulator auth.php (signs the id_token)',
  '/lti/launch': 'POST /lti/launch (id_token, user upsert)',
}

/** The whole launch: the OIDC dance through the emulator, then the one-time code exchanged for a bearer token. */
async function launch(env: Env, rec: Recorder, userId: string): Promise<string> {
  const timed: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const name = LAUNCH_PATHS[url.pathname] ?? url.pathname
    const t = performance.now()
    const res = await lightFetch(input, init) // node:http: undici's fetch made this process the limit
    const ms = performance.now() - t
    if (res.status >= 400) rec.fail(name, ms, `HTTP ${res.status}`)
    else rec.ok(name, ms)
    return res
  }
  // A refused or broken launch is counted and the worker goes on: a plain Error here used to end the whole bench.
  const refused = (why: string) => {
    rec.fail('launch refused or broken', 0, why)
    return new HttpError(why)
  }
  const r = await env.emu.launch({ userId, resourceLinkId: env.resourceLinkId, fetch: timed }).catch((err: Error) => {
    throw refused(err.message)
  })
  const location = r.launchResponse.headers.get('location')
  const code = location ? new URL(location, env.jalonUrl).searchParams.get('launch') : null
  if (!code) throw refused(`launch refused: ${r.launchResponse.status} ${r.launchBody.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}`)
  const session = await api<{ token: string }>(env, rec, 'POST /api/lti/session', 'POST', '/api/lti/session', { body: { code } })
  return session.token
}

class HttpError extends Error {}

async function api<T>(
  env: Env,
  rec: Recorder,
  name: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; cookie?: string; since?: number } = {},
): Promise<T> {
  const t = options.since ?? performance.now()
  const headers: Record<string, string> = {}
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.cookie) headers.cookie = options.cookie
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await lightFetch(`${env.jalonUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
  } catch (err) {
    rec.fail(name, performance.now() - t, (err as Error).message)
    throw new HttpError(`${name}: ${(err as Error).message}`)
  }
  const text = await res.text()
  const ms = performance.now() - t
  if (res.status >= 400) {
    rec.fail(name, ms, `HTTP ${res.status} ${text}`)
    throw new HttpError(`${name}: HTTP ${res.status} ${text.slice(0, 200)}`)
  }
  rec.ok(name, ms)
  return (text ? JSON.parse(text) : undefined) as T
}

/** Runs `workers` loops until the deadline; a loop ends early when `body` answers false. */
async function runWorkers(workers: number, seconds: number, body: (worker: number, stopAt: number) => Promise<boolean>): Promise<number> {
  const t0 = performance.now()
  const stopAt = t0 + seconds * 1000
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (performance.now() < stopAt) {
        try {
          if (!(await body(w, stopAt))) return
        } catch (err) {
          if (!(err instanceof HttpError)) throw err
          await sleep(50) // recorded already; do not spin on a failing server
        }
      }
    }),
  )
  return (performance.now() - t0) / 1000
}

// --- phases --------------------------------------------------------------------------------------------

interface PhaseResult {
  phase: string
  seconds: number
  rows: Row[]
  serverMaxRssMb: number
  /** The largest single Jalon process (with WEB_CONCURRENCY > 1, the sum counts every process's own heap). */
  serverMaxProcessRssMb: number
  serverCpuSeconds: number
  benchCpuSeconds: number
  /** PostgreSQL transactions committed during the phase (pg_stat_database). */
  pgCommits: number
  loadAverage: number[]
  errorSamples: string[]
  extra?: Record<string, unknown>
  /** Jalon's PostgreSQL connections by state / wait event / query, in 250 ms samples. */
  pgConnections?: Record<string, number>
}

async function pgCommits(url: string): Promise<number> {
  const c = new Client({ connectionString: url })
  await c.connect()
  try {
    const { rows } = await c.query(`SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()`)
    return Number(rows[0].n)
  } finally {
    await c.end()
  }
}

/** What Jalon's connections are doing, sampled every 250 ms (pg_stat_activity): where time goes when the server idles. */
function sampleWaits(url: string): () => Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  const client = new Client({ connectionString: url })
  let stop = false
  const loop = (async () => {
    await client.connect()
    while (!stop) {
      const { rows } = await client.query(
        `SELECT state, coalesce(wait_event_type || ':' || wait_event, 'cpu') AS w, left(regexp_replace(query, '\s+', ' ', 'g'), 60) AS q
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      )
      for (const r of rows) {
        const key = r.state === 'active' ? `active ${r.w} ${r.q}` : r.state
        counts[key] = (counts[key] ?? 0) + 1
      }
      await sleep(250)
    }
    await client.end()
  })()
  return async () => {
    stop = true
    await loop
    return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 8))
  }
}

async function measured(env: Env, phase: string, run: (rec: Recorder) => Promise<{ seconds: number; extra?: Record<string, unknown> }>): Promise<PhaseResult> {
  const rec = new Recorder(phase)
  const waits = sampleWaits(env.databaseUrl)
  const commits0 = await pgCommits(env.databaseUrl)
  const cpu0 = env.sampler.cpuSeconds()
  const bench0 = process.cpuUsage()
  env.sampler.start()
  const { seconds, extra } = await run(rec)
  env.sampler.stop()
  const bench = process.cpuUsage(bench0)
  const result: PhaseResult = {
    phase,
    seconds: Math.round(seconds * 10) / 10,
    rows: rec.rows(seconds),
    serverMaxRssMb: Math.round(env.sampler.maxRssMb),
    serverMaxProcessRssMb: Math.round(env.sampler.maxProcessRssMb),
    serverCpuSeconds: Math.round((env.sampler.cpuSeconds() - cpu0) * 10) / 10,
    benchCpuSeconds: Math.round((bench.user + bench.system) / 1e5) / 10,
    pgCommits: (await pgCommits(env.databaseUrl)) - commits0,
    loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
    errorSamples: rec.errorSamples,
    extra,
    pgConnections: await waits(),
  }
  printPhase(result)
  return result
}

async function launchPhase(env: Env): Promise<PhaseResult> {
  return measured(env, 'launch', async (rec) => {
    let done = 0
    const t0 = performance.now()
    const seconds = await runWorkers(LEARNERS, SECONDS, async () => {
      const t = performance.now()
      await launch(env, rec, addStudent(env.emu))
      rec.ok('launch, whole (login → auth → launch → session)', performance.now() - t)
      done++
      return true
    })
    return { seconds, extra: { launchesPerSecond: Math.round(done / ((performance.now() - t0) / 1000)), launches: done } }
  })
}

function answerFor(challenge: Challenge, ability: number) {
  const level = referential.skills.get(challenge.skillId)?.level ?? 3
  const p = 1 / (1 + Math.exp(-1.7 * (ability - level)))
  return Math.random() < p ? rightAnswer(challenge) : wrongAnswer(challenge)
}

interface StepState {
  id: string
  step: { kind: 'challenge'; challenge: { id: string } } | { kind: 'timed-warning' | 'checkpoint'; challengeId: string } | { kind: 'completed' }
}

/**
 * One learner after another on each worker: launch, join, answer until the test ends (then share) or time is up.
 * `intervalMs` > 0 paces each learner's answers (open loop: latency counts from the scheduled time).
 */
interface Learner {
  token: string
  ability: number
  state: StepState
}

/** A new student in the course: launch, join the campaign, open the test. */
async function enterLearner(env: Env, rec: Recorder): Promise<Learner> {
  const token = await launch(env, rec, addStudent(env.emu))
  const ability = 2.8 + 1.3 * Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random())
  const joined = await api<{ assessmentId: string }>(env, rec, 'POST /api/learner/campaigns/:code/participations', 'POST', `/api/learner/campaigns/${env.campaignCode}/participations`, { token, body: {} })
  const state = await api<StepState>(env, rec, 'GET /api/learner/assessments/:id', 'GET', `/api/learner/assessments/${joined.assessmentId}`, { token })
  return { token, ability, state }
}

/**
 * The N learners of an answers phase are in their test before its clock starts: "200 concurrent learners"
 * are 200 learners answering, not 200 launches racing the first answers (launches are measured apart).
 * A learner who finishes is replaced by a new one, launched inside the phase (as in a real morning).
 */
async function learnersInTheirTest(env: Env, n: number): Promise<Learner[]> {
  const rec = new Recorder('ramp-up')
  const ready: Learner[] = []
  for (let i = 0; i < n; i += 20) ready.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => enterLearner(env, rec)))))
  return ready
}

async function answersPhase(env: Env, label: string, intervalMs: number): Promise<PhaseResult> {
  const ready: (Learner | undefined)[] = await learnersInTheirTest(env, LEARNERS)
  return measured(env, label, async (rec) => {
    let answers = 0
    let shared = 0
    const t0 = performance.now()
    const seconds = await runWorkers(LEARNERS, SECONDS, async (w, stopAt) => {
      const learner = ready[w] ?? (await enterLearner(env, rec))
      ready[w] = undefined
      const { token, ability } = learner
      let state = learner.state
      // Spread the learners' first answers over one interval.
      let next = performance.now() + Math.random() * intervalMs
      while (performance.now() < stopAt) {
        const step = state.step
        if (step.kind === 'completed') {
          await api(env, rec, 'POST /api/learner/campaigns/:code/share', 'POST', `/api/learner/campaigns/${env.campaignCode}/share`, { token })
          shared++
          return true
        }
        if (step.kind !== 'challenge') {
          state = await api<StepState>(env, rec, 'POST /api/learner/assessments/:id/start-challenge', 'POST', `/api/learner/assessments/${state.id}/start-challenge`, {
            token,
            body: { challengeId: step.challengeId },
          })
          continue
        }
        const challenge = referential.challenges.get(step.challenge.id)!
        let since: number | undefined
        if (intervalMs > 0) {
          const wait = next - performance.now()
          if (wait > 0) await sleep(wait)
          since = next
          next += intervalMs
          if (next > stopAt) break
        }
        const r = await api<{ state: StepState }>(env, rec, 'POST /api/learner/assessments/:id/answers', 'POST', `/api/learner/assessments/${state.id}/answers`, {
          token,
          since,
          body: { challengeId: challenge.id, value: answerFor(challenge, ability) },
        })
        answers++
        state = r.state
      }
      return false
    })
    const elapsed = (performance.now() - t0) / 1000
    return { seconds, extra: { answersPerSecond: Math.round(answers / elapsed), answers, shared, intervalMs } }
  })
}

/** The limit for answers: bare single-row INSERT transactions, same concurrency (learners) over a pool of the same size. */
async function bareInsertPhase(env: Env): Promise<PhaseResult> {
  const pool = new Pool({ connectionString: env.databaseUrl, max: POOL_SIZE })
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_bare_inserts (id bigserial PRIMARY KEY, learner int NOT NULL, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`)
  try {
    return await measured(env, 'limit: bare INSERT', async (rec) => {
      let n = 0
      const seconds = await runWorkers(LEARNERS, Math.min(SECONDS, 10), async (w) => {
        const t = performance.now()
        await pool.query(`INSERT INTO bench_bare_inserts (learner, value) VALUES ($1, $2)`, [w, 'réponse'])
        rec.ok('INSERT (autocommit, one row)', performance.now() - t)
        n++
        return true
      })
      return { seconds, extra: { insertsPerSecond: Math.round(n / seconds) } }
    })
  } finally {
    await pool.end()
  }
}

/**
 * The floors for answers: the same load (N loops, closed then paced) against a server that makes an answer's two
 * round trips to the same PostgreSQL and nothing else (bench-floor-server.ts), one process with a pool of the
 * same size: with node:http alone (the machine's floor), then behind Jalon's HTTP stack (Express 5, request log,
 * security headers, body parsers: the floor of the stack). What Jalon spends above the second is its own code.
 */
async function floorPhases(env: Env): Promise<PhaseResult[]> {
  const results: PhaseResult[] = []
  for (const stack of ['none', 'jalon'] as const) {
    const name = stack === 'none' ? 'node:http alone' : "Jalon's HTTP stack"
    const port = await freePort()
    const log = openSync(join(env.dataDir, `floor-${stack}.log`), 'a')
    const floor = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench-floor-server.ts')], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: env.databaseUrl, PORT: String(port), POOL_SIZE: String(POOL_SIZE), FLOOR_STACK: stack },
      stdio: ['ignore', log, 'pipe'],
    })
    await new Promise<void>((resolve, reject) => {
      floor.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve())
      floor.once('exit', (code) => reject(new Error(`the floor server exited (${code})`)))
    })
    const url = `http://127.0.0.1:${port}/answers`
    const post = (w: number) => lightFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ learner: w, value: 'réponse' }) })
    const run = (label: string, intervalMs: number) =>
      measured({ ...env, sampler: new ProcessSampler(floor.pid!) }, label, async (rec) => {
        let n = 0
        // Warm the pool's connections first, as Jalon's are by the ramp-up.
        await Promise.all(Array.from({ length: POOL_SIZE }, (_, w) => post(w).then((r) => r.text())))
        const seconds = await runWorkers(LEARNERS, SECONDS, async (w, stopAt) => {
          let next = performance.now() + Math.random() * intervalMs
          while (performance.now() < stopAt) {
            if (intervalMs > 0) {
              const wait = next - performance.now()
              if (wait > 0) await sleep(wait)
            }
            const t = intervalMs > 0 ? next : performance.now()
            next += intervalMs
            const res = await post(w)
            await res.text()
            if (res.status === 201) rec.ok(`POST answer floor (${name})`, performance.now() - t)
            else rec.fail(`POST answer floor (${name})`, performance.now() - t, `HTTP ${res.status}`)
            n++
          }
          return false
        })
        return { seconds, extra: { requestsPerSecond: Math.round(n / seconds) } }
      })
    try {
      results.push(await run(`limit: answer floor, ${name}, closed loop`, 0))
      if (RATE > 0) results.push(await run(`limit: answer floor, ${name}, paced at ${RATE}/s`, (LEARNERS / RATE) * 1000))
    } finally {
      floor.kill('SIGTERM')
    }
  }
  return results
}

async function seed(env: Env, participants: number): Promise<SeedLargeResult> {
  const client = new Client({ connectionString: env.databaseUrl })
  await client.connect()
  try {
    const r = await seedLargeCampaign(client, { participants, referential })
    console.log(`seeded ${r.participants} participants (${r.participations} participations, ${r.snapshots} snapshots, ${r.knowledgeElements} live KEs) in ${(r.ms / 1000).toFixed(1)} s`)
    return r
  } finally {
    await client.end()
  }
}

async function signIn(env: Env, s: SeedLargeResult): Promise<string> {
  const res = await fetch(`${env.jalonUrl}/api/orga/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: s.adminEmail, password: s.adminPassword }),
  })
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`)
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('jalon_orga='))
  if (!cookie) throw new Error('sign-in: no jalon_orga cookie')
  return cookie
}

async function dashboardPhase(env: Env): Promise<PhaseResult> {
  const s = await seed(env, Number(args['dashboard-participants']))
  const cookie = await signIn(env, s)
  const base = `/api/orga/campaigns/${s.campaignId}`
  const endpoints = [
    ['GET …/activity', `${base}/activity`],
    ['GET …/activity/participants (page 1)', `${base}/activity/participants`],
    ['GET …/results', `${base}/results`],
    ['GET …/results/participants (page 1)', `${base}/results/participants`],
    ['GET …/analysis', `${base}/analysis`],
  ] as const
  const requests = Number(args['dashboard-requests'])
  const concurrency = Number(args['dashboard-concurrency'])
  return measured(env, `dashboard (${s.participants} participants)`, async (rec) => {
    const t0 = performance.now()
    for (const [name, path] of endpoints) {
      await api(env, new Recorder('warm-up'), name, 'GET', path, { cookie })
      let left = requests
      await runWorkers(concurrency, 120, async () => {
        if (left-- <= 0) return false
        await api(env, rec, name, 'GET', path, { cookie })
        return true
      })
    }
    return { seconds: (performance.now() - t0) / 1000, extra: { participants: s.participants, participations: s.participations, seedSeconds: s.ms / 1000, requestsPerEndpoint: requests, concurrency } }
  })
}

async function exportPhase(env: Env): Promise<PhaseResult> {
  const s = await seed(env, Number(args['export-participants']))
  const cookie = await signIn(env, s)
  const chunks: Buffer[] = []
  let bytes = 0
  const exportResult = await measured(env, `export (${s.participations} participations)`, async (rec) => {
    const t0 = performance.now()
    const res = await fetch(`${env.jalonUrl}/api/orga/campaigns/${s.campaignId}/export.csv`, { headers: { cookie } })
    const firstByteMs = performance.now() - t0
    if (res.status !== 200 || !res.body) throw new Error(`export: HTTP ${res.status}`)
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk))
      bytes += chunk.byteLength
    }
    const ms = performance.now() - t0
    rec.ok('GET …/export.csv (whole file)', ms)
    return { seconds: ms / 1000, extra: { firstByteMs: Math.round(firstByteMs), megabytes: Math.round(bytes / 1e5) / 10, participations: s.participations, seedSeconds: s.ms / 1000 } }
  })
  // The limit: csv-stringify alone on the same rows, in this process, no database.
  const rows = parseCsv(Buffer.concat(chunks), { delimiter: ';', bom: true }) as string[][]
  chunks.length = 0
  const rec = new Recorder('limit: csv-stringify')
  const t = performance.now()
  let out = 0
  await pipeline(
    (async function* () {
      for (const r of rows) yield r
    })(),
    stringify({ bom: true, delimiter: ';' }),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.length
        cb()
      },
    }),
  )
  const ms = performance.now() - t
  rec.ok(`csv-stringify alone, ${rows.length - 1} rows`, ms)
  const limit: PhaseResult = {
    phase: 'limit: csv-stringify',
    seconds: Math.round(ms / 100) / 10,
    rows: rec.rows(ms / 1000),
    serverMaxRssMb: 0,
    serverMaxProcessRssMb: 0,
    serverCpuSeconds: 0,
    benchCpuSeconds: 0,
    pgCommits: 0,
    loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
    errorSamples: [],
    extra: { rows: rows.length - 1, megabytes: Math.round(out / 1e5) / 10 },
  }
  printPhase(limit)
  exportResult.extra = { ...exportResult.extra, stringifyAloneSeconds: Math.round(ms / 100) / 10 }
  return exportResult
}

// --- report --------------------------------------------------------------------------------------------

function printPhase(r: PhaseResult) {
  const pad = (s: string | number, n: number) => String(s).padStart(n)
  console.log(`\n## ${r.phase} — ${r.seconds} s, server RSS max ${r.serverMaxRssMb} MB (largest process ${r.serverMaxProcessRssMb} MB), server CPU ${r.serverCpuSeconds} s, bench CPU ${r.benchCpuSeconds} s, ${r.pgCommits} PG commits, load ${r.loadAverage.join(' ')}`)
  console.log(`${'endpoint'.padEnd(58)}${pad('count', 8)}${pad('/s', 7)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('errors', 8)}`)
  for (const row of r.rows)
    console.log(`${row.name.padEnd(58)}${pad(row.count, 8)}${pad(row.perSecond, 7)}${pad(row.p50, 9)}${pad(row.p95, 9)}${pad(row.p99, 9)}${pad(row.max, 9)}${pad(row.errors, 8)}`)
  if (r.extra) console.log(JSON.stringify(r.extra))
  if (r.pgConnections) console.log(`PG connections (250 ms samples): ${JSON.stringify(r.pgConnections)}`)
  for (const e of r.errorSamples) console.log(`  error: ${e}`)
}

/** The issue's targets next to the figures and limits of this run: the table the closing note quotes. */
function printSummary(results: PhaseResult[]) {
  const phase = (prefix: string) => results.find((r) => r.phase.startsWith(prefix))
  const row = (r: PhaseResult | undefined, name: string) => r?.rows.find((x) => x.name.startsWith(name))
  const lines: [string, string, string, string][] = []
  const closed = phase('answers, closed loop')
  const paced = phase('answers, paced')
  if (closed) {
    const answer = (r: PhaseResult | undefined) => row(r, 'POST /api/learner/assessments/:id/answers')
    const inserts = Number(phase('limit: bare INSERT')?.extra?.insertsPerSecond ?? NaN)
    const floors = ['node:http alone', "Jalon's HTTP stack"].map((name) => {
      const c = phase(`limit: answer floor, ${name}, closed`)
      const p = phase(`limit: answer floor, ${name}, paced`)
      return `${name}: ${c?.extra?.requestsPerSecond}/s closed${p ? `, ${p.extra?.requestsPerSecond}/s p99 ${row(p, 'POST answer floor')?.p99} ms paced` : ''}`
    })
    const rate = Number(closed.extra?.answersPerSecond)
    const pacedMet = paced && Number(paced.extra?.answersPerSecond) >= 1000 * 0.98 && (answer(paced)?.p99 ?? Infinity) <= 100
    lines.push([
      '≥ 1,000 answers/s, p99 ≤ 100 ms, 200 learners',
      `closed ${rate}/s (p99 ${answer(closed)?.p99} ms)${paced ? `; paced at ${RATE}/s: ${paced.extra?.answersPerSecond}/s, p99 ${answer(paced)?.p99} ms` : ''}`,
      `bare INSERT ${inserts}/s (answers ${Math.round((100 * rate) / inserts)} %); floors: ${floors.join('; ')}`,
      pacedMet ? '✔' : '✘',
    ])
  }
  const launch = phase('launch')
  if (launch) {
    const perSecond = Number(launch.extra?.launchesPerSecond)
    lines.push(['LTI launch ≥ 500/s', `${perSecond}/s (p50 ${row(launch, 'launch, whole')?.p50} ms)`, `bench CPU ${launch.benchCpuSeconds} s, server CPU ${launch.serverCpuSeconds} s`, perSecond >= 500 ? '✔' : '✘'])
  }
  const dashboard = phase('dashboard')
  if (dashboard) {
    const p95 = ['GET …/activity', 'GET …/results', 'GET …/analysis'].map((name) => dashboard.rows.find((r) => r.name === name)?.p95 ?? Infinity)
    lines.push(['dashboard p95 ≤ 300 ms (activity, results, analysis)', p95.map((v) => `${v} ms`).join(', '), dashboard.phase.replace('dashboard ', ''), p95.every((v) => v <= 300) ? '✔' : '✘'])
  }
  const exp = phase('export')
  if (exp) {
    const seconds = exp.seconds
    const alone = Number(exp.extra?.stringifyAloneSeconds)
    const rss = exp.serverMaxProcessRssMb
    lines.push([
      'CSV export ≤ 15 s, RSS ≤ 300 MB, streamed',
      `${seconds} s, first byte ${exp.extra?.firstByteMs} ms, RSS ${rss} MB (largest process)`,
      `csv-stringify alone ${alone} s (${Math.round((10 * seconds) / alone) / 10}×)`,
      seconds <= 15 && rss <= 300 ? '✔' : '✘',
    ])
  }
  console.log('\n## targets')
  for (const [target, measuredFigure, limit, met] of lines) console.log(`${met} ${target}\n    measured: ${measuredFigure}\n    limit:    ${limit}`)
}

async function main() {
  const t0 = performance.now()
  console.log(`bench:load — ${LEARNERS} learners, ${SECONDS} s per load phase, pace ${RATE}/s, pool ${POOL_SIZE}, ${WEB_CONCURRENCY} web process(es), phases ${[...only].join(', ')}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  const env = await startEnvironment()
  console.log(`Jalon (production, pid ${env.server.pid}) on ${env.jalonUrl}, RSS ${Math.round(env.sampler.rssMb())} MB at rest; log ${env.logFile}`)
  const results: PhaseResult[] = []
  try {
    if (only.has('launch')) results.push(await launchPhase(env))
    if (only.has('answers')) {
      results.push(await answersPhase(env, 'answers, closed loop (no think time)', 0))
      if (RATE > 0) results.push(await answersPhase(env, `answers, paced at ${RATE}/s`, (LEARNERS / RATE) * 1000))
      results.push(await bareInsertPhase(env))
      results.push(...(await floorPhases(env)))
    }
    if (only.has('dashboard')) results.push(await dashboardPhase(env))
    if (only.has('export')) results.push(await exportPhase(env))
  } finally {
    await env.stop()
  }
  printSummary(results)
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true })
  const file = join(ROOT, 'bench-results', only.size === PHASES.length ? 'load.json' : `load-${[...only].join('-')}.json`)
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), options: args, cpus: 2, results }, null, 2))
  console.log(`\nwrote ${file} in ${Math.round((performance.now() - t0) / 1000)} s`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
