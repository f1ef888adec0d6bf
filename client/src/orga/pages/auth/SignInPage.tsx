/** Sign-in with e-mail and password (accounts come from invitations; LMS teachers use the link from their course). */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { request } from '../../api'
import { FormError } from '../../components/FormError'
import { useDocumentTitle } from '../../shell/useDocumentTitle'
import { AuthFrame } from './AuthFrame'

/** Only same-app paths: `next` must never send the user to another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/campagnes'
}

export default function SignInPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('orga.signIn.title'))
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await request('/auth/sign-in', { method: 'POST', body: { email, password } })
      navigate(safeNext(params.get('next')), { replace: true })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <AuthFrame>
      <h1>{t('orga.welcome')}</h1>
      <p>{t('orga.intro')}</p>
      <section className="card" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t('orga.signIn.title')}</h2>
        <p className="hint">{t('orga.signIn.restricted')}</p>
        <form onSubmit={handleSubmit} noValidate>
          <div className="field">
            <label htmlFor="email">{t('orga.fields.email')}</label>
            <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="password">{t('orga.fields.password')}</label>
            <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <FormError error={error} />
          <button type="submit" className="button" disabled={busy}>
            {t('orga.signIn.submit')}
          </button>
        </form>
        <p>
          <Link to="/mot-de-passe-oublie">{t('orga.signIn.forgot')}</Link>
        </p>
        <p className="muted">{t('orga.signInHint')}</p>
      </section>
    </AuthFrame>
  )
}
