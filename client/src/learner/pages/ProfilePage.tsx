import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { api, type ApiError, type CompetenceCard, type LearnerProfile } from '../api'
import { Heading } from '../components/Heading'
import { ErrorMessage, Loading } from '../components/Status'
import { TutorialCard } from '../components/TutorialCard'

/**
 * The learner's profile: 16 competence cards with level and pix, the total, certifiability, tests outside campaigns,
 * and « Remettre à zéro » on a competence once its delay has passed (asked for confirmation first).
 */
export function ProfilePage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [profile, setProfile] = useState<LearnerProfile>()
  const [error, setError] = useState<string>()
  const [notice, setNotice] = useState<string>()
  const noticeRef = useRef<HTMLParagraphElement>(null)

  const load = () =>
    api
      .profile()
      .then(setProfile)
      .catch((e: Error) => setError(e.message))
  useEffect(() => {
    void load()
  }, [])
  useEffect(() => {
    if (notice) noticeRef.current?.focus()
  }, [notice])

  const handleReset = async (c: CompetenceCard) => {
    try {
      setError(undefined)
      await api.resetCompetence(c.code)
      await load()
      setNotice(t('learner.profile.resetDone', { name: c.name }))
    } catch (e) {
      setError((e as ApiError).message)
    }
  }

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
        {notice && (
          <p role="status" tabIndex={-1} ref={noticeRef}>
            {notice}
          </p>
        )}
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
            <CompetenceReset competence={c} onConfirm={() => handleReset(c)} />
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

/** « Remettre à zéro »: a button once the delay has passed, then an inline confirmation (no modal: it runs in an LMS iframe). */
function CompetenceReset({ competence: c, onConfirm }: { competence: CompetenceCard; onConfirm: () => Promise<void> }) {
  const { t } = useTranslation()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const openRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (confirming) confirmRef.current?.focus()
  }, [confirming])

  if (c.remainingDaysBeforeReset === null) return null
  if (c.remainingDaysBeforeReset > 0) return <p className="muted lj-reset-later">{t('learner.profile.resetIn', { count: c.remainingDaysBeforeReset })}</p>
  if (!confirming)
    return (
      <button type="button" ref={openRef} className="button-link lj-reset" onClick={() => setConfirming(true)}>
        {t('learner.profile.reset')}
        <span className="visually-hidden"> : {c.name}</span>
      </button>
    )
  const titleId = `reset-title-${c.code}`
  return (
    <div className="lj-reset-confirm" role="group" aria-labelledby={titleId}>
      <p id={titleId}>
        <strong>{t('learner.profile.resetConfirmTitle', { name: c.name })}</strong>
      </p>
      <p>{t('learner.profile.resetConfirmText')}</p>
      <div className="lj-actions">
        <button
          type="button"
          ref={confirmRef}
          className="button lj-button-danger"
          disabled={busy}
          onClick={() => {
            setBusy(true)
            void onConfirm().finally(() => setBusy(false))
          }}
        >
          {t('learner.profile.resetConfirm')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setConfirming(false)
            setTimeout(() => openRef.current?.focus())
          }}
        >
          {t('learner.profile.resetCancel')}
        </button>
      </div>
    </div>
  )
}
