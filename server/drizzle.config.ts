import { defineConfig } from 'drizzle-kit'

// `npm run db:generate` turns schema changes into a new SQL migration; migrations are committed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema/index.ts',
  out: './server/src/db/migrations',
})
