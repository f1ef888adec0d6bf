/**
 * The demo LMS: a small LTI 1.3 platform that behaves like Moodle 4.5 (see README.md beside this file).
 * `npm start` serves it on 127.0.0.1 — another site than Jalon's localhost, as a real LMS would be —
 * and tests use it as the platform.
 */
import type { AddressInfo } from 'node:net'
import express from 'express'

export interface LmsEmulator {
  url: string
  close(): Promise<void>
}

export async function startLmsEmulator(options: { toolUrl: string; port?: number; host?: string }): Promise<LmsEmulator> {
  const app = express()
  app.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>LMS de démonstration</title></head><body><main>
<h1>LMS de démonstration</h1>
<p>Cours « Compétences numériques — L1 ». L’outil Jalon est à <a href="${options.toolUrl}">${options.toolUrl}</a>.</p>
</main></body></html>`)
  })
  const host = options.host ?? '127.0.0.1'
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(options.port ?? 0, host, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
