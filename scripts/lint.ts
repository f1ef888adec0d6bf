/**
 * npm run lint — module boundaries (dependency-cruiser over server/boundaries.json) and the rule
 * that only server/src/lti knows LTI: claim URIs and role URNs appear nowhere else in server/src or client/src.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(__dirname, '..')
const LTI_MARKERS = [/purl\.imsglobal\.org\/spec\/lti/, /purl\.imsglobal\.org\/vocab\/lis/, /https:\/\/purl\.imsglobal\.org\/spec\/lti-ags/]

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    if (name === 'node_modules' || name === 'dist') continue
    if (statSync(full).isDirectory()) walk(full, out)
    else if (/\.(ts|tsx)$/.test(name)) out.push(full)
  }
  return out
}

/** Files outside server/src/lti (and outside tests and the LMS emulator) that name LTI claims. */
export function findLtiLeaks(root: string = ROOT): string[] {
  const files = [...walk(join(root, 'server', 'src')), ...walk(join(root, 'client', 'src'))]
  return files
    .filter((f) => !relative(root, f).startsWith(join('server', 'src', 'lti')))
    .filter((f) => !/\.test\.tsx?$/.test(f))
    .filter((f) => LTI_MARKERS.some((re) => re.test(readFileSync(f, 'utf8'))))
    .map((f) => relative(root, f))
}

function main(): void {
  let failed = false
  try {
    execFileSync('npx', ['depcruise', '--config', 'server/.dependency-cruiser.cjs', 'server/src'], { cwd: ROOT, stdio: 'inherit' })
  } catch {
    failed = true
  }
  const leaks = findLtiLeaks()
  if (leaks.length) {
    failed = true
    console.error(`LTI claim names outside server/src/lti (only lti/ may know LTI):\n${leaks.map((l) => `  - ${l}`).join('\n')}`)
  } else {
    console.log('✔ LTI claims stay in server/src/lti')
  }
  process.exit(failed ? 1 : 0)
}

if (require.main === module) main()
