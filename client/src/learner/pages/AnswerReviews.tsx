import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AnswerReview, PublicChallenge } from '../api'
import { Markdown } from '../components/Markdown'
import { TutorialCard } from '../components/TutorialCard'

const MARK: Record<string, string> = { ok: '✓', ko: '✗', skipped: '–', timedout: '⏱', focusedOut: '✗' }

/** The list of answers with right/wrong and a "Réponses et tutoriels" button for each (checkpoint, end of test). */
export function AnswerList({ answers, offset }: { answers: AnswerReview[]; offset: number }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState<number | null>(null)
  return (
    <>
      <ol className="lj-answers" start={offset + 1}>
        {answers.map((a, i) => (
          <li key={a.challengeId} className={`lj-answer lj-answer-${a.result === 'ok' ? 'ok' : 'ko'}`}>
            <span className="lj-answer-mark" aria-hidden="true">
              {MARK[a.result]}
            </span>
            <span className="visually-hidden">{t(`learner.checkpoint.result.${a.result}`)} : </span>
            <span className="lj-answer-text">{plain(a.challenge.instruction)}</span>
            <button type="button" className="lj-link-button" onClick={() => setOpen(i)} aria-label={t('learner.checkpoint.reviewOf', { n: offset + i + 1 })}>
              {t('learner.checkpoint.review')}
            </button>
          </li>
        ))}
      </ol>
      {open !== null && answers[open] && <ReviewDialog review={answers[open]} onClose={() => setOpen(null)} />}
    </>
  )
}

/** Instruction as one short line (Markdown marks removed). */
function plain(markdown: string): string {
  const text = markdown.replace(/[*_`>#]/g, '').replace(/\s+/g, ' ').trim()
  return text.length > 110 ? `${text.slice(0, 107)}…` : text
}

/** "Réponses et tutoriels": a modal dialog (native <dialog>: focus trapped, Escape closes, focus returns). */
export function ReviewDialog({ review, onClose }: { review: AnswerReview; onClose: () => void }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    dialog?.showModal()
    return () => dialog?.close()
  }, [])
  const titleKey = review.result === 'ok' ? 'okTitle' : review.result === 'skipped' ? 'skippedTitle' : review.result === 'timedout' ? 'timedoutTitle' : 'koTitle'
  return (
    <dialog
      ref={ref}
      className="lj-dialog"
      aria-labelledby="review-title"
      // Escape: React closes it. Not onClose: the close() of an effect cleanup (StrictMode) would fire it too.
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <div className="lj-dialog-head">
        <h2 id="review-title">{t(`learner.review.${titleKey}`)}</h2>
        <button type="button" className="button button-secondary" onClick={onClose}>
          {t('learner.review.close')}
        </button>
      </div>
      <Markdown className="lj-instruction" text={review.challenge.instruction} />
      <h3>{t('learner.review.yourAnswer')}</h3>
      <p>{describeValue(review.challenge, review.value) || t('learner.review.noAnswer')}</p>
      <h3>{t('learner.review.correctAnswer')}</h3>
      <Correction review={review} />
      {review.explanation && (
        <>
          <h3>{t('learner.review.explanation')}</h3>
          <Markdown text={review.explanation} />
        </>
      )}
      {review.tutorials.length > 0 && (
        <>
          <h3>{t('learner.review.tutorials')}</h3>
          <ul className="lj-tutorials">
            {review.tutorials.map((tuto) => (
              <TutorialCard key={tuto.id} tutorial={tuto} />
            ))}
          </ul>
        </>
      )}
    </dialog>
  )
}

function describeValue(ch: PublicChallenge, value: unknown): string {
  if (value === '#ABAND#' || value == null) return ''
  if ((ch.type === 'QCU' || ch.type === 'QCM') && typeof value === 'string')
    return value
      .split(',')
      .filter(Boolean)
      .map((i) => ch.proposals[Number(i) - 1] ?? i)
      .join(' ; ')
  if (typeof value === 'string') return value
  if (ch.type === 'QROCM-ind' || ch.type === 'QROCM-dep')
    return ch.fields.map((f) => `${f.label} ${(value as Record<string, string>)[f.key] ?? ''}`).join(' ; ')
  return ''
}

function Correction({ review }: { review: AnswerReview }) {
  const { t } = useTranslation()
  const c = review.correction
  switch (c.type) {
    case 'QCU':
    case 'QCM':
      return (
        <ul>
          {c.proposals.map((p) => (
            <li key={p.index}>{p.text}</li>
          ))}
        </ul>
      )
    case 'QROC':
      return <p>{c.solution}</p>
    case 'QROCM-ind':
      return (
        <ul>
          {c.fields.map((f) => (
            <li key={f.key}>
              {f.label} <strong>{f.solution}</strong>
            </li>
          ))}
        </ul>
      )
    case 'QROCM-dep':
      return c.remaining.length ? (
        <>
          <p>{t('learner.review.missing')}</p>
          <ul>
            {c.remaining.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>✓</p>
      )
  }
}
