import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { openOrgaInNewTab, startLaunchSession, type LaunchSession } from '../api/launch-session'
import { Layout } from '../components/Layout'

/**
 * The learner surface, embedded in the LMS iframe after a launch. The launch bootstrap lives here;
 * the test itself (start, answer, share) is mounted where marked by the learner-journey work.
 */
export function LearnerApp() {
  const { t } = useTranslation()
  const [session, setSession] = useState<LaunchSession | undefined | null>(null)
  useEffect(() => {
    startLaunchSession()
      .then((s) => setSession(s))
      .catch(() => setSession(undefined))
  }, [])
  const launch = session?.launch
  const name = launch?.firstName ?? ''
  return (
    <Layout title={t('learner.title')}>
      <div className="card" data-testid="learner-home" data-launch-state={session === null ? 'loading' : launch ? 'ready' : 'none'}>
        <h1>{name ? `${t('learner.welcome')} ${name}` : t('learner.welcome')}</h1>
        <p>{t('learner.intro')}</p>
        {session === undefined && <p role="alert">Session expirée : relancez l’activité depuis votre plateforme.</p>}
        {launch && launch.role !== 'learner' && (
          <p>
            <button type="button" onClick={() => void openOrgaInNewTab()}>
              Ouvrir Jalon Orga dans un nouvel onglet
            </button>
          </p>
        )}
        {/* Learner journey hook: mount the campaign test here with launch.campaignId and launchFetch. */}
      </div>
    </Layout>
  )
}
