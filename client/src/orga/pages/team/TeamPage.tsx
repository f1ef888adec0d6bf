/**
 * "Équipe": members by role; administrators invite (several e-mails separated by commas), resend or cancel
 * pending invitations, change roles and remove members — never themselves.
 */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { displayName, formatDate, request, type Invitation, type Member, type Role } from '../../api'
import { Dialog } from '../../components/Dialog'
import { FormError } from '../../components/FormError'
import { useLoad } from '../../components/useLoad'
import { useOrgaSession } from '../../session'
import { useDocumentTitle } from '../../shell/useDocumentTitle'
import { OrgaTable } from '../../components/OrgaTable'

export default function TeamPage() {
  const { t, i18n } = useTranslation()
  useDocumentTitle(t('orga.team.title'))
  const { me, isAdmin } = useOrgaSession()
  const members = useLoad(() => request<{ members: Member[] }>('/members'), [])
  const invitations = useLoad(() => (isAdmin ? request<{ invitations: Invitation[] }>('/invitations') : Promise.resolve({ invitations: [] })), [isAdmin])
  const [inviting, setInviting] = useState(false)
  const [removing, setRemoving] = useState<Member | undefined>()
  const [status, setStatus] = useState('')
  const [actionError, setActionError] = useState<unknown>()

  const act = async (action: () => Promise<unknown>, message: string) => {
    setActionError(undefined)
    try {
      await action()
      setStatus(message)
      members.reload()
      invitations.reload()
    } catch (err) {
      setActionError(err)
    }
  }

  const admins = members.data?.members.filter((m) => m.role === 'ADMIN').length ?? 0
  return (
    <>
      <div className="orga-page-head">
        <h1>{t('orga.team.title')}</h1>
        {isAdmin ? (
          <button type="button" className="button" onClick={() => setInviting(true)}>
            {t('orga.team.invite')}
          </button>
        ) : null}
      </div>
      <p role="status" className="orga-status">
        {status}
      </p>
      <FormError error={actionError ?? members.error ?? invitations.error} />

      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('orga.team.members', { count: members.data?.members.length ?? 0 })}</h2>
        {members.data ? (
          <OrgaTable
            labelledBy="members-title"
            columns={[
              t('orga.fields.lastName'),
              t('orga.fields.firstName'),
              t('orga.fields.email'),
              t('orga.team.role'),
              isAdmin && t('orga.common.actions'),
            ]}
          >
            {members.data.members.map((m) => {
              const self = m.userId === me.user.id
              return (
                <tr key={m.userId}>
                  <td>{m.lastName}</td>
                  <td>{m.firstName}</td>
                  <td>{m.email}</td>
                  <td>
                    {isAdmin && !self ? (
                      <>
                        <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                          {t('orga.team.changeRoleOf', { name: displayName(m) })}
                        </label>
                        <select
                          id={`role-${m.userId}`}
                          value={m.role}
                          onChange={(e) =>
                            void act(
                              () => request(`/members/${m.userId}/role`, { method: 'PUT', body: { role: e.target.value as Role } }),
                              t('orga.team.roleChanged', { name: displayName(m), role: t(`orga.roles.${e.target.value}`) }),
                            )
                          }
                        >
                          <option value="ADMIN">{t('orga.roles.ADMIN')}</option>
                          <option value="MEMBER">{t('orga.roles.MEMBER')}</option>
                        </select>
                      </>
                    ) : (
                      <>
                        {t(`orga.roles.${m.role}`)}
                        {self ? <span className="muted"> {t('orga.team.you')}</span> : null}
                      </>
                    )}
                  </td>
                  {isAdmin ? (
                    <td>
                      {self ? null : (
                        <button type="button" className="orga-link-button" onClick={() => setRemoving(m)}>
                          {t('orga.team.remove')}
                          <span className="visually-hidden"> {displayName(m)}</span>
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              )
            })}
          </OrgaTable>
        ) : null}
        <p className="hint">{t('orga.team.adminsCount', { count: admins })}</p>
      </section>

      {isAdmin ? (
        <section aria-labelledby="invitations-title">
          <h2 id="invitations-title">{t('orga.team.invitations', { count: invitations.data?.invitations.length ?? 0 })}</h2>
          {invitations.data && invitations.data.invitations.length === 0 ? <p className="muted">{t('orga.team.noInvitation')}</p> : null}
          {invitations.data && invitations.data.invitations.length > 0 ? (
            <OrgaTable
              labelledBy="invitations-title"
              columns={[
                t('orga.fields.email'),
                t('orga.team.role'),
                t('orga.team.sentAt'),
                t('orga.common.actions'),
              ]}
            >
              {invitations.data.invitations.map((inv) => (
                <tr key={inv.id}>
                  <td>{inv.email}</td>
                  <td>{t(`orga.roles.${inv.role}`)}</td>
                  <td>{formatDate(inv.sentAt, i18n.language)}</td>
                  <td className="orga-actions">
                    <button
                      type="button"
                      className="orga-link-button"
                      onClick={() => void act(() => request(`/invitations/${inv.id}/resend`, { method: 'POST' }), t('orga.team.resent', { email: inv.email }))}
                    >
                      {t('orga.team.resend')}
                      <span className="visually-hidden"> {inv.email}</span>
                    </button>
                    <button
                      type="button"
                      className="orga-link-button"
                      onClick={() => void act(() => request(`/invitations/${inv.id}`, { method: 'DELETE' }), t('orga.team.cancelled', { email: inv.email }))}
                    >
                      {t('orga.team.cancel')}
                      <span className="visually-hidden"> {inv.email}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </OrgaTable>
          ) : null}
        </section>
      ) : null}

      <InviteDialog
        open={inviting}
        onClose={() => setInviting(false)}
        onInvited={(message) => {
          setInviting(false)
          setStatus(message)
          members.reload()
          invitations.reload()
        }}
      />
      <Dialog open={Boolean(removing)} title={t('orga.team.removeTitle')} onClose={() => setRemoving(undefined)}>
        {removing ? (
          <>
            <p>{t('orga.team.removeConfirm', { name: displayName(removing) })}</p>
            <div className="orga-dialog-actions">
              <button type="button" className="orga-secondary" onClick={() => setRemoving(undefined)}>
                {t('orga.common.cancel')}
              </button>
              <button
                type="button"
                className="button orga-danger"
                onClick={() => {
                  const m = removing
                  setRemoving(undefined)
                  void act(() => request(`/members/${m.userId}`, { method: 'DELETE' }), t('orga.team.removed', { name: displayName(m) }))
                }}
              >
                {t('orga.team.remove')}
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </>
  )
}

function InviteDialog({ open, onClose, onInvited }: { open: boolean; onClose(): void; onInvited(message: string): void }) {
  const { t } = useTranslation()
  const [emails, setEmails] = useState('')
  const [role, setRole] = useState<Role>('MEMBER')
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const result = await request<{ invited: string[]; alreadyMembers: string[] }>('/invitations', { method: 'POST', body: { emails, role } })
      const parts = [result.invited.length ? t('orga.team.invited', { count: result.invited.length, emails: result.invited.join(', ') }) : '']
      if (result.alreadyMembers.length) parts.push(t('orga.team.alreadyMembers', { emails: result.alreadyMembers.join(', ') }))
      setEmails('')
      onInvited(parts.filter(Boolean).join(' '))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog open={open} title={t('orga.team.invite')} onClose={onClose}>
      <form onSubmit={handleSubmit} noValidate>
        <p>{t('orga.team.inviteIntro')}</p>
        <div className="field">
          <label htmlFor="invite-emails">{t('orga.team.emails')}</label>
          <p id="invite-emails-hint" className="hint">
            {t('orga.team.emailsHint')}
          </p>
          <textarea id="invite-emails" rows={3} required aria-describedby="invite-emails-hint" value={emails} onChange={(e) => setEmails(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="invite-role">{t('orga.team.role')}</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="MEMBER">{t('orga.roles.MEMBER')}</option>
            <option value="ADMIN">{t('orga.roles.ADMIN')}</option>
          </select>
        </div>
        <FormError error={error} />
        <div className="orga-dialog-actions">
          <button type="button" className="orga-secondary" onClick={onClose}>
            {t('orga.common.cancel')}
          </button>
          <button type="submit" className="button" disabled={busy}>
            {t('orga.team.send')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
