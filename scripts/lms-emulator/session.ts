/**
 * Sign-in is the user switcher: the current user id sits in a cookie of the emulator's own origin.
 * SameSite=Lax: only top-level pages read it; the OIDC steps that run inside the tool's cross-site iframe
 * find the user through the launch record instead (Moodle re-posts such requests to recover its session).
 */
import type { Request, Response } from 'express'
import type { EmulatorState } from './state'
import type { User } from './types'

export const SESSION_COOKIE = 'MoodleSessionDemo'

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return undefined
}

export function currentUser(state: EmulatorState, req: Request): User | undefined {
  const id = readCookie(req, SESSION_COOKIE)
  return id ? state.users.get(id) : undefined
}

export function signIn(res: Response, userId: string): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=${encodeURIComponent(userId)}; Path=/; HttpOnly; SameSite=Lax`)
}

export function signOut(res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`)
}

/** Only same-origin relative paths are accepted as "come back to" targets. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/'
}
