import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitcher } from './LanguageSwitcher'

interface LayoutProps {
  title: string
  children: ReactNode
}

/** Page frame shared by both surfaces: skip link, header with the language menu, main landmark. */
export function Layout({ title, children }: LayoutProps) {
  const { t } = useTranslation()
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand">{title}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}
