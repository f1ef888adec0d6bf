/**
 * The demo LMS: a small LTI 1.3 platform that behaves like Moodle 4.5 (see README.md beside this file).
 * `npm start` serves it on 127.0.0.1 — another site than Jalon's localhost, as a real LMS would be —
 * and tests use it as the platform.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import express, { type NextFunction, type Request, type Response } from 'express'
import { createActivity, type CreateActivityInput } from './activities'
import { adminRoutes } from './admin-pages'
import { agsRoutes } from './ags'
import { CLAIM } from './claims'
import { deepLinkingRoutes } from './deep-linking'
import { demoCourse, seedDemo, type DemoPeople } from './demo-data'
import { FaultInjector, type AgsFault } from './faults'
import { columns, gradebookRoutes, snapshot, type GradebookColumn, type GradebookSnapshot } from './gradebook'
import { ASSETS } from './html'
import { buildLaunchClaims, deepLinkingSettings } from './id-token'
import { PlatformKeys, type SignOptions } from './keys'
import { nrpsRoutes } from './nrps'
import { oidcRoutes, startLaunch, type LoginInitiation, type StartLaunchInput } from './oidc'
import { pageRoutes } from './pages'
import { registrationRoutes, startDynamicRegistration, type DynamicRegistrationStart } from './registration'
import { EmulatorState, randomHex, randomString, type EmulatorSettings } from './state'
import { runLaunch, type LaunchDanceInput, type LaunchDanceResult } from './test-client'
import { tokenRoutes } from './token'
import { platformDetails, registerTool, type PlatformDetails, type RegisterToolInput } from './tools'
import type { Activity, Course, Grade, LaunchContainer, ScoreRecord, Tool, User } from './types'

export type { AgsFault, DynamicRegistrationStart, GradebookColumn, GradebookSnapshot, LaunchDanceInput, LaunchDanceResult, LoginInitiation, PlatformDetails, RegisterToolInput, SignOptions }
export type { Activity, Course, Grade, ScoreRecord, Tool, User }
export { parseForm } from './html'
export { CLAIM, ROLE, SCOPE, MEDIA } from './claims'

export interface LmsEmulatorOptions extends Partial<Omit<EmulatorSettings, 'toolUrl'>> {
  /** Jalon's base URL. */
  toolUrl: string
  port?: number
  host?: string
  /** Register a tool at start (manual registration). */
  tool?: RegisterToolInput
}

export interface LmsEmulator {
  url: string
  /** = url: Moodle's issuer is its wwwroot, no trailing slash. */
  issuer: string
  close(): Promise<void>
  /** Behaviour switches, changeable at run time (nrpsPageSize, scoreTimestampResolution, platformStorage, …). */
  settings: EmulatorSettings
  course: Course
  /** Named demo people; `all()` lists everyone. */
  users: DemoPeople & { all(): User[]; get(id: string): User | undefined }
  /** The demo's unconfigured Jalon activity (resource_link.id). */
  demoActivityId: string
  /** The platform's URLs (auth, token, jwks, openidConfiguration, registration, deepLinkReturn). */
  urls: EmulatorState['urls']

  registerTool(input: RegisterToolInput): PlatformDetails
  platformDetails(clientId?: string): PlatformDetails
  tools(): Tool[]
  activateTool(clientId: string): void
  startDynamicRegistration(toolRegistrationUrl?: string): Promise<DynamicRegistrationStart>

