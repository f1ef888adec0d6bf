/** "Mot de passe oublié": always the same answer, whether the e-mail has an account or not. */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { request } from '../../api'
import { FormError } from '../../components/FormError'
import { useDocumentTitle } from '../../shell/useDocumentTitle'
import { AuthFrame } from './AuthFrame'

export default function ForgotPasswordPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('orga.forgot.title'))
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<unknown>()

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    try {
      await request('/auth/password-reset', { method: 'POST', body: { email } })
      setSent(true)
    } catch (err) {
      setError(err)
    }
  }

  return (
    <AuthFrame>
      <h1>{t('orga.forgot.title')}</h1>
      <section className="card">
        {sent ? (
          <p role="status">{t('orga.forgot.sent')}</p>
        ) : (
          <form onSubmit={handleSubmit} noValidate>
            <p className="hint">{t('orga.forgot.intro')}</p>
            <div className="field">
              <label htmlFor="email">{t('orga.fields.email')}</label>
              <input id="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </div>
            <FormError error={error} />
            <button type="submit" className="button">
              {t('orga.forgot.submit')}
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
