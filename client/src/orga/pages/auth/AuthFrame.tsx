import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitcher } from '../../../components/LanguageSwitcher'

/** Frame of the signed-out screens (sign-in, invitation, password reset). */
export function AuthFrame({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="orga-topbar">
        <span className="brand">Jalon Orga</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="orga-main orga-auth" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}
