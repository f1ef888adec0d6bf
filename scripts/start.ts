/**
 * npm start — the demo: Jalon on its embedded defaults (PostgreSQL in ./.data/pg, demo data seeded)
 * plus the demo LMS on 127.0.0.1, then prints where to go. `--dev` leaves the client to Vite.
 */
import { configOrExit, exitOnSignals, startJalon } from '../server/src/main'
import { connectDemoLms } from './demo/connect-demo-lms'
import { startLmsEmulator } from './lms-emulator'

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev')
  const config = configOrExit({
    DEMO_SEED: 'true',
    LOG_LEVEL: 'warn',
    ...(dev ? { SERVE_CLIENT: 'false', NODE_ENV: 'development' } : { NODE_ENV: 'production' }),
    ...process.env,
  })
  const lmsPort = Number(process.env.LMS_PORT ?? 3001)
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`
  const lms = await startLmsEmulator({ toolUrl: publicUrl, port: lmsPort })
  const jalon = await startJalon(config, { demoLmsUrl: `${lms.url}/` })
  const demo = await connectDemoLms(jalon, lms)
  exitOnSignals({
    logger: jalon.logger,
    close: async () => {
      await lms.close()
      await jalon.close()
    },
  })
  console.log(`
  Jalon est prêt.

    LMS de démonstration : ${lms.url}/   ← commencez ici : « Se connecter en tant que » Léa (étudiante),
                           Claire (enseignante) ou Admin, puis ouvrez l’activité « ${demo.boundActivityName} »
    Jalon                : ${jalon.url}/
    Jalon Orga           : ${jalon.url}/orga/
    État du service      : ${jalon.url}/healthz

  Arrêt : Ctrl+C (PostgreSQL embarqué arrêté proprement, données gardées dans ./.data/pg)
`)
}

main().catch((err) => {
  console.error('Jalon could not start:', err instanceof Error ? err.message : err)
  process.exit(1)
})
