/**
 * LTI settings read from the environment (zod at the edge): the key that encrypts the tool's
 * private keys at rest, the admin token, and the optional dynamic-registration key.
 */
import { createHash, hkdfSync, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import type { Logger } from '../shared/logger'

const EnvSchema = z.object({
  /** Any string of ≥ 32 characters (e.g. `openssl rand -base64 48`); encrypts the tool's private keys. */
  JALON_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Enables the admin page (/lti/admin) for whoever knows it. Unset: the page is closed. */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** When set, dynamic registration URLs must carry ?key=<this value>. */
  LTI_REGISTRATION_KEY: z.string().min(8).optional(),
  /** Tool name shown in the LMS. */
  LTI_TOOL_NAME: z.string().default('Jalon'),
})

export interface LtiSettings {
  /** 32 bytes, AES-256-GCM key for private JWKs. */
  encryptionKey: Buffer
  adminToken?: string
  registrationKey?: string
  /** Dynamic registration without a key: allowed outside production (and in a public demo), never in production. */
  registrationWithoutKey: boolean
  toolName: string
}

/**
 * Reads the LTI settings; without JALON_SECRET_KEY a local key is kept in DATA_DIR (and the log says so).
 * `production`: NODE_ENV=production and not a demo (DEMO_SEED): dynamic registration then needs LTI_REGISTRATION_KEY.
 */
export function loadLtiSettings(env: NodeJS.ProcessEnv, options: { dataDir: string; logger?: Logger; production?: boolean }): LtiSettings {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new Error(`Invalid LTI configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`)
  }
  const e = parsed.data
  let encryptionKey: Buffer
  if (e.JALON_SECRET_KEY) {
    encryptionKey = deriveKey(e.JALON_SECRET_KEY)
  } else {
    const file = join(options.dataDir, 'jalon-secret.key')
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, randomBytes(48).toString('base64'), { mode: 0o600 })
    }
    chmodSync(file, 0o600)
    // The path only, never the key.
    options.logger?.warn({ file }, 'JALON_SECRET_KEY is not set: using a local key file to encrypt LTI keys (set JALON_SECRET_KEY in production)')
    encryptionKey = deriveKey(readFileSync(file, 'utf8').trim())
  }
  const registrationWithoutKey = !options.production
  if (!e.LTI_REGISTRATION_KEY && !registrationWithoutKey)
    options.logger?.info('dynamic LTI registration is closed: set LTI_REGISTRATION_KEY to open it (/lti/register?key=…)')
  return { encryptionKey, adminToken: e.ADMIN_TOKEN, registrationKey: e.LTI_REGISTRATION_KEY, registrationWithoutKey, toolName: e.LTI_TOOL_NAME }
}

export function deriveKey(secret: string): Buffer {
  const salt = createHash('sha256').update('jalon/lti/salt').digest()
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, 'jalon lti private keys v1', 32))
}
