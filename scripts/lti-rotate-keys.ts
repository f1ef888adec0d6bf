/**
 * npm run lti:rotate-keys — one step of the tool key rotation (run it daily, e.g. from cron):
 * publishes a new key, starts signing with it once it has been published for 24 h, and removes
 * keys retired for 7 days from the JWKS. `--force` does it all now (compromised key).
 */
import { parseArgs } from 'node:util'
import { loadLtiSettings, rotateToolKeys } from '../server/src/lti'
import { systemClock } from '../server/src/shared/clock'
import { openCliDatabase } from './lti-cli-database'

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { force: { type: 'boolean' }, 'publish-hours': { type: 'string' }, 'retain-days': { type: 'string' } } })
  const { config, database, close } = await openCliDatabase()
  try {
    const settings = loadLtiSettings(process.env, { dataDir: config.dataDir })
    const report = await rotateToolKeys(
      { db: database.db, clock: systemClock, encryptionKey: settings.encryptionKey },
      {
        force: values.force,
        publishBeforeUseMs: values['publish-hours'] ? Number(values['publish-hours']) * 3600_000 : undefined,
        retainPreviousMs: values['retain-days'] ? Number(values['retain-days']) * 24 * 3600_000 : undefined,
      },
    )
    if (report.created) console.log(`Nouvelle clé publiée : ${report.created}`)
    if (report.activated) console.log(`Clé active (signe désormais) : ${report.activated}${report.deactivated ? ` ; ancienne clé encore publiée : ${report.deactivated}` : ''}`)
    if (!report.activated && report.waiting) console.log(`Clé ${report.waiting} publiée, en attente : relancez la commande dans 24 h (ou --force).`)
    if (report.retired.length) console.log(`Clés retirées du JWKS : ${report.retired.join(', ')}`)
  } finally {
    await close()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
