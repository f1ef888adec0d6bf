import { useTranslation } from 'react-i18next'
import { Layout } from '../components/Layout'

/** The learner surface, embedded in the LMS iframe after a launch. */
export function LearnerApp() {
  const { t } = useTranslation()
  return (
    <Layout title={t('learner.title')}>
      <div className="card">
        <h1>{t('learner.welcome')}</h1>
        <p>{t('learner.intro')}</p>
      </div>
    </Layout>
  )
}
