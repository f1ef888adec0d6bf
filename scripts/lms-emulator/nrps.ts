/**
 * Names and Role Provisioning Services as Moodle's ltiservice_memberships answers: enrolled users only, short role
 * names (`Learner`, `Instructor`) while launches carry full URIs, `lis_person_sourcedid` always, names and e-mail
 * only per the tool's privacy settings, `role`/`limit`/`from` query parameters and a Link rel="next" header.
 */
import { Router } from 'express'
import { MEDIA, SCOPE } from './claims'
import type { EmulatorState } from './state'
import { bearer } from './token'
import type { Tool, User } from './types'

function memberJson(user: User, tool: Tool): Record<string, unknown> {
  const role = user.courseRole === 'editingteacher' ? 'Instructor' : 'Learner'
  const m: Record<string, unknown> = { status: 'Active', roles: [role], user_id: user.id }
  if (user.idnumber) m.lis_person_sourcedid = user.idnumber
  if (tool.sendName) {
    const full = [user.givenName, user.familyName].filter(Boolean).join(' ')
    if (full) m.name = full
    if (user.givenName) m.given_name = user.givenName
    if (user.familyName) m.family_name = user.familyName
  }
  if (tool.sendEmail && user.email) m.email = user.email
  if (tool.sendName) m.ext_user_username = user.username
  return m
}

/** Moodle's role filter: Instructor = can manage activities; Learner = the others. Full URIs and short names both work. */
function matchesRole(user: User, role: string): boolean {
  const short = role.includes('#') ? role.slice(role.lastIndexOf('#') + 1) : role.slice(role.lastIndexOf('/') + 1)
  const instructor = user.courseRole === 'editingteacher'
  if (short === 'Instructor') return instructor
  if (short === 'Learner') return !instructor
  return false
}

export function nrpsRoutes(state: EmulatorState): Router {
  const r = Router()
  r.get('/mod/lti/services.php/CourseSection/:courseId/bindings/:typeId/memberships', (req, res) => {
    state.counters.nrpsRequests++
    const token = bearer(state, req, [SCOPE.nrps])
    const tool = state.tools.get(req.params.typeId)
    if (!token || !tool || token.typeId !== tool.typeId) return void res.status(401).type('text').send('Unauthorized')
    if (req.params.courseId !== state.course.id) return void res.status(404).type('text').send('Not Found')
    if (typeof req.query.rlid === 'string' && !state.activities.has(req.query.rlid)) {
      return void res.status(404).type('text').send('Resource link not found')
    }
    let users = state.enrolledUsers()
    if (typeof req.query.role === 'string') {
      const role = req.query.role
      users = users.filter((u) => matchesRole(u, role))
    }
    const url = state.membershipsUrl(tool.typeId)
    const asked = Number(req.query.limit ?? 0) || 0
    const forced = state.settings.nrpsPageSize
    const limit = forced && (!asked || asked > forced) ? forced : asked
    const from = Math.max(0, Number(req.query.from ?? 0) || 0)
    let page = users
    if (limit > 0) {
      page = users.slice(from, from + limit)
      if (from + limit < users.length) {
        const next = new URL(url)
        for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string' && k !== 'limit' && k !== 'from') next.searchParams.set(k, v)
        next.searchParams.set('limit', String(limit))
        next.searchParams.set('from', String(from + limit))
        res.set('Link', `<${next.toString()}>; rel="next"`)
      }
    }
    const c = state.course
    res.type(MEDIA.membershipContainer).send(
      JSON.stringify({ id: url, context: { id: c.id, label: c.label, title: c.title }, members: page.map((u) => memberJson(u, tool)) }),
    )
  })
  return r
}
