/**
 * The floors under an answer request on this machine, for bench:load: a server that does what an answer does on
 * the wire and nothing else — read a JSON body, one read and one single-statement write on PostgreSQL (the two
 * round trips of an answer), a JSON reply of an answer's size. No session, no validation, no engine.
 *   FLOOR_STACK=none  — node:http alone: the machine's floor.
 *   FLOOR_STACK=jalon — the same handler behind Jalon's HTTP stack (createApp: Express 5, request log, security
 *                       headers, body parsers), logging as in production: the floor of the stack Jalon is built on.
 * Whatever Jalon spends above the second is its own code. Env: DATABASE_URL, PORT, POOL_SIZE. Prints "ready".
 */
import http from 'node:http'
import { Router } from 'express'
import { Pool } from 'pg'
import { createApp } from '../server/src/http/app'
import { createLogger } from '../server/src/shared/logger'

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 20) })
// About the size of Jalon's answer reply (the next question and the progress).
const filler = 'x'.repeat(900)

async function answer(input: { learner: number; value: string }) {
  const { rows } = await pool.query<{ n: number }>({ name: 'floor_read', text: 'SELECT count(*)::int AS n FROM bench_floor_answers WHERE learner = $1', values: [input.learner] })
  await pool.query({ name: 'floor_write', text: 'INSERT INTO bench_floor_answers (learner, value) VALUES ($1, $2)', values: [input.learner, input.value] })
  return { answer: { result: 'ok' }, state: { answeredCount: rows[0]!.n + 1, step: { kind: 'challenge', instruction: filler } } }
}

function bareServer() {
  return http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      answer(JSON.parse(body)).then(
        (reply) => {
          const out = JSON.stringify(reply)
          res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) })
          res.end(out)
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain' })
          res.end(String(err))
        },
      )
    })
  })
}

function jalonStackServer() {
  const router = Router()
  router.post('/answers', async (req, res) => {
    res.status(201).json(await answer(req.body))
  })
  const logger = createLogger('info', 'floor', undefined, { buffered: true })
  return http.createServer(createApp({ logger, pingDatabase: async () => true, version: 'floor', serveClient: false, routers: [router] }))
}

void (async () => {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_floor_answers (id bigserial PRIMARY KEY, learner int NOT NULL, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
     CREATE INDEX IF NOT EXISTS bench_floor_answers_learner ON bench_floor_answers (learner)`,
  )
  const server = process.env.FLOOR_STACK === 'jalon' ? jalonStackServer() : bareServer()
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('ready\n'))
  process.on('SIGTERM', () => {
    server.close()
    void pool.end().then(() => process.exit(0))
  })
})()
