/**
 * Module boundaries of server/src, generated from boundaries.json (the written-down rules).
 * `npm run lint` runs this; server/src/boundaries.test.ts proves a violation fails it.
 */
const boundaries = require('./boundaries.json')

const modules = Object.keys(boundaries).filter((m) => !m.startsWith('$') && !m.endsWith('.ts'))
// Longest first so that assessment/engine is matched before assessment.
const ordered = [...modules].sort((a, b) => b.length - a.length)
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

const forbidden = []
for (const mod of ordered) {
  const allowed = boundaries[mod]
  if (allowed.includes('*')) continue
  const mine = [mod, ...ordered.filter((m) => m.startsWith(`${mod}/`))]
  const ok = [...mine, ...allowed.flatMap((a) => [a, ...ordered.filter((m) => m.startsWith(`${a}/`))])]
  // Files of this module, not of a more specific sub-module listed separately.
  const sub = ordered.filter((m) => m.startsWith(`${mod}/`))
  forbidden.push({
    name: `boundary:${mod}`,
    comment: `server/src/${mod} may only import: ${allowed.length ? allowed.join(', ') : 'nothing outside itself'}`,
    severity: 'error',
    // Tests compose real parts (an app, a database) to exercise a module: the boundaries bind production code.
    from: {
      path: `(^|/)server/src/${esc(mod)}/`,
      pathNot: [...sub.map((s) => `(^|/)server/src/${esc(s)}/`), '\\.test\\.tsx?$'],
    },
    to: {
      path: '(^|/)server/src/',
      pathNot: ok.map((m) => `(^|/)server/src/${esc(m)}(/|\\.ts$)`),
    },
  })
}

// The pure engine: no node built-ins, no npm packages either.
forbidden.push({
  name: 'engine-is-pure',
  comment: 'server/src/assessment/engine imports nothing outside itself (no node:, no packages)',
  severity: 'error',
  from: { path: '(^|/)server/src/assessment/engine/', pathNot: '\\.test\\.ts$' },
  to: { pathNot: '(^|/)server/src/assessment/engine/' },
})

// Tests may use the shared test tools; production code may not import them.
forbidden.push({
  name: 'no-test-tools-in-production',
  severity: 'error',
  from: { path: '(^|/)server/src/', pathNot: '\\.test\\.tsx?$' },
  to: { path: '(^|/)server/test/' },
})

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', 'dist'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
}