  createResourceLink(input: CreateActivityInput): { id: string; cmid: string; lineItemUrl?: string }
  activities(): Activity[]
  /** The URL a browser opens to launch (signs the user in first). */
  launchUrl(userId: string, resourceLinkId: string, options?: { container?: LaunchContainer }): string
  /** The URL a browser opens for a deep-linking launch (inside the emulator's page). */
  deepLinkingUrl(userId: string, typeId?: string): string
  /** Records a launch and returns the login initiation to send to the tool (no browser). */
  buildLoginInitiation(input: { userId: string; resourceLinkId?: string; deepLinking?: boolean | { typeId?: string }; container?: LaunchContainer }): LoginInitiation
  /** The whole OIDC dance with fetch. */
  launch(input: LaunchDanceInput): Promise<LaunchDanceResult>
  /** Moodle's claims for a launch, to tamper with and sign with `signIdToken`. */
  buildIdTokenClaims(input: { userId: string; resourceLinkId?: string; deepLinking?: boolean | { typeId?: string }; nonce?: string; now?: number }): Record<string, unknown>
  signIdToken(claims: Record<string, unknown>, options?: SignOptions): Promise<string>

  /** Current signing kid and published keyset. */
  kid(): string
  jwks(): { keys: Array<Record<string, unknown>> }
  /** Publish a new key and sign with it; the old one is dropped unless keepOld. Returns the new kid. */
  rotateKey(options?: { keepOld?: boolean }): Promise<string>

  lineItems(): GradebookColumn[]
  gradebook: {
    /** Every accepted score POST, in order (filter by user id / line item id). */
    scores(filter?: { userId?: string; lineItemId?: string }): ScoreRecord[]
    /** Current grade per (line item, user). */
    grades(filter?: { userId?: string; lineItemId?: string }): Grade[]
    snapshot(): GradebookSnapshot
    counters: EmulatorState['counters']
  }
  failAgs(fault: AgsFault): void
  clearFaults(): void
  /** The underlying state, for unusual tests. */
  state: EmulatorState
}

