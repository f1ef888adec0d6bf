/** The boundaries are enforced, not just written down: a forbidden import makes the lint fail. */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { findLtiLeaks } from './lint'

const ROOT = join(__dirname, '..')

function cruise(tree: Record<string, string>): { ok: boolean; output: string } {
  // A copy of the rules in a scratch tree shaped like the repository (server/src/...).
  const dir = mkdtempSync(join(ROOT, '.data', 'boundaries-'))
  try {
    mkdirSync(join(dir, 'server'), { recursive: true })
    cpSync(join(ROOT, 'server', 'boundaries.json'), join(dir, 'server', 'boundaries.json'))
    cpSync(join(ROOT, 'server', '.dependency-cruiser.cjs'), join(dir, 'server', '.dependency-cruiser.cjs'))
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }))
    for (const [file, content] of Object.entries(tree)) {
      mkdirSync(join(dir, file, '..'), { recursive: true })
      writeFileSync(join(dir, file), content)
    }
    try {
      const output = execFileSync(join(ROOT, 'node_modules', '.bin', 'depcruise'), ['--config', 'server/.dependency-cruiser.cjs', 'server/src'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: 'pipe',
      })
      return { ok: true, output }
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string }
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('module boundaries', () => {
  jest.setTimeout(60_000)

  it('fails when a file of assessment/engine imports from db/', () => {
    const result = cruise({
      'server/src/db/client.ts': 'export const pool = 1\n',
      'server/src/assessment/engine/next-step.ts': "import { pool } from '../../db/client'\nexport const x = pool\n",
    })
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/engine-is-pure: server\/src\/assessment\/engine\/next-step\.ts → server\/src\/db\/client\.ts/)
  })

  it('fails when the engine imports a node built-in', () => {
    const result = cruise({ 'server/src/assessment/engine/clock.ts': "import { performance } from 'node:perf_hooks'\nexport const t = performance\n" })
    expect(result.ok).toBe(false)
  })

  it('passes for an allowed import (assessment → engine)', () => {
    const result = cruise({
      'server/src/assessment/engine/next-step.ts': 'export const nextStep = 1\n',
      'server/src/assessment/submit-answer.ts': "import { nextStep } from './engine/next-step'\nexport const y = nextStep\n",
    })
    expect(result.output).toContain('no dependency violations')
    expect(result.ok).toBe(true)
  })

  it('the real tree has no LTI claim outside server/src/lti', () => {
    expect(findLtiLeaks()).toEqual([])
  })
})
