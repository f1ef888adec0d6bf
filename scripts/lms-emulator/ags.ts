/**
 * Assignment and Grade Services as Moodle's ltiservice_gradebookservices answers them:
 * line item URLs `/mod/lti/services.php/<course>/lineitems/<item>/lineitem?type_id=<type>`, `/scores` and
 * `/results` inserted before the query string, 401 without a token carrying the right scope, score rules of
 * scores.php (400 "Incorrect score received" for a missing field or a user without a gradebook role, 409 for a
 * timestamp not later than the stored grade's, scoreGiven dropped unless FullyGraded, 200 with an empty body).
 */
import express, { Router, type Request, type Response } from 'express'
import { MEDIA, SCOPE } from './claims'
import type { FaultInjector } from './faults'
import type { AccessToken, EmulatorState } from './state'
import { bearer } from './token'
import type { Grade, LineItem } from './types'

const READ_ITEMS = [SCOPE.lineItem, SCOPE.lineItemReadonly]

function isNumeric(v: unknown): boolean {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))
}

/** Close to Moodle's validate_iso8601_date: a calendar date, optional time and zone. */
function isIso8601(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?([zZ]|[+-]\d{2}(:?\d{2})?)?)?$/.test(v) && !Number.isNaN(Date.parse(v))
}

/** PHP date('c') */
function phpDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

export function lineItemJson(state: EmulatorState, item: LineItem): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: state.lineItemUrl(item),
    label: item.label,
    scoreMaximum: item.scoreMaximum,
    resourceId: item.resourceId,
    tag: item.tag,
  }
  if (item.activityId) {
    json.resourceLinkId = item.activityId
    json.ltiLinkId = item.activityId
  }
  if (item.startDateTime) json.startDateTime = item.startDateTime
  if (item.endDateTime) json.endDateTime = item.endDateTime
  return json
}

export function resultJson(state: EmulatorState, item: LineItem, g: Grade): Record<string, unknown> {
  const base = state.lineItemUrl(item, '/results')
  const json: Record<string, unknown> = { id: `${base}&user_id=${g.userId}`, userId: g.userId }
  if (g.grade !== null) {
    json.resultScore = g.grade
    json.resultMaximum = item.scoreMaximum
  }
  if (g.comment) json.comment = g.comment
  json.scoreOf = state.lineItemUrl(item)
  json.timestamp = phpDate(Math.floor(g.timemodified))
  return json
}

/** Page a list with `limit`/`from` and a Link rel="next" header, as Moodle's services do. */
function paged<T>(req: Request, res: Response, list: T[], baseUrl: string, forcedLimit?: number): T[] {
  const asked = Number(req.query.limit ?? 0)
  const limit = forcedLimit && (!asked || asked > forcedLimit) ? forcedLimit : asked
  if (!limit || limit <= 0) return list
  const from = Math.max(0, Number(req.query.from ?? 0) || 0)
  const page = list.slice(from, from + limit)
  if (from + limit < list.length) {
    const next = new URL(baseUrl)
    for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string' && k !== 'from' && k !== 'limit') next.searchParams.set(k, v)
    next.searchParams.set('limit', String(limit))
    next.searchParams.set('from', String(from + limit))
    res.set('Link', `<${next.toString()}>; rel="next"`)
  }
  return page
}