export async function startLmsEmulator(options: LmsEmulatorOptions): Promise<LmsEmulator> {
  const host = options.host ?? '127.0.0.1'
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503
    res.end()
  }
  const server = createServer((req, res) => handler(req, res))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host}:${port}`
  const toolUrl = options.toolUrl.replace(/\/+$/, '')
  const settings: EmulatorSettings = {
    toolUrl,
    toolRegistrationUrl: options.toolRegistrationUrl ?? `${toolUrl}/lti/register`,
    nrpsPageSize: options.nrpsPageSize,
    scoreTimestampResolution: options.scoreTimestampResolution ?? 'second',
    platformStorage: options.platformStorage ?? false,
    deepLinkingData: options.deepLinkingData ?? false,
    autoActivateDynamicTools: options.autoActivateDynamicTools ?? false,
    locale: options.locale ?? 'fr',
  }
  const state = new EmulatorState(url, await PlatformKeys.create(), demoCourse(), settings)
  const { people, activityId } = seedDemo(state)
  const faults = new FaultInjector(() => state.counters.faultsInjected++)
  if (options.tool) registerTool(state, options.tool)

  const app = express()
  app.disable('x-powered-by')
  app.use((_req, res, next) => {
    // No inline script anywhere: scripts and styles are files of this origin.
    res.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src *; form-action *")
    next()
  })
  app.use(ASSETS, express.static(join(__dirname, 'assets'), { maxAge: 0 }))
  app.use(express.urlencoded({ extended: false }))
  app.get('/mod/lti/certs.php', (_req, res) => {
    res.json(state.keys.jwks())
  })
  app.use(oidcRoutes(state))
  app.use(tokenRoutes(state))
  app.use(agsRoutes(state, faults))
  app.use(nrpsRoutes(state))
  app.use(deepLinkingRoutes(state))
  app.use(registrationRoutes(state))
  app.use(pageRoutes(state))
  app.use(adminRoutes(state))
  app.use(gradebookRoutes(state))
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).type('text').send(`LMS emulator error: ${err instanceof Error ? err.message : String(err)}`)
  })
  handler = app

  const pick = <T extends { userId: string; lineItemId: string }>(list: T[], f?: { userId?: string; lineItemId?: string }): T[] =>
    list.filter((x) => (!f?.userId || x.userId === f.userId) && (!f?.lineItemId || x.lineItemId === f.lineItemId))

  const deepLinkingOf = (d: boolean | { typeId?: string } | undefined): StartLaunchInput['deepLinking'] =>
    d ? (typeof d === 'object' ? d : {}) : undefined

  return {
    url,
    issuer: url,
    settings,
    course: state.course,
    users: { ...people, all: () => [...state.users.values()], get: (id) => state.users.get(id) },
    demoActivityId: activityId,
    urls: state.urls,
    state,
    close: () =>
      new Promise((resolve) => {
        faults.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),

    registerTool: (input) => registerTool(state, input),
    platformDetails: (clientId) => {
      const tool = clientId ? state.toolByClientId(clientId) : [...state.tools.values()][0]
      if (!tool) throw new Error('no such tool')
      return platformDetails(state, tool)
    },
    tools: () => [...state.tools.values()],
    activateTool: (clientId) => {
      const tool = state.toolByClientId(clientId)
      if (!tool) throw new Error(`no tool with client id ${clientId}`)
      tool.state = 'configured'
      state.syncLineItemTypes()
    },
    startDynamicRegistration: (toolRegistrationUrl) => startDynamicRegistration(state, toolRegistrationUrl ?? settings.toolRegistrationUrl),

    createResourceLink: (input) => {
      const { activity, lineItem } = createActivity(state, input)
      state.syncLineItemTypes()
      return { id: activity.id, cmid: activity.cmid, lineItemUrl: lineItem && lineItem.typeId ? state.lineItemUrl(lineItem) : undefined }
    },
    activities: () => [...state.activities.values()],
    launchUrl: (userId, resourceLinkId, o) => {
      const activity = state.activities.get(resourceLinkId)
      if (!activity) throw new Error(`no resource link ${resourceLinkId}`)
      const q = new URLSearchParams({ id: activity.cmid, as: userId })
      if (o?.container) q.set('container', o.container)
      return `${url}/mod/lti/launch.php?${q.toString()}`
    },
    deepLinkingUrl: (userId, typeId) => {
      const q = new URLSearchParams({ as: userId, course: state.course.id })
      if (typeId) q.set('id', typeId)
      return `${url}/mod/lti/contentitem.php?${q.toString()}`
    },
    buildLoginInitiation: (input) =>
      startLaunch(state, { userId: input.userId, activityId: input.resourceLinkId, deepLinking: deepLinkingOf(input.deepLinking), container: input.container }),
    launch: (input) => runLaunch(state, input),
    buildIdTokenClaims: (input) => {
      const init = startLaunch(state, { userId: input.userId, activityId: input.resourceLinkId, deepLinking: deepLinkingOf(input.deepLinking) })
      const launch = state.launches.get(init.launchId)
      state.launches.delete(init.launchId)
      if (!launch) throw new Error('launch not recorded')
      const claims = buildLaunchClaims({ state, launch, nonce: input.nonce ?? randomHex(16), now: input.now })
      const tool = state.tools.get(launch.typeId)
      if (launch.sesskey && tool) claims[CLAIM.dlSettings] = deepLinkingSettings(state, tool, launch.sesskey, state.deepLinks.get(launch.sesskey)?.data)
      return claims
    },
    signIdToken: (claims, o) => state.keys.sign(claims, o),

    kid: () => state.keys.kid,
    jwks: () => state.keys.jwks() as { keys: Array<Record<string, unknown>> },
    rotateKey: (o) => state.keys.rotate(o),

    lineItems: () => columns(state),
    gradebook: {
      scores: (f) => pick(state.scoreLog, f),
      grades: (f) => pick([...state.grades.values()], f),
      snapshot: () => snapshot(state),
      counters: state.counters,
    },
    failAgs: (fault) => faults.failAgs(fault),
    clearFaults: () => faults.clear(),
  }
}

/** A fresh client id, Moodle-style (15 characters), for tests that pre-set one. */
export function newClientId(): string {
  return randomString(15)
}
