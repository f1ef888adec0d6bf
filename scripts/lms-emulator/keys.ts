/**
 * The platform's signing keys. Moodle signs everything with one site key and publishes it at /mod/lti/certs.php;
 * the emulator can rotate it so tests see a tool refetch the JWKS on an unknown `kid`.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose'

interface PlatformKey {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
}

export interface SignOptions {
  /** `kid` header: a value, `null` to leave it out, default the current key's kid. */
  kid?: string | null
  /**
   * RS256 (default), `none` (unsigned), or `HS256-public-key`: HMAC keyed with the platform's public key PEM
   * (the classic algorithm-confusion forgery).
   */
  alg?: 'RS256' | 'none' | 'HS256-public-key'
  /** Sign with a fresh key that is not in the JWKS (the header still says `kid`). */
  foreignKey?: boolean
  /** Extra header fields. */
  header?: Record<string, unknown>
}

/** Moodle's kids are 20 hex characters (`e06201a594bd1cc1321b` in the captures). */
function newKid(): string {
  return randomBytes(10).toString('hex')
}

async function newKey(): Promise<PlatformKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const kid = newKid()
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return { kid, privateKey, publicKey, publicJwk }
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}

export class PlatformKeys {
  private constructor(private keys: PlatformKey[]) {}

  static async create(): Promise<PlatformKeys> {
    return new PlatformKeys([await newKey()])
  }

  private get current(): PlatformKey {
    const key = this.keys[this.keys.length - 1]
    if (!key) throw new Error('no platform key')
    return key
  }

  get kid(): string {
    return this.current.kid
  }

  /** The published keyset (Moodle's certs.php shape: `{ keys: [...] }`). */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.publicJwk) }
  }

  /** Publishes a new key and signs with it from now on; the old one stays published only with `keepOld`. */
  async rotate(options: { keepOld?: boolean } = {}): Promise<string> {
    const key = await newKey()
    this.keys = options.keepOld ? [...this.keys, key] : [key]
    return key.kid
  }

  async publicKeyPem(): Promise<string> {
    return exportSPKI(this.current.publicKey)
  }

  async sign(payload: JWTPayload, options: SignOptions = {}): Promise<string> {
    const alg = options.alg ?? 'RS256'
    const kid = options.kid === undefined ? this.current.kid : options.kid
    const header: Record<string, unknown> = { typ: 'JWT', alg: alg === 'HS256-public-key' ? 'HS256' : alg, ...options.header }
    if (kid !== null) header.kid = kid
    if (alg === 'none') return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.`
    if (alg === 'HS256-public-key') {
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
      const mac = createHmac('sha256', await this.publicKeyPem()).update(input).digest()
      return `${input}.${b64url(mac)}`
    }
    const key = options.foreignKey ? (await newKey()).privateKey : this.current.privateKey
    return new SignJWT(payload)
      .setProtectedHeader({ ...header, alg: 'RS256' } as { alg: string })
      .sign(key)
  }
}
