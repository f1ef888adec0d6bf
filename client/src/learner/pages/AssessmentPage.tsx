import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { api, ApiError, type AnswerReview, type AnswerValue, type AssessmentState } from '../api'
import { formatClock } from '../format'
import { Heading } from '../components/Heading'
import { ProgressBar } from '../components/ProgressBar'
import { ErrorMessage, Loading } from '../components/Status'
import { AnswerList } from './AnswerReviews'
import { ChallengeForm } from './ChallengeForm'

const SERIES = 5

/**
 * The test, one screen at a time, always from the server's state: a reload, a closed tab or another device
 * resumes exactly there. Answers are sent once; the previous question stays on screen until the next one
 * arrives, so nothing jumps.
 */
export function AssessmentPage() {
  const { t } = useTranslation()
  const { code, competenceCode, assessmentId = '' } = useParams()
  const navigate = useNavigate()
  const [state, setState] = useState<AssessmentState>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  // After a checkpoint, a timed challenge is announced before its timer starts.
  const [warnTimed, setWarnTimed] = useState(false)

  const load = useCallback(() => {
    api
      .assessment(assessmentId)
      .then(setState)
      .catch((e: Error) => setError(e.message))
  }, [assessmentId])
  useEffect(load, [load])

  const run = async (action: () => Promise<AssessmentState>) => {
    setBusy(true)
    setError(undefined)
    try {
      setState(await action())
    } catch (e) {
      const err = e as ApiError
      if (err.code === 'CHALLENGE_NOT_ASKED' || err.code === 'ASSESSMENT_ALREADY_COMPLETED') load()
      else setError(err.message)
    } finally {
      setBusy(false)
    }
  }
  const handleAnswer = (challengeId: string) => (value: AnswerValue, options?: { timedOut?: boolean }) =>
    void run(async () => (await api.answer(assessmentId, { challengeId, value, timedOut: options?.timedOut })).state)
  const handleStart = (challengeId: string) => {
    setWarnTimed(false)
    void run(() => api.startChallenge(assessmentId, challengeId))
  }

  if (!state) return error ? <ErrorMessage message={error} /> : <Loading />
  const { step } = state
  const current = (state.answeredCount % SERIES) + 1
  const exitTo = code ? '/' : '/profil'
  const header = (
    <div className="lj-test-header">
      <ProgressBar value={state.progress} label={t('learner.test.progressBar')} />
      <Link to={exitTo} className="lj-quit">
        {t('learner.test.quit')}
      </Link>
    </div>
  )

  let body
  const warning = step.kind === 'timed-warning' || (step.kind === 'checkpoint' && warnTimed && Boolean(step.nextTimer))
  if (step.kind === 'challenge') {
    body = (
      <>
        <p className="lj-series" aria-hidden="true">
          {Array.from({ length: SERIES }, (_, i) => (
            <span key={i} className={i < current ? 'lj-dot lj-dot-on' : 'lj-dot'} />
          ))}
        </p>
        <Heading focusKey={step.challenge.id} className="lj-question-title">
          {t('learner.test.progress', { current, total: SERIES })}
        </Heading>
        <ChallengeForm
          key={step.challenge.id}
          challenge={step.challenge}
          remainingSeconds={step.remainingSeconds}
          busy={busy}
          onAnswer={handleAnswer(step.challenge.id)}
        />
      </>
    )
  } else if (warning) {
    const timer = step.kind === 'timed-warning' ? step.timer : step.kind === 'checkpoint' ? step.nextTimer! : 0
    const challengeId = step.kind === 'timed-warning' || step.kind === 'checkpoint' ? step.challengeId : ''
    body = (
      <>
        <Heading focusKey={`warn-${challengeId}`}>{t('learner.test.timedTitle')}</Heading>
        <p className="lj-timed-icon" aria-hidden="true">
          ⏱
        </p>
        <p>{t('learner.test.timedText', { time: formatClock(timer) })}</p>
        <button type="button" className="button" disabled={busy} onClick={() => handleStart(challengeId)}>
          {t('learner.test.timedStart')}
        </button>
      </>
    )
  } else if (step.kind === 'checkpoint') {
    body = (
      <Checkpoint
        assessmentId={assessmentId}
        answeredCount={state.answeredCount}
        progress={state.progress}
        final={false}
        busy={busy}
        onContinue={() => (step.nextTimer ? setWarnTimed(true) : handleStart(step.challengeId))}
      />
    )
  } else {
    body = (
      <Checkpoint
        assessmentId={assessmentId}
        answeredCount={state.answeredCount}
        progress={1}
        final
        busy={false}
        onContinue={() => void navigate(code ? `/campagnes/${code}/resultats` : '/profil', { state: { finished: competenceCode } })}
      />
    )
  }
  return (
    <div className="card lj-test" data-step={warning ? 'timed-warning' : step.kind}>
      {header}
      {error && <ErrorMessage message={error} />}
      {body}
    </div>
  )
}

function Checkpoint(props: { assessmentId: string; answeredCount: number; progress: number; final: boolean; busy: boolean; onContinue: () => void }) {
  const { t } = useTranslation()
  const [answers, setAnswers] = useState<AnswerReview[]>()
  useEffect(() => {
    api
      .reviews(props.assessmentId, 'checkpoint')
      .then(setAnswers)
      .catch(() => setAnswers([]))
  }, [props.assessmentId, props.answeredCount])
  const continueButton = (
    <button type="button" className="button" disabled={props.busy} onClick={props.onContinue}>
      {props.final ? t('learner.checkpoint.seeResults') : t('learner.checkpoint.continue')} →
    </button>
  )
  return (
    <>
      <Heading focusKey={`checkpoint-${props.answeredCount}-${props.final}`}>
        {props.final ? t('learner.checkpoint.finalTitle') : t('learner.checkpoint.title')}
      </Heading>
      <div className="lj-checkpoint-head">
        <p className="lj-big">{Math.round(props.progress * 100)} %</p>
        <p className="muted">{t('learner.checkpoint.progress')}</p>
        {continueButton}
      </div>
      {props.final && <p>{t('learner.checkpoint.finalIntro')}</p>}
      {answers ? <AnswerList answers={answers} offset={Math.max(0, props.answeredCount - answers.length)} /> : <Loading />}
      {answers && answers.length > 0 && continueButton}
    </>
  )
}
