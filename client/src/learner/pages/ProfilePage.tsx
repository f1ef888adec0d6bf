import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, type ApiError, type LearnerProfile } from '../api'
import { Heading } from '../components/Heading'
import { ErrorMessage, Loading } from '../components/Status'
import { TutorialCard } from '../components/TutorialCard'

/** The learner's profile: 16 competence cards with level and pix, the total, certifiability, tests outside campaigns. */
export function ProfilePage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [profile, setProfile] = useState<LearnerProfile>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    api
      .profile()
      .then(setProfile)
      .catch((e: Error) => setError(e.message))
  }, [])

  const handleTest = async (code: string, ongoing: string | null) => {
    try {
      const id = ongoing ?? (await api.startCompetence(code)).assessmentId
      void navigate(`/competences/${code}/evaluation/${id}`)
    } catch (e) {
      setError((e as ApiError).message)
    }
  }

  if (!profile) return error ? <ErrorMessage message={error} /> : <Loading />
  return (
    <div className="lj-stack">
      <section className="card lj-profile-head">
        <Heading>{t('learner.profile.title')}</Heading>
        <p>{t('learner.profile.intro')}</p>
        <p className="lj-total">
          <span className="lj-big">{profile.totalPix}</span> <span className="muted">/ {profile.maxReachablePix} pix</span>
        </p>
        <p>{profile.isCertifiable ? t('learner.results.certifiable') : t('learner.results.notCertifiable')}</p>
        {error && <ErrorMessage message={error} />}
      </section>
      <ul className="lj-cards">
        {profile.competences.map((c) => (
          <li key={c.code} className={`lj-competence lj-area-${c.area.color}`}>
            <p className="lj-area">{c.area.title}</p>
            <h2>
              {c.code} {c.name}
            </h2>
            <p className="lj-level">
              <span>{t('learner.profile.levelValue', { level: c.level })}</span> <span className="muted">{t('learner.profile.pixValue', { pix: c.pixScore })}</span>
            </p>
            <button type="button" className="button button-secondary" onClick={() => void handleTest(c.code, c.ongoingAssessmentId)}>
              {c.ongoingAssessmentId ? t('learner.profile.resumeTest') : t('learner.profile.startTest')}
              <span className="visually-hidden"> : {c.name}</span>
            </button>
            {c.tutorials.length > 0 && (
              <details>
                <summary>{t('learner.profile.tutorialsFor', { name: c.name })}</summary>
                <ul className="lj-tutorials">
                  {c.tutorials.map((tuto) => (
                    <TutorialCard key={tuto.id} tutorial={tuto} />
                  ))}
                </ul>
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}
