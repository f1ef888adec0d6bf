import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate, useParams, useSearchParams } from 'react-router'
import { api, ApiError, type LearnerCampaign } from '../api'
import { Heading } from '../components/Heading'
import { Markdown } from '../components/Markdown'
import { ErrorMessage, Loading } from '../components/Status'

type Step = 'landing' | 'external-id' | 'rules-1' | 'rules-2'

/**
 * Entering a campaign: landing page (title + the teacher's Markdown), the external id when asked, the rules
 * of the game (once per learner), then the test. A learner who already joined goes straight back where they were.
 */
export function CampaignPage() {
  const { t } = useTranslation()
  const { code = '' } = useParams()
  const [search] = useSearchParams()
  const navigate = useNavigate()
  const [view, setView] = useState<LearnerCampaign>()
  const [error, setError] = useState<ApiError>()
  const [step, setStep] = useState<Step>('landing')
  const [externalId, setExternalId] = useState(search.get('participantExternalId') ?? search.get('externalId') ?? '')
  const [fieldError, setFieldError] = useState<string>()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    setView(undefined)
    setError(undefined)
    setStep('landing')
    api
      .campaign(code)
      .then((v) => {
        const p = v.participation
        if (p?.status === 'STARTED' && p.assessmentId) return void navigate(`/campagnes/${v.campaign.code}/evaluation/${p.assessmentId}`, { replace: true })
        if (p) return void navigate(`/campagnes/${v.campaign.code}/resultats`, { replace: true })
        setView(v)
      })
      .catch((e: ApiError) => setError(e))
  }, [code, navigate])

  if (error) {
    const message =
      error.code === 'CAMPAIGN_DELETED' ? t('learner.campaign.deleted') : error.code === 'CAMPAIGN_NOT_FOUND' ? t('learner.campaign.notFound') : error.message
    return (
      <div className="card">
        <Heading>{t('learner.campaign.archivedTitle')}</Heading>
        <p>{message}</p>
      </div>
    )
  }
  if (!view) return <Loading />
  const { campaign } = view
  if (campaign.status === 'archived') {
    return (
      <div className="card">
        <Heading>{t('learner.campaign.archivedTitle')}</Heading>
        <p>{t('learner.campaign.archived')}</p>
      </div>
    )
  }

  const needsExternalId = Boolean(campaign.externalIdLabel) && !campaign.externalIdKnown
  const start = async () => {
    setBusy(true)
    try {
      const started = await api.start(campaign.code, needsExternalId ? externalId : undefined)
      if (started.assessmentId) void navigate(`/campagnes/${campaign.code}/evaluation/${started.assessmentId}`)
      else void navigate(`/campagnes/${campaign.code}/resultats`)
    } catch (e) {
      const err = e as ApiError
      if (err.code === 'MISSING_EXTERNAL_ID' || err.code === 'INVALID_EXTERNAL_ID') {
        setFieldError(err.message)
        setStep('external-id')
      } else setFieldError(err.message)
    } finally {
      setBusy(false)
    }
  }
  const afterExternalId = () => {
    if (campaign.type === 'ASSESSMENT' && !view.hasSeenRules) setStep('rules-1')
    else void start()
  }
  const handleBegin = () => {
    // A pre-filled id (?participantExternalId=) is not asked again.
    if (needsExternalId && !externalId.trim()) setStep('external-id')
    else afterExternalId()
  }
  const handleExternalIdSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (!externalId.trim()) return setFieldError(t('learner.campaign.externalIdIntro') + ' ' + campaign.externalIdLabel)
    setFieldError(undefined)
    afterExternalId()
  }

  if (step === 'external-id') {
    const isEmail = campaign.externalIdType === 'EMAIL'
    return (
      <form className="card" onSubmit={handleExternalIdSubmit} noValidate>
        <Heading focusKey={step}>{t('learner.campaign.externalIdTitle')}</Heading>
        <p>{t('learner.campaign.externalIdIntro')}</p>
        <div className="field">
          <label htmlFor="external-id">{campaign.externalIdLabel}</label>
          {isEmail && (
            <p className="hint" id="external-id-hint">
              {t('learner.campaign.externalIdEmailHint')}
            </p>
          )}
          <input
            id="external-id"
            type={isEmail ? 'email' : 'text'}
            autoComplete={isEmail ? 'email' : 'off'}
            value={externalId}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={[isEmail ? 'external-id-hint' : '', fieldError ? 'external-id-error' : ''].filter(Boolean).join(' ') || undefined}
            onChange={(e) => setExternalId(e.target.value)}
          />
          {fieldError && (
            <p id="external-id-error" className="lj-error" role="alert">
              {fieldError}
            </p>
          )}
        </div>
        <button className="button" type="submit" disabled={busy}>
          {t('learner.campaign.externalIdSubmit')}
        </button>
      </form>
    )
  }

  if (step === 'rules-1' || step === 'rules-2') {
    const cards =
      step === 'rules-1'
        ? [
            ['🔎', 'searchTitle', 'searchText'],
            ['📚', 'tutosTitle', 'tutosText'],
            ['⏱', 'timeTitle', 'timeText'],
          ]
        : [['🎯', 'adaptiveTitle', 'adaptiveText']]
    return (
      <div className="card">
        <Heading focusKey={step}>{t('learner.rules.title')}</Heading>
        <p className="muted">{t('learner.rules.step', { step: step === 'rules-1' ? 1 : 2 })}</p>
        <ul className="lj-rules">
          {cards.map(([icon, title, text]) => (
            <li key={title}>
              <span className="lj-rule-icon" aria-hidden="true">
                {icon}
              </span>
              <div>
                <h2>{t(`learner.rules.${title}`)}</h2>
                <p>{t(`learner.rules.${text}`)}</p>
              </div>
            </li>
          ))}
        </ul>
        {fieldError && <ErrorMessage message={fieldError} />}
        {step === 'rules-1' ? (
          <button className="button" type="button" onClick={() => setStep('rules-2')}>
            {t('learner.rules.next')}
          </button>
        ) : (
          <button className="button" type="button" disabled={busy} onClick={() => void start()}>
            {t('learner.rules.start')}
          </button>
        )}
      </div>
    )
  }

  return (
    <div className="card lj-landing">
      <Heading focusKey={step}>{campaign.title}</Heading>
      {campaign.landingText && <Markdown className="lj-markdown" text={campaign.landingText} />}
      <p>
        {campaign.type === 'ASSESSMENT'
          ? t('learner.campaign.assessmentIntro', { profile: campaign.targetProfileName ?? campaign.title })
          : t('learner.campaign.profilesCollectionIntro')}
      </p>
      {fieldError && <ErrorMessage message={fieldError} />}
      <button className="button" type="button" disabled={busy} onClick={handleBegin}>
        {t('learner.campaign.start')}
      </button>
    </div>
  )
}
