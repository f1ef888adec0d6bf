import { rmSync } from 'node:fs'

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __JALON_PG__?: { stop(): Promise<void>; dataDir: string } }
  if (!g.__JALON_PG__) return
  await g.__JALON_PG__.stop()
  rmSync(g.__JALON_PG__.dataDir, { recursive: true, force: true })
}
