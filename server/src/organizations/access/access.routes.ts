/**
 * Jalon Orga access routes: sign-in, invitations (team side and invitee side), password reset, team.
 * Every team route is scoped to req.orga.organizationId: another organization's member or invitation is a 404.
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { AppError } from '../../shared/app-error'
import { InvitationNotFound, MemberNotFound } from '../errors'
import { createOrgaSession, deleteOrgaSession, listUserOrganizations, readOrgaToken, setOrgaCookie, type OrgaSessionMiddlewares } from '../orga-session'
import type { AccessDeps } from './access-deps'
import { acceptInvitation, describeInvitation } from './accept-invitation'
import { listPendingInvitations } from './invitation.repository'
import { inviteMembers, parseEmailList } from './invite-members'
import { cancelInvitation, resendInvitation } from './manage-invitations'
import { requestPasswordReset, resetPassword } from './password-reset'
import { presentMe } from './session.routes'
import { signIn } from './sign-in'
import { changeMemberRole, listMembers, removeMember } from './team'

class InvalidEmails extends AppError {
  readonly code = 'INVALID_REQUEST'
}

const Role = z.enum(['ADMIN', 'MEMBER'])
const SignInBody = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(255) })
const InviteBody = z.object({ emails: z.union([z.string().max(10_000), z.array(z.string().max(320)).max(200)]), role: Role.default('MEMBER') })
const TokenBody = z.object({ token: z.string().min(10).max(200) })
const AcceptBody = TokenBody.extend({
  password: z.string().min(1).max(255),
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
})
const ResetRequestBody = z.object({ email: z.string().trim().min(1).max(320) })
const ResetBody = TokenBody.extend({ password: z.string().min(1).max(255) })
const IdParams = z.object({ id: z.uuid() })
const UserParams = z.object({ userId: z.uuid() })
const RoleBody = z.object({ role: Role })

const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown'

/** Not found rather than 400 for a malformed id: the caller learns nothing either way. */
function parseId<T>(schema: z.ZodType<T>, params: unknown, notFound: () => Error): T {
  const parsed = schema.safeParse(params)
  if (!parsed.success) throw notFound()
  return parsed.data
}

export function accessRoutes(deps: AccessDeps & { sessions: OrgaSessionMiddlewares }): Router {
  const router = Router()
  const { requireOrgaSession, requireOrgaAdmin } = deps.sessions
  const { db } = deps

  async function openSession(req: Request, res: Response, ids: { userId: string; organizationId: string }) {
    // A fresh token at every sign-in (no session fixation); the previous one of this browser dies.
    const previous = readOrgaToken(req)
    if (previous) await deleteOrgaSession(db, previous)
    const session = await createOrgaSession(db, { ...ids, origin: 'PASSWORD', now: deps.clock.now() })
    setOrgaCookie(req, res, session)
    const role = (await listUserOrganizations(db, ids.userId)).find((o) => o.id === ids.organizationId)?.role ?? 'MEMBER'
    res.setHeader('Cache-Control', 'no-store')
    res.json(await presentMe(db, { ...ids, role }))
  }

  router.post('/api/orga/auth/sign-in', async (req, res) => {
    const body = SignInBody.parse(req.body)
    await openSession(req, res, await signIn({ ...body, ip: clientIp(req) }, deps))
  })

  router.post('/api/orga/auth/password-reset', async (req, res) => {
    await requestPasswordReset(ResetRequestBody.parse(req.body), deps)
    res.status(202).json({ sent: true })
  })

  router.post('/api/orga/auth/password-reset/confirm', async (req, res) => {
    await resetPassword(ResetBody.parse(req.body), deps)
    res.status(204).end()
  })

  // Invitee side (no session): the token is in the body, never in a URL the server logs.
  router.post('/api/orga/invitations/lookup', async (req, res) => {
    res.json(await describeInvitation(TokenBody.parse(req.body).token, deps))
  })

  router.post('/api/orga/invitations/accept', async (req, res) => {
    const body = AcceptBody.parse(req.body)
    await openSession(req, res, await acceptInvitation({ ...body, ip: clientIp(req) }, deps))
  })

  // Team side.
  router.get('/api/orga/members', requireOrgaSession, async (req, res) => {
    res.json({ members: await listMembers(db, req.orga!.organizationId) })
  })

  router.put('/api/orga/members/:userId/role', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    const { userId } = parseId(UserParams, req.params, memberNotFound)
    const { role } = RoleBody.parse(req.body)
    await changeMemberRole({ organizationId: req.orga!.organizationId, actorId: req.orga!.userId, userId, role }, deps)
    res.status(204).end()
  })

  router.delete('/api/orga/members/:userId', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    const { userId } = parseId(UserParams, req.params, memberNotFound)
    await removeMember({ organizationId: req.orga!.organizationId, actorId: req.orga!.userId, userId }, deps)
    res.status(204).end()
  })

  router.get('/api/orga/invitations', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    res.json({ invitations: await listPendingInvitations(db, req.orga!.organizationId) })
  })

  router.post('/api/orga/invitations', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    const body = InviteBody.parse(req.body)
    const { valid, invalid } = parseEmailList(body.emails)
    if (invalid.length > 0 || valid.length === 0) {
      throw new InvalidEmails(
        valid.length === 0 && invalid.length === 0 ? 'Saisissez au moins une adresse e-mail.' : `Adresse(s) e-mail invalide(s) : ${invalid.join(', ')}`,
        { problems: { emails: invalid.length ? `Adresse(s) invalide(s) : ${invalid.join(', ')}` : 'Saisissez au moins une adresse e-mail.' }, invalid },
      )
    }
    res.status(201).json(await inviteMembers({ organizationId: req.orga!.organizationId, invitedBy: req.orga!.userId, emails: valid, role: body.role }, deps))
  })

  router.post('/api/orga/invitations/:id/resend', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    const { id } = parseId(IdParams, req.params, invitationNotFound)
    await resendInvitation({ organizationId: req.orga!.organizationId, invitationId: id }, deps)
    res.status(204).end()
  })

  router.delete('/api/orga/invitations/:id', requireOrgaSession, requireOrgaAdmin, async (req, res) => {
    const { id } = parseId(IdParams, req.params, invitationNotFound)
    await cancelInvitation({ organizationId: req.orga!.organizationId, invitationId: id }, deps)
    res.status(204).end()
  })

  return router
}

const memberNotFound = () => new MemberNotFound('Membre introuvable.')
const invitationNotFound = () => new InvitationNotFound('Invitation introuvable.')
