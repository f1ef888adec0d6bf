import { Router } from 'express'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { listen, type TestServer } from '../../test/http'
import { testLogger } from '../../test/logger'
import { pingDatabase } from '../db/client'
import { NotFound } from '../shared/app-error'
import { createApp } from './app'
import type { ErrorBody } from './error-handler'

const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error

let db: TestDatabase
let server: TestServer
let databaseUp = true

beforeAll(async () => {
  db = await createTestDatabase()
  const probe = Router()
  probe.get('/probe/domain-error', () => {
    throw new NotFound('Rien ici.')
  })
  probe.get('/probe/crash', () => {
    throw new Error('secret internal detail at /srv/app.ts:12')
  })
  probe.post('/probe/echo', (req, res) => {
    res.json(req.body)
  })
  const app = createApp({
    logger: testLogger,
    version: 'test',
    pingDatabase: async () => databaseUp && pingDatabase(db.pool),
    frameAncestors: () => ['https://moodle.example.edu'],
    routers: [probe],
    serveClient: false,
  })
  server = await listen(app)
})
afterAll(async () => {
  await server.close()
  await db.drop()
})

describe('the HTTP edge', () => {
  it('GET /healthz answers 200 when PostgreSQL answers, 503 when it does not', async () => {
    const up = await fetch(`${server.url}/healthz`)
    expect(up.status).toBe(200)
    expect(await up.json()).toMatchObject({ status: 'ok', database: 'up' })
    databaseUp = false
    const down = await fetch(`${server.url}/healthz`)
    databaseUp = true
    expect(down.status).toBe(503)
    expect(await down.json()).toMatchObject({ database: 'down' })
  })

  it('maps a domain error to its status with the { error: { code, message } } shape', async () => {
    const res = await fetch(`${server.url}/probe/domain-error`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Rien ici.' } })
  })

  it('answers 500 without any detail or stack for an unexpected error', async () => {
    const res = await fetch(`${server.url}/probe/crash`)
    expect(res.status).toBe(500)
    const text = await res.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Une erreur inattendue est survenue.' } })
    expect(text).not.toMatch(/secret|srv|at /)
  })

  it('refuses malformed JSON with 400 and oversized bodies with 413', async () => {
    const bad = await fetch(`${server.url}/probe/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' })
    expect(bad.status).toBe(400)
    expect((await errorOf(bad)).code).toBe('INVALID_REQUEST')
    const big = await fetch(`${server.url}/probe/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'x'.repeat(200_000) }),
    })
    expect(big.status).toBe(413)
    expect((await errorOf(big)).code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${server.url}/nope`)
    expect(res.status).toBe(404)
    expect((await errorOf(res)).code).toBe('NOT_FOUND')
  })

  it('sends security headers: CSP without inline script, framing limited to registered platforms', async () => {
    const res = await fetch(`${server.url}/`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("frame-ancestors 'self' https://moodle.example.edu")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-powered-by')).toBeNull()
  })

  it('serves the home page in French', async () => {
    const res = await fetch(`${server.url}/`)
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(body).toContain('<html lang="fr">')
    expect(body).toContain('Jalon')
  })
})
