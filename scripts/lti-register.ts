/**
 * npm run lti:register -- registers an LTI 1.3 platform (manual registration).
 *
 *   npm run lti:register -- --file lti-config/platforms/moodle.example.json
 *   npm run lti:register -- --issuer https://moodle.example.fr --client-id AbC --deployment-id 1 \
 *     --auth-login-url https://moodle.example.fr/mod/lti/auth.php --token-url https://moodle.example.fr/mod/lti/token.php \
 *     --jwks-url https://moodle.example.fr/mod/lti/certs.php --name "Moodle de l'université" [--organization-id <uuid>] \
 *     [--external-id lis.person_sourcedid|custom.student_id|none] [--gar]
 *   npm run lti:register -- --list
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { GAR_CLAIM_MAPPING, listPlatforms, registerPlatform, type PlatformRegistration } from '../server/src/lti'
import { openCliDatabase } from './lti-cli-database'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      list: { type: 'boolean' },
      name: { type: 'string' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      'deployment-id': { type: 'string', multiple: true },
      'auth-login-url': { type: 'string' },
      'token-url': { type: 'string' },
      'jwks-url': { type: 'string' },
      'organization-id': { type: 'string' },
      'organization-name': { type: 'string' },
      'external-id': { type: 'string' },
      gar: { type: 'boolean' },
    },
  })
  const { database, close } = await openCliDatabase()
  try {
    if (values.list) {
      for (const p of await listPlatforms(database.db))
        console.log(`${p.name}\n  issuer ${p.issuer}\n  client ${p.clientId}\n  deployments ${p.deploymentIds.join(', ') || '—'}\n  organization ${p.organizationId}\n`)
      return
    }
    const input: PlatformRegistration = values.file
      ? (JSON.parse(readFileSync(values.file, 'utf8')) as PlatformRegistration)
      : {
          name: values.name ?? values.issuer ?? '',
          issuer: values.issuer ?? '',
          clientId: values['client-id'] ?? '',
          authLoginUrl: values['auth-login-url'] ?? '',
          authTokenUrl: values['token-url'] ?? '',
          jwksUrl: values['jwks-url'] ?? '',
          deploymentIds: values['deployment-id'] ?? [],
          organizationId: values['organization-id'],
          organizationName: values['organization-name'],
          claimMapping: values.gar ? GAR_CLAIM_MAPPING : values['external-id'] ? { externalId: values['external-id'], attributes: {} } : undefined,
        }
    const platform = await registerPlatform(input, { db: database.db })
    console.log(`Plateforme enregistrée : ${platform.name} (${platform.issuer}, client ${platform.clientId}), organisation ${platform.organizationId}`)
  } finally {
    await close()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
