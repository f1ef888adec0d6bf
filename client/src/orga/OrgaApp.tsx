import { useTranslation } from 'react-i18next'
import { Layout } from '../components/Layout'

/** Jalon Orga, the prescribers' dashboard (standalone tab, first-party session). */
export function OrgaApp() {
  const { t } = useTranslation()
  return (
    <Layout title={t('orga.title')}>
      <div className="card">
        <h1>{t('orga.welcome')}</h1>
        <p>{t('orga.intro')}</p>
        <p className="muted">{t('orga.signInHint')}</p>
      </div>
    </Layout>
  )
}
