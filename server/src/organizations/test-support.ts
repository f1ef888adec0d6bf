/** Helpers for this module's HTTP tests (imported by *.test.ts only). */
import type { Db } from '../db/client'
import { memberships, organizations, userCredentials, users } from '../db/schema'
import { hashPassword } from './access/password'

export interface ErrorJson {
  error: { code: string; message: string; issues?: { path: string; message: string }[] }
}

export async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T
}

export async function errorCode(res: Response): Promise<string> {
  return (await readJson<ErrorJson>(res)).error.code
}


export const PASSWORD = 'Jalon-Test-2026'

/** Two organizations: A (admin Alice, member Marc) and B (admin Bruno). Everyone has a password account. */
export async function seedTwoOrganizations(db: Db) {
  const [orgA, orgB] = await db.insert(organizations).values([{ name: 'Université A' }, { name: 'Université B' }]).returning()
  const hash = await hashPassword(PASSWORD)
  const people = [
    { key: 'alice', firstName: 'Alice', lastName: 'Admin', email: 'alice@a.test', org: orgA!.id, role: 'ADMIN' as const },
    { key: 'marc', firstName: 'Marc', lastName: 'Membre', email: 'marc@a.test', org: orgA!.id, role: 'MEMBER' as const },
    { key: 'bruno', firstName: 'Bruno', lastName: 'Badmin', email: 'bruno@b.test', org: orgB!.id, role: 'ADMIN' as const },
  ]
  const ids: Record<string, string> = {}
  for (const p of people) {
    const [u] = await db.insert(users).values({ firstName: p.firstName, lastName: p.lastName, email: p.email }).returning()
    await db.insert(userCredentials).values({ userId: u!.id, email: p.email, passwordHash: hash })
    await db.insert(memberships).values({ organizationId: p.org, userId: u!.id, role: p.role })
    ids[p.key] = u!.id
  }
  return { orgA: orgA!.id, orgB: orgB!.id, alice: ids.alice!, marc: ids.marc!, bruno: ids.bruno! }
}

/** A tiny client that keeps the Orga cookie, like a browser tab. */
export function orgaClient(baseUrl: string, headers: Record<string, string> = {}) {
  let cookie = ''
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const set = res.headers.get('set-cookie')
    if (set?.startsWith('jalon_orga=')) cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!
    return res
  }
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body ?? {}),
    put: (path: string, body?: unknown) => call('PUT', path, body ?? {}),
    delete: (path: string) => call('DELETE', path),
    async signIn(email: string, password = PASSWORD) {
      const res = await call('POST', '/api/orga/auth/sign-in', { email, password })
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
      return res
    },
    get cookie() {
      return cookie
    },
  }
}
