import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useParams } from 'react-router'
import { api, type ApiError, type Decision, type LearnerCampaign, type LearnerResults } from '../api'
import { formatDelay } from '../format'
import { Heading } from '../components/Heading'
import { Markdown } from '../components/Markdown'
import { ProgressBar } from '../components/ProgressBar'
import { ErrorMessage, Loading } from '../components/Status'
import { TutorialCard } from '../components/TutorialCard'

/**
 * End of a campaign: mastery, per-competence results, stage, badges, tutorials; "J'envoie mes résultats"
 * (or "J'envoie mon profil"); "Je retente", "Repasser mon parcours" and reset when the rules allow.
 */
export function ResultsPage() {
  const { t } = useTranslation()
  const { code = '' } = useParams()
  const navigate = useNavigate()
  const [view, setView] = useState<LearnerCampaign>()
  const [results, setResults] = useState<LearnerResults | null>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [justShared, setJustShared] = useState(false)

  const load = useCallback(() => {
    Promise.all([api.campaign(code), api.results(code)])
      .then(([v, r]) => {
        if (!r) return void navigate(`/campagnes/${code}`, { replace: true })
        if (r.status === 'STARTED' && v.participation?.assessmentId)
          return void navigate(`/campagnes/${code}/evaluation/${v.participation.assessmentId}`, { replace: true })
        setView(v)
        setResults(r)
      })
      .catch((e: Error) => setError(e.message))
  }, [code, navigate])
  useEffect(load, [load])

  const act = async (action: () => Promise<{ assessmentId?: string | null }>, after?: () => void) => {
    setBusy(true)
    setError(undefined)
    try {
      const r = await action()
      if (r.assessmentId) return void navigate(`/campagnes/${code}/evaluation/${r.assessmentId}`)
      after?.()
      load()
    } catch (e) {
      setError((e as ApiError).message)
    } finally {
      setBusy(false)
    }
  }

  if (error && !results) return <ErrorMessage message={error} />
  if (!view || !results) return <Loading />
  const { campaign } = view
  const shared = results.status === 'SHARED'
  const isProfile = campaign.type === 'PROFILES_COLLECTION'

  return (
    <div className="lj-stack">
      <section className="card" aria-labelledby="results-title">
        <Heading focusKey={`${results.status}`}>
          <span id="results-title">{campaign.title}</span>
        </Heading>
        {results.assessment && (
          <p className="lj-mastery">
            <span className="lj-big">{results.assessment.masteryPercentage} %</span>{' '}
            {t('learner.results.mastery', { percent: results.assessment.masteryPercentage })}
          </p>
        )}
        {results.assessment?.stage && (
          <div className="lj-stage">
            <p className="lj-stage-title">
              <strong>{results.assessment.stage.title}</strong>{' '}
              <span className="muted">{t('learner.results.stage', { reached: results.assessment.stage.reached, total: results.assessment.stage.total })}</span>
            </p>
            <Markdown text={results.assessment.stage.message} />
          </div>
        )}
        {results.profile && <ProfileSummary profile={results.profile} />}

        <div className="lj-share" aria-live="polite">
          {results.disabled && !shared && <p>{t('learner.results.disabled')}</p>}
          {results.canShare && (
            <>
              <p>{t('learner.results.shareIntro')}</p>
              <button type="button" className="button" disabled={busy} onClick={() => void act(() => api.share(code).then(() => ({})), () => setJustShared(true))}>
                {busy ? t('learner.results.sharing') : isProfile ? t('learner.results.shareProfile') : t('learner.results.share')}
              </button>
            </>
          )}
          {shared && (
            <p className="lj-success" role={justShared ? 'status' : undefined}>
              ✓ {isProfile ? t('learner.results.profileShared') : t('learner.results.shared')}
            </p>
          )}
        </div>
        {error && <ErrorMessage message={error} />}
        {campaign.resultText && shared && <Markdown className="lj-markdown" text={campaign.resultText} />}
        {campaign.resultButton && shared && (
          <p>
            <a className="button" href={campaign.resultButton.url} target="_blank" rel="noopener noreferrer">
              {campaign.resultButton.text}
            </a>
          </p>
        )}
        <TryAgain results={results} isProfile={isProfile} busy={busy} onRetry={() => void act(() => api.retry(code))} onImprove={() => void act(() => api.improve(code))} onReset={() => void act(() => api.reset(code))} />
      </section>

      {results.assessment && (
        <section className="card" aria-labelledby="detailed-title">
          <h2 id="detailed-title">{t('learner.results.detailed')}</h2>
          <table className="lj-table">
            <thead>
              <tr>
                <th scope="col">{t('learner.results.competence')}</th>
                <th scope="col">{t('learner.results.result')}</th>
              </tr>
            </thead>
            <tbody>
              {results.assessment.competences.map((c) => (
                <tr key={c.code}>
                  <th scope="row">
                    {c.code} {c.name}
                  </th>
                  <td>
                    <ProgressBar value={c.masteryPercentage / 100} label={`${c.code} ${c.name}`} />
                    <span className="visually-hidden">
                      {t('learner.results.competenceResult', { percent: c.masteryPercentage, validated: c.validatedSkills, total: c.totalSkills })}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">ⓘ {t('learner.results.note')}</p>
        </section>
      )}
      {results.assessment && results.assessment.badges.length > 0 && (
        <section className="card" aria-labelledby="badges-title">
          <h2 id="badges-title">{t('learner.results.badges')}</h2>
          <ul className="lj-badges">
            {results.assessment.badges.map((b) => (
              <li key={b.key} className={b.acquired ? 'lj-badge lj-badge-on' : 'lj-badge'}>
                <strong>{b.title}</strong> <span className="lj-tag">{b.acquired ? t('learner.results.badgeAcquired') : t('learner.results.badgeNotAcquired')}</span>
                <Markdown text={b.message} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {results.assessment && results.assessment.tutorials.length > 0 && (
        <section className="card" aria-labelledby="tutos-title">
          <h2 id="tutos-title">{t('learner.results.tutorials')}</h2>
          <p className="muted">{t('learner.results.tutorialsIntro')}</p>
          <ul className="lj-tutorials">
            {results.assessment.tutorials.map((tuto) => (
              <TutorialCard key={tuto.id} tutorial={tuto} />
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

function ProfileSummary({ profile }: { profile: NonNullable<LearnerResults['profile']> }) {
  const { t } = useTranslation()
  return (
    <div>
      <h2>{t('learner.results.profileTitle')}</h2>
      <p className="lj-big">{t('learner.profile.totalPix', { pix: profile.totalPix, max: profile.maxReachablePix })}</p>
      <p>{profile.isCertifiable ? t('learner.results.certifiable') : t('learner.results.notCertifiable')}</p>
      <ul className="lj-levels">
        {profile.competences.map((c) => (
          <li key={c.code}>
            <span>
              {c.code} {c.name}
            </span>
            <span className="lj-tag">
              {t('learner.results.level', { level: c.level })} · {t('learner.results.pix', { pix: c.pixScore })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}

function TryAgain(props: { results: LearnerResults; isProfile: boolean; busy: boolean; onRetry: () => void; onImprove: () => void; onReset: () => void }) {
  const { t } = useTranslation()
  const { retry, improve, reset } = props.results
  const waiting = [retry, improve].find((d: Decision) => d.reason === 'TOO_EARLY' && d.remainingSeconds)
  if (!retry.allowed && !improve.allowed && !reset.allowed && !waiting) return null
  return (
    <div className="lj-retry">
      {!props.isProfile && <h2>{t('learner.results.retryTitle')}</h2>}
      {retry.allowed && <p>{t('learner.results.retryText')}</p>}
      {(retry.allowed || improve.allowed || reset.allowed) && (
      <div className="lj-actions">
        {retry.allowed && (
          <button type="button" className="button" disabled={props.busy} onClick={props.onRetry}>
            {t('learner.results.retry')}
          </button>
        )}
        {improve.allowed && (
          <button type="button" className="button" disabled={props.busy} onClick={props.onImprove}>
            {props.isProfile ? t('learner.results.sendAgain') : t('learner.results.improve')}
          </button>
        )}
        {reset.allowed && (
          <button type="button" className="button button-secondary" disabled={props.busy} onClick={props.onReset}>
            {t('learner.results.reset')}
          </button>
        )}
      </div>
      )}
      {waiting && !retry.allowed && !improve.allowed && <p className="muted">{t('learner.results.tooEarly', { time: formatDelay(waiting.remainingSeconds!, t) })}</p>}
    </div>
  )
}
