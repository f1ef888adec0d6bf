/** Random tokens and their SHA-256 hashes: only hashes are stored, the token travels once (cookie, e-mail link). */
import { createHash, randomBytes } from 'node:crypto'

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}
