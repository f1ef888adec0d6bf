/**
 * Jalon as an OS process: embedded PostgreSQL lifecycle on SIGTERM, data reused on restart,
 * and two instances starting at once on one database.
 */
import { execSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from 'pg'
import { createEmptyDatabase } from '../test/db'
import { ROOT, spawnJalon } from '../test/process'
import { MIGRATIONS_DIR } from './db/migrate'

jest.setTimeout(120_000)

function postgresProcessesFor(dataDir: string): string[] {
  const ps = execSync('ps -eo pid,args', { encoding: 'utf8' })
  return ps.split('\n').filter((line) => line.includes('postgres') && line.includes(dataDir))
}

describe('Jalon process on its embedded defaults', () => {
  const dataDir = join(ROOT, '.data', `process-test-${process.pid}`)
  beforeAll(() => mkdirSync(dataDir, { recursive: true }))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('serves /healthz, stops PostgreSQL on SIGTERM, and reuses the data directory on restart', async () => {
    const first = await spawnJalon({ DATA_DIR: dataDir, DEMO_SEED: 'true' })
    const health = await fetch(`${first.url}/healthz`)
    expect(health.status).toBe(200)
    expect(postgresProcessesFor(join(dataDir, 'pg')).length).toBeGreaterThan(0)
    expect(await first.stop('SIGTERM')).toBe(0)
    expect(first.output()).toContain('"msg":"stopped"')
    expect(postgresProcessesFor(join(dataDir, 'pg'))).toEqual([])

    const second = await spawnJalon({ DATA_DIR: dataDir })
    try {
      expect((await fetch(`${second.url}/healthz`)).status).toBe(200)
      // The demo organization seeded by the first run is still there: same cluster, same data.
      expect(second.output()).not.toContain('initdb')
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0)
    }
    expect(postgresProcessesFor(join(dataDir, 'pg'))).toEqual([])
  })

  it('refuses a bad configuration with a readable message and no stack', async () => {
    await expect(spawnJalon({ DATA_DIR: dataDir, PORT: 'not-a-port', DATABASE_URL: 'mysql://nope' }, 15_000)).rejects.toThrow(
      /Invalid configuration:\n {2}- PORT: .*\n {2}- DATABASE_URL: must start with postgres/,
    )
  })
})

describe('WEB_CONCURRENCY=2 (node:cluster)', () => {
  const dataDir = join(ROOT, '.data', `cluster-test-${process.pid}`)
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  const listeningPids = (out: string) => [...out.matchAll(/"pid":(\d+),[^\n]*"url":"http[^"]+","msg":"Jalon is listening"/g)].map((m) => Number(m[1]))

  it('serves from two processes on one port, replaces one that dies, and stops them and PostgreSQL on SIGTERM', async () => {
    mkdirSync(dataDir, { recursive: true })
    const jalon = await spawnJalon({ DATA_DIR: dataDir, WEB_CONCURRENCY: '2' })
    const until = async (check: () => boolean, what: string) => {
      for (const deadline = Date.now() + 30_000; !check(); await new Promise((r) => setTimeout(r, 100)))
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${jalon.output()}`)
    }
    await until(() => jalon.output().includes('"processes":2'), 'two web processes')
    const pids = listeningPids(jalon.output())
    expect(new Set(pids).size).toBe(2)
    expect(pids).not.toContain(jalon.child.pid)
    for (let i = 0; i < 10; i++) expect((await fetch(`${jalon.url}/healthz`)).status).toBe(200)

    // A web process killed after its start-up is replaced; the port keeps answering meanwhile.
    await new Promise((r) => setTimeout(r, 5_500))
    process.kill(pids[1]!, 'SIGKILL')
    await until(() => listeningPids(jalon.output()).length === 3, 'a replacement process')
    expect((await fetch(`${jalon.url}/healthz`)).status).toBe(200)

    expect(await jalon.stop('SIGTERM')).toBe(0)
    expect(listeningPids(jalon.output()).filter(alive)).toEqual([])
    expect(postgresProcessesFor(join(dataDir, 'pg'))).toEqual([])
  })
})

describe('two Jalon instances on one external PostgreSQL', () => {
  it('both come up and each migration ran once', async () => {
    const target = await createEmptyDatabase()
    try {
      const [a, b] = await Promise.all([spawnJalon({ DATABASE_URL: target.url }), spawnJalon({ DATABASE_URL: target.url })])
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200)
      expect((await fetch(`${b.url}/healthz`)).status).toBe(200)
      await Promise.all([a.stop(), b.stop()])
      const client = new Client({ connectionString: target.url })
      await client.connect()
      const { rows } = await client.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')
      await client.end()
      expect(rows[0].n).toBe(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length)
    } finally {
      await target.drop()
    }
  })
})
