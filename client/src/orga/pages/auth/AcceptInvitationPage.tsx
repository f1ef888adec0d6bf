/**
 * The invitation link: shows the organization, then creates the account (names + password) or, when the
 * e-mail already has one, asks for its password. Ends signed in, in the organization.
 */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { request, type Role } from '../../api'
import { FormError } from '../../components/FormError'
import { useLoad } from '../../components/useLoad'
import { useDocumentTitle } from '../../shell/useDocumentTitle'
import { AuthFrame } from './AuthFrame'

interface InvitationInfo {
  organizationName: string
  email: string
  role: Role
  hasAccount: boolean
}

export default function AcceptInvitationPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('orga.invitation.title'))
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const info = useLoad(() => request<InvitationInfo>('/invitations/lookup', { method: 'POST', body: { token } }), [token])
  const [firstName, setFirstName] = useState('')
  const [lastName, setLastName] = useState('')
  const [password, setPassword] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [error, setError] = useState<unknown>()
  const [mismatch, setMismatch] = useState(false)
  const [busy, setBusy] = useState(false)

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault()
    const creating = !info.data?.hasAccount
    if (creating && password !== confirmation) {
      setMismatch(true)
      return
    }
    setMismatch(false)
    setBusy(true)
    setError(undefined)
    try {
      await request('/invitations/accept', { method: 'POST', body: creating ? { token, password, firstName, lastName } : { token, password } })
      navigate('/campagnes', { replace: true })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <AuthFrame>
      <h1>{t('orga.invitation.title')}</h1>
      {info.loading ? <p role="status">{t('common.loading')}</p> : null}
      {info.error ? (
        <div className="card">
          <FormError error={info.error} />
          <p>
            <Link to="/connexion">{t('orga.common.toSignIn')}</Link>
          </p>
        </div>
      ) : null}
      {info.data ? (
        <section className="card">
          <p>{t('orga.invitation.intro', { organization: info.data.organizationName, role: t(`orga.roles.${info.data.role}`).toLowerCase() })}</p>
          <p>
            {t('orga.fields.email')} : <strong>{info.data.email}</strong>
          </p>
          <form onSubmit={handleSubmit} noValidate>
            {info.data.hasAccount ? (
              <p className="hint">{t('orga.invitation.existingAccount')}</p>
            ) : (
              <>
                <p className="hint">{t('orga.invitation.newAccount')}</p>
                <div className="field">
                  <label htmlFor="firstName">{t('orga.fields.firstName')}</label>
                  <input id="firstName" type="text" autoComplete="given-name" required value={firstName} onChange={(e) => setFirstName(e.target.value)} />
                </div>
                <div className="field">
                  <label htmlFor="lastName">{t('orga.fields.lastName')}</label>
                  <input id="lastName" type="text" autoComplete="family-name" required value={lastName} onChange={(e) => setLastName(e.target.value)} />
                </div>
              </>
            )}
            <div className="field">
              <label htmlFor="password">{info.data.hasAccount ? t('orga.fields.password') : t('orga.fields.newPassword')}</label>
              {info.data.hasAccount ? null : (
                <p id="password-rules" className="hint">
                  {t('orga.fields.passwordRules')}
                </p>
              )}
              <input
                id="password"
                type="password"
                autoComplete={info.data.hasAccount ? 'current-password' : 'new-password'}
                aria-describedby={info.data.hasAccount ? undefined : 'password-rules'}
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </div>
            {info.data.hasAccount ? null : (
              <div className="field">
                <label htmlFor="confirmation">{t('orga.fields.confirmPassword')}</label>
                <input id="confirmation" type="password" autoComplete="new-password" required value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
              </div>
            )}
            {mismatch ? (
              <p role="alert" className="orga-alert orga-alert-error">
                {t('orga.fields.passwordMismatch')}
              </p>
            ) : null}
            <FormError error={error} />
            <button type="submit" className="button" disabled={busy}>
              {t('orga.invitation.submit')}
            </button>
          </form>
        </section>
      ) : null}
    </AuthFrame>
  )
}
