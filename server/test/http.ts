/** Starts the real Express app on an ephemeral port, against a test database. */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import type { Express } from 'express'

export interface TestServer {
  url: string
  close(): Promise<void>
}

export async function listen(app: Express, host = '127.0.0.1'): Promise<TestServer> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, host, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host === '127.0.0.1' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
