/**
 * npm test — every check, in order: typecheck, lint (boundaries), client build (browser tests open
 * it), then jest (unit, integration on a real PostgreSQL, browser). Ends with one plain line
 * `N passed, N failed`: jest tests plus the three checks above counted as one test each.
 * Extra arguments go to jest (e.g. `npm test -- server/src/content`).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(__dirname, '..')
const jestArgs = process.argv.slice(2)

let passed = 0
let failed = 0

function step(name: string, cmd: string, args: string[]): boolean {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`)
  const started = Date.now()
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env })
  const ok = result.status === 0
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  if (ok) passed++
  else failed++
  return ok
}

step('typecheck (server)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'])
step('typecheck (client)', 'npx', ['tsc', '--noEmit', '-p', 'client/tsconfig.json'])
step('lint', 'npx', ['tsx', 'scripts/lint.ts'])
step('client build', 'npx', ['vite', 'build', '--config', 'client/vite.config.mts', '--logLevel', 'warn'])

const resultsDir = join(ROOT, '.data')
mkdirSync(resultsDir, { recursive: true })
const resultsFile = join(resultsDir, `jest-results-${process.pid}.json`)
console.log('\n▶ jest')
const jest = spawnSync('npx', ['jest', '--config', 'server/jest.config.js', '--json', `--outputFile=${resultsFile}`, ...jestArgs], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
})
try {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as {
    numPassedTests: number
    numFailedTests: number
    numPendingTests: number
    numRuntimeErrorTestSuites: number
  }
  passed += results.numPassedTests
  // A suite that crashed before its tests ran counts as one failure.
  failed += results.numFailedTests + results.numRuntimeErrorTestSuites
  if (results.numPendingTests) console.log(`(${results.numPendingTests} skipped)`)
  rmSync(resultsFile, { force: true })
} catch {
  failed++
  console.error('jest produced no results')
}
if (jest.status !== 0 && failed === 0) failed++

console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