export function agsRoutes(state: EmulatorState, faults: FaultInjector): Router {
  const r = Router()
  const base = '/mod/lti/services.php/:courseId/lineitems'
  // Moodle reads the raw body and checks Content-Type itself.
  r.use(
    '/mod/lti/services.php',
    express.text({ type: () => true, limit: '1mb' }),
    (req, _res, next) => {
      // Every score POST that reaches the platform, injected failures included.
      if (req.method === 'POST' && /\/lineitem\/scores$/.test(req.path)) state.counters.scorePosts++
      next()
    },
    faults.middleware(),
  )

  function auth(req: Request, res: Response, scopes: string[]): AccessToken | undefined {
    state.syncLineItemTypes()
    const token = bearer(state, req, scopes)
    const typeId = typeof req.query.type_id === 'string' ? req.query.type_id : undefined
    if (!token || (typeId !== undefined && typeId !== token.typeId)) {
      res.status(401).type('text').send('Unauthorized')
      return undefined
    }
    if (req.params.courseId !== state.course.id) {
      res.status(404).type('text').send(`Not Found: Course ${String(req.params.courseId)} doesn't exist`)
      return undefined
    }
    return token
  }

  function itemFor(req: Request, res: Response, token: AccessToken): LineItem | undefined {
    const item = state.lineItems.get(String(req.params.itemId))
    if (!item || item.typeId !== token.typeId) {
      res.status(404).type('text').send('Line item does not exist')
      return undefined
    }
    return item
  }

  function jsonBody(req: Request): Record<string, unknown> | undefined {
    try {
      const v: unknown = JSON.parse(typeof req.body === 'string' ? req.body : '')
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }

  r.get(base, (req, res) => {
    const token = auth(req, res, READ_ITEMS)
    if (!token) return
    let items = [...state.lineItems.values()].filter((li) => li.typeId === token.typeId && li.courseId === state.course.id)
    const { resource_link_id: rl, resource_id: rid, tag } = req.query
    if (typeof rl === 'string') items = items.filter((li) => li.activityId === rl)
    if (typeof rid === 'string') items = items.filter((li) => li.resourceId === rid)
    if (typeof tag === 'string') items = items.filter((li) => li.tag === tag)
    const page = paged(req, res, items, state.lineItemsUrl(token.typeId))
    res.type(MEDIA.lineItemContainer).send(JSON.stringify(page.map((li) => lineItemJson(state, li))))
  })

  r.post(base, (req, res) => {
    const token = auth(req, res, [SCOPE.lineItem])
    if (!token) return
    const body = jsonBody(req)
    if (!body || typeof body.label !== 'string' || !body.label || !isNumeric(body.scoreMaximum) || Number(body.scoreMaximum) <= 0) {
      return void res.status(400).type('text').send('Incorrect payload received for the line item')
    }
    let activityId: string | undefined
    if (body.resourceLinkId !== undefined && body.resourceLinkId !== null && body.resourceLinkId !== '') {
      const activity = state.activities.get(String(body.resourceLinkId))
      // Moodle: the resource link must be an activity of this tool in this course.
      if (!activity || state.toolForActivity(activity)?.typeId !== token.typeId) {
        return void res.status(403).type('text').send('Resource link id is not valid for this tool and course')
      }
      activityId = activity.id
    }
    const item: LineItem = {
      id: state.nextGradeItemId(),
      courseId: state.course.id,
      typeId: token.typeId,
      activityId,
      label: body.label,
      scoreMaximum: Number(body.scoreMaximum),
      resourceId: typeof body.resourceId === 'string' ? body.resourceId : '',
      tag: typeof body.tag === 'string' ? body.tag : '',
      startDateTime: typeof body.startDateTime === 'string' ? body.startDateTime : undefined,
      endDateTime: typeof body.endDateTime === 'string' ? body.endDateTime : undefined,
      kind: 'manual',
    }
    state.lineItems.set(item.id, item)
    res.status(201).type(MEDIA.lineItem).send(JSON.stringify(lineItemJson(state, item)))
  })

  r.get(`${base}/:itemId/lineitem`, (req, res) => {
    const token = auth(req, res, READ_ITEMS)
    const item = token && itemFor(req, res, token)
    if (!item) return
    res.type(MEDIA.lineItem).send(JSON.stringify(lineItemJson(state, item)))
  })

  r.put(`${base}/:itemId/lineitem`, (req, res) => {
    const token = auth(req, res, [SCOPE.lineItem])
    const item = token && itemFor(req, res, token)
    if (!item) return
    const body = jsonBody(req)
    if (!body || (body.scoreMaximum !== undefined && (!isNumeric(body.scoreMaximum) || Number(body.scoreMaximum) <= 0))) {
      return void res.status(400).type('text').send('Incorrect payload received for the line item')
    }
    if (typeof body.label === 'string' && body.label) item.label = body.label
    if (body.scoreMaximum !== undefined) item.scoreMaximum = Number(body.scoreMaximum)
    if (typeof body.resourceId === 'string') item.resourceId = body.resourceId
    if (typeof body.tag === 'string') item.tag = body.tag
    if (typeof body.startDateTime === 'string') item.startDateTime = body.startDateTime
    if (typeof body.endDateTime === 'string') item.endDateTime = body.endDateTime
    res.type(MEDIA.lineItem).send(JSON.stringify(lineItemJson(state, item)))
  })

  r.delete(`${base}/:itemId/lineitem`, (req, res) => {
    const token = auth(req, res, [SCOPE.lineItem])
    const item = token && itemFor(req, res, token)
    if (!item) return
    // The activity's own grade item is managed by Moodle, not by the tool.
    if (item.kind === 'mod') return void res.status(403).type('text').send('Cannot delete the grade item of an activity')
    state.lineItems.delete(item.id)
    for (const key of [...state.grades.keys()]) if (key.startsWith(`${item.id}:`)) state.grades.delete(key)
    res.status(204).end()
  })

  r.post(`${base}/:itemId/lineitem/scores`, (req, res) => {
    const token = auth(req, res, [SCOPE.score])
    const item = token && itemFor(req, res, token)
    if (!item) return
    const reject = (status: number, message: string): void => {
      state.counters.scoresRejected++
      res.status(status).type('text').send(message)
    }
    const contentType = (req.get('content-type') ?? '').split(';')[0]?.trim()
    if (contentType !== MEDIA.score) return reject(400, 'No context or unsupported content type')
    const score = jsonBody(req)
    if (
      !score ||
      score.userId === undefined ||
      score.gradingProgress === undefined ||
      score.activityProgress === undefined ||
      !isIso8601(score.timestamp) ||
      (score.scoreGiven !== undefined && !isNumeric(score.scoreGiven)) ||
      (score.scoreGiven !== undefined && score.scoreMaximum === undefined) ||
      (score.scoreMaximum !== undefined && !isNumeric(score.scoreMaximum)) ||
      !state.isGradable(String(score.userId))
    ) {
      return reject(400, `Incorrect score received${typeof req.body === 'string' ? req.body : ''}`)
    }
    const userId = String(score.userId)
    const ms = Date.parse(score.timestamp)
    const stamp = state.settings.scoreTimestampResolution === 'second' ? Math.floor(ms / 1000) : ms / 1000
    const key = `${item.id}:${userId}`
    const previous = state.grades.get(key)
    if (previous && previous.timemodified >= stamp) {
      return reject(409, `Refusing score with an earlier timestamp for item ${item.id} and user ${userId}`)
    }
    const scoreMaximum = score.scoreMaximum === undefined ? 1 : Number(score.scoreMaximum)
    const given = score.scoreGiven !== undefined && score.gradingProgress === 'FullyGraded' ? Number(score.scoreGiven) : null
    // Rescaled to the column's maximum; a score without a FullyGraded grade clears the grade, as Moodle's grade_update does.
    const grade = given === null ? null : scoreMaximum > 0 ? (given * item.scoreMaximum) / scoreMaximum : given
    state.grades.set(key, {
      lineItemId: item.id,
      userId,
      grade,
      comment: typeof score.comment === 'string' ? score.comment : undefined,
      activityProgress: String(score.activityProgress),
      gradingProgress: String(score.gradingProgress),
      timemodified: stamp,
      timestamp: score.timestamp,
    })
    state.scoreLog.push({ lineItemId: item.id, userId, receivedAt: new Date().toISOString(), body: score, keptScore: given })
    state.counters.scoresAccepted++
    res.status(200).end()
  })

  r.get(`${base}/:itemId/lineitem/scores`, (_req, res) => {
    res.status(405).type('text').send('GET requests are not allowed.')
  })

  r.get(`${base}/:itemId/lineitem/results`, (req, res) => {
    const token = auth(req, res, [SCOPE.resultReadonly])
    const item = token && itemFor(req, res, token)
    if (!item) return
    let grades = [...state.grades.values()].filter((g) => g.lineItemId === item.id)
    if (typeof req.query.user_id === 'string') grades = grades.filter((g) => g.userId === req.query.user_id)
    const page = paged(req, res, grades, state.lineItemUrl(item, '/results'))
    res.type(MEDIA.resultContainer).send(JSON.stringify(page.map((g) => resultJson(state, item, g))))
  })

  return r
}
