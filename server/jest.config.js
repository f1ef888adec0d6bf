/**
 * One jest run for unit, integration (real embedded PostgreSQL) and browser tests.
 * Tests sit beside the code: *.test.ts(x). @swc/jest only transpiles; `npm run typecheck` type-checks.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
]

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  roots: ['<rootDir>/server', '<rootDir>/scripts', '<rootDir>/client'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  // jose ships ES modules only: let swc turn it into CommonJS for jest's module registry.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  globalSetup: '<rootDir>/server/test/global-setup.ts',
  globalTeardown: '<rootDir>/server/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
}
