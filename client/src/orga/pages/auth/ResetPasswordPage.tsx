/** The reset link: choose a new password (single use; every open session ends). */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router'
import { request } from '../../api'
import { FormError } from '../../components/FormError'
import { useDocumentTitle } from '../../shell/useDocumentTitle'
import { AuthFrame } from './AuthFrame'

export default function ResetPasswordPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('orga.reset.title'))
  const [params] = useSearchParams()
  const [password, setPassword] = useState('')
  const [confirmation, setConfirmation] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const [done, setDone] = useState(false)
  const [error, setError] = useState<unknown>()

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (password !== confirmation) {
      setMismatch(true)
      return
    }
    setMismatch(false)
    setError(undefined)
    try {
      await request('/auth/password-reset/confirm', { method: 'POST', body: { token: params.get('token') ?? '', password } })
      setDone(true)
    } catch (err) {
      setError(err)
    }
  }

  return (
    <AuthFrame>
      <h1>{t('orga.reset.title')}</h1>
      <section className="card">
        {done ? (
          <p role="status">{t('orga.reset.done')}</p>
        ) : (
          <form onSubmit={handleSubmit} noValidate>
            <div className="field">
              <label htmlFor="password">{t('orga.fields.newPassword')}</label>
              <p id="password-rules" className="hint">
                {t('orga.fields.passwordRules')}
              </p>
              <input id="password" type="password" autoComplete="new-password" aria-describedby="password-rules" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="confirmation">{t('orga.fields.confirmPassword')}</label>
              <input id="confirmation" type="password" autoComplete="new-password" required value={confirmation} onChange={(e) => setConfirmation(e.target.value)} />
            </div>
            {mismatch ? (
              <p role="alert" className="orga-alert orga-alert-error">
                {t('orga.fields.passwordMismatch')}
              </p>
            ) : null}
            <FormError error={error} />
            <button type="submit" className="button">
              {t('orga.reset.submit')}
            </button>
          </form>
        )}
        <p>
          <Link to="/connexion">{t('orga.common.toSignIn')}</Link>
        </p>
      </section>
    </AuthFrame>
  )
}
