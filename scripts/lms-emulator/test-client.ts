/**
 * The whole OIDC launch with plain fetch and manual redirects, for Jalon's API tests:
 * login initiation → the tool redirects (or auto-posts) to auth.php → the emulator's form (id_token + state)
 * → POST to the tool's redirect URI. Tool cookies are carried along like a browser would (unless `cookies: false`).
 * `tamper`/`sign` re-sign the id_token after the real auth step, so bad-payload cases keep a valid state and nonce.
 */
import { decodeJwt } from 'jose'
import { parseForm } from './html'
import type { SignOptions } from './keys'
import { startLaunch, type LoginInitiation } from './oidc'
import type { EmulatorState } from './state'
import type { LaunchContainer } from './types'

export interface LaunchDanceInput {
  userId: string
  resourceLinkId?: string
  /** A deep-linking launch (of the given tool type, else the only tool with deep linking). */
  deepLinking?: boolean | { typeId?: string }
  container?: LaunchContainer
  /** Login initiation as a POST form (Moodle) or a GET. */
  initiationMethod?: 'POST' | 'GET'
  /** Change the signed claims (return a new object or mutate in place). */
  tamper?: (claims: Record<string, unknown>) => Record<string, unknown> | void
  /** Re-sign with these options (wrong kid, alg none, HS256 with the public key, foreign key…). */
  sign?: SignOptions
  /** Carry the tool's cookies from login to launch (default true; false = a browser blocking third-party cookies). */
  cookies?: boolean
  fetch?: typeof fetch
}

export interface LaunchDanceResult {
  initiation: LoginInitiation
  /** The tool's answer to the login initiation. */
  loginResponse: Response
  /** The authentication request the tool made (auth.php URL with its parameters). */
  authRequest: { url: string; params: Record<string, string> }
  /** Fields auto-posted to the tool: id_token + state, or error + error_description + state. */
  posted: Record<string, string>
  idToken?: string
  claims?: Record<string, unknown>
  /** The tool's answer to the id_token POST (redirects not followed). */
  launchResponse: Response
  launchBody: string
  /** Cookies the tool set during the dance. */
  cookies: Record<string, string>
}

function cookieHeader(jar: Record<string, string>): string {
  return Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ')
}

function collect(jar: Record<string, string>, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const i = pair?.indexOf('=') ?? -1
    if (pair && i > 0) jar[pair.slice(0, i).trim()] = pair.slice(i + 1).trim()
  }
}

export async function runLaunch(state: EmulatorState, input: LaunchDanceInput): Promise<LaunchDanceResult> {
  const f = input.fetch ?? fetch
  const jar: Record<string, string> = {}
  const useCookies = input.cookies !== false
  const headers = (extra: Record<string, string> = {}): Record<string, string> =>
    useCookies && Object.keys(jar).length ? { ...extra, cookie: cookieHeader(jar) } : extra

  const initiation = startLaunch(state, {
    userId: input.userId,
    activityId: input.resourceLinkId,
    deepLinking: input.deepLinking ? (typeof input.deepLinking === 'object' ? input.deepLinking : {}) : undefined,
    container: input.container,
  })
  const loginResponse =
    input.initiationMethod === 'GET'
      ? await f(initiation.getUrl, { redirect: 'manual' })
      : await f(initiation.url, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(initiation.params).toString(),
        })
  collect(jar, loginResponse)

  // The tool answers with a redirect to auth.php, or with a page that auto-posts (or links) there.
  let authUrl: URL
  let authMethod: 'get' | 'post' = 'get'
  let authFields: Record<string, string> = {}
  const location = loginResponse.headers.get('location')
  if (loginResponse.status >= 300 && loginResponse.status < 400 && location) {
    authUrl = new URL(location, initiation.url)
  } else {
    const html = await loginResponse.text()
    const form = parseForm(html)
    if (!form || !form.action) throw new Error(`login initiation: expected a redirect or a form, got ${loginResponse.status}: ${html.slice(0, 300)}`)
    authUrl = new URL(form.action, initiation.url)
    authMethod = form.method === 'post' ? 'post' : 'get'
    authFields = form.fields
  }
  if (authMethod === 'get') for (const [k, v] of Object.entries(authFields)) authUrl.searchParams.set(k, v)
  const authParams = authMethod === 'get' ? Object.fromEntries(authUrl.searchParams) : authFields
  const authResponse =
    authMethod === 'get'
      ? await f(authUrl, { redirect: 'manual' })
      : await f(authUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(authFields).toString() })
  const authHtml = await authResponse.text()
  const answer = parseForm(authHtml)
  if (authResponse.status !== 200 || !answer) throw new Error(`auth.php answered ${authResponse.status}: ${authHtml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300)}`)

  const posted = { ...answer.fields }
  let claims: Record<string, unknown> | undefined
  if (posted.id_token) {
    claims = decodeJwt(posted.id_token) as Record<string, unknown>
    if (input.tamper || input.sign) {
      const changed = input.tamper ? (input.tamper(claims) ?? claims) : claims
      claims = changed
      posted.id_token = await state.keys.sign(changed, input.sign)
    }
  }
  const launchResponse = await f(answer.action, {
    method: 'POST',
    redirect: 'manual',
    headers: headers({ 'content-type': 'application/x-www-form-urlencoded' }),
    body: new URLSearchParams(posted).toString(),
  })
  collect(jar, launchResponse)
  const launchBody = await launchResponse.text()
  return {
    initiation,
    loginResponse,
    authRequest: { url: authUrl.toString(), params: authParams },
    posted,
    idToken: posted.id_token,
    claims,
    launchResponse,
    launchBody,
    cookies: { ...jar },
  }
}
