import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { BrowserRouter, NavLink, Route, Routes } from 'react-router'
import { openOrgaInNewTab, startLaunchSession, type LaunchSession } from '../api/launch-session'
import { Layout } from '../components/Layout'
import { AssessmentPage } from './pages/AssessmentPage'
import { CampaignPage } from './pages/CampaignPage'
import { HomePage } from './pages/HomePage'
import { ProfilePage } from './pages/ProfilePage'
import { ResultsPage } from './pages/ResultsPage'
import { TutorialsPage } from './pages/TutorialsPage'

/**
 * The learner surface, embedded in the LMS iframe after a launch: the launch code is exchanged for a
 * bearer token (kept out of the URL), then the journey's screens under /app.
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

  if (!launch) {
    return (
      <Layout title={t('learner.title')}>
        <div className="card" data-testid="learner-home" data-launch-state={session === null ? 'loading' : 'none'}>
          <h1>{t('learner.welcome')}</h1>
          <p>{t('learner.intro')}</p>
          {session === undefined && <p role="alert">{t('learner.sessionExpired')}</p>}
        </div>
      </Layout>
    )
  }
  return (
    <BrowserRouter basename="/app">
      <Layout title={t('learner.title')}>
        <nav aria-label={t('learner.nav.label')} className="lj-nav">
          <NavLink to="/" end>
            {t('learner.nav.home')}
          </NavLink>
          <NavLink to="/profil">{t('learner.nav.profile')}</NavLink>
          <NavLink to="/tutoriels">{t('learner.nav.tutorials')}</NavLink>
          {launch.role !== 'learner' && (
            <button type="button" className="lj-link-button" onClick={() => void openOrgaInNewTab()}>
              {t('learner.openOrga')}
            </button>
          )}
        </nav>
        <div data-testid="learner-home" data-launch-state="ready">
          <Routes>
            <Route index element={<HomePage />} />
            <Route path="campagnes/:code" element={<CampaignPage />} />
            <Route path="campagnes/:code/evaluation/:assessmentId" element={<AssessmentPage />} />
            <Route path="campagnes/:code/resultats" element={<ResultsPage />} />
            <Route path="competences/:competenceCode/evaluation/:assessmentId" element={<AssessmentPage />} />
            <Route path="profil" element={<ProfilePage />} />
            <Route path="tutoriels" element={<TutorialsPage />} />
            <Route path="*" element={<HomePage />} />
          </Routes>
        </div>
      </Layout>
    </BrowserRouter>
  )
}
