import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { api, type LearnerHome } from '../api'
import { Heading } from '../components/Heading'
import { ErrorMessage, Loading } from '../components/Status'

// The activity's campaign opens by itself once per app start; "Parcours" in the menu then shows this page.
let enteredLaunchCampaign = false

/** Home: the activity's campaign, a campaign code form, and the campaigns already joined ("Reprendre"). */
export function HomePage() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [home, setHome] = useState<LearnerHome>()
  const [error, setError] = useState<string>()
  const [code, setCode] = useState('')

  useEffect(() => {
    api
      .home()
      .then((h) => {
        if (h.launchCampaignCode && !enteredLaunchCampaign) {
          enteredLaunchCampaign = true
          void navigate(`/campagnes/${h.launchCampaignCode}`, { replace: true })
          return
        }
        setHome(h)
      })
      .catch((e: Error) => setError(e.message))
  }, [navigate])

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault()
    const normalized = code.replace(/\s+/g, '').toUpperCase()
    if (normalized) void navigate(`/campagnes/${normalized}`)
  }

  if (error) return <ErrorMessage message={error} />
  if (!home) return <Loading />
  const unfinished = home.participations.find((p) => p.status === 'STARTED')
  return (
    <div className="lj-stack">
      {unfinished && (
        <div className="lj-banner">
          <p>{t('learner.home.resume', { title: unfinished.title })}</p>
          <Link className="button" to={`/campagnes/${unfinished.code}`}>
            {t('learner.home.resumeButton')}
          </Link>
        </div>
      )}
      <div className="card">
        <Heading>{t('learner.home.title')}</Heading>
        <form onSubmit={handleSubmit} className="lj-code-form">
          <label htmlFor="campaign-code">{t('learner.codeLabel')}</label>
          <p className="hint" id="campaign-code-hint">
            {t('learner.codeHint')}
          </p>
          <input
            id="campaign-code"
            type="text"
            autoComplete="off"
            aria-describedby="campaign-code-hint"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button className="button" type="submit">
            {t('learner.codeSubmit')}
          </button>
        </form>
      </div>
      {home.participations.length > 0 && (
        <section className="card" aria-labelledby="joined-title">
          <h2 id="joined-title">{t('learner.home.joined')}</h2>
          <ul className="lj-list">
            {home.participations.map((p) => (
              <li key={p.code}>
                <Link to={p.status === 'STARTED' ? `/campagnes/${p.code}` : `/campagnes/${p.code}/resultats`}>{p.title}</Link>{' '}
                <span className="lj-tag">{t(`learner.home.status.${p.status}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}
