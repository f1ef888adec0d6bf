/** Runs Jalon as a real OS process (node + tsx), as `npm run serve` does, for lifecycle tests. */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export const ROOT = join(__dirname, '..', '..')

export interface JalonProcess {
  child: ChildProcess
  url: string
  output: () => string
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export async function spawnJalon(env: Record<string, string>, timeoutMs = 60_000): Promise<JalonProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SERVE_CLIENT: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Jalon did not start in time:\n${out}`)), timeoutMs)
    const onData = () => {
      const match = out.match(/"url":"(http:[^"]+)","msg":"Jalon is listening"/)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.on('exit', () => {
      clearTimeout(timer)
      reject(new Error(`Jalon exited before listening:\n${out}`))
    })
  })
  return {
    child,
    url,
    output: () => out,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      child.kill(signal)
      return exited
    },
  }
}
