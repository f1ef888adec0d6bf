import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { AnswerValue, PublicChallenge } from '../api'
import { formatClock } from '../format'
import { Markdown } from '../components/Markdown'

export const SKIP = '#ABAND#'

interface ChallengeFormProps {
  challenge: PublicChallenge
  /** Seconds left for a timed challenge (from the server, so a reload does not give time back). */
  remainingSeconds: number | null
  busy: boolean
  onAnswer: (value: AnswerValue, options?: { timedOut?: boolean }) => void
}

function emptyValue(ch: PublicChallenge): AnswerValue {
  if (ch.type === 'QROCM-ind' || ch.type === 'QROCM-dep') return Object.fromEntries(ch.fields.map((f) => [f.key, '']))
  return ''
}

function isEmpty(ch: PublicChallenge, value: AnswerValue): boolean {
  if (typeof value === 'string') return value.trim() === ''
  return ch.type !== 'QCU' && Object.values(value).every((v) => v.trim() === '')
}

/** One challenge: the instruction, the answer inputs for its type, "Je passe" / "Je valide", and the countdown when timed. */
export function ChallengeForm({ challenge, remainingSeconds, busy, onAnswer }: ChallengeFormProps) {
  const { t } = useTranslation()
  const [value, setValue] = useState<AnswerValue>(() => emptyValue(challenge))
  const [empty, setEmpty] = useState(false)
  const valueRef = useRef(value)
  valueRef.current = value
  const instructionId = `instruction-${challenge.id}`

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (isEmpty(challenge, value)) return setEmpty(true)
    onAnswer(value)
  }

  return (
    <form className="lj-challenge" onSubmit={handleSubmit} aria-busy={busy} data-challenge-id={challenge.id}>
      {remainingSeconds !== null && (
        <Countdown key={challenge.id} seconds={remainingSeconds} onEnd={() => onAnswer(valueRef.current, { timedOut: true })} />
      )}
      <div id={instructionId} className="lj-instruction">
        <Markdown text={challenge.instruction} />
      </div>
      <Inputs challenge={challenge} value={value} onChange={(v) => (setValue(v), setEmpty(false))} describedBy={instructionId} disabled={busy} />
      {empty && (
        <p className="lj-error" role="alert">
          {t('learner.test.emptyAnswer')}
        </p>
      )}
      <div className="lj-actions">
        <button type="button" className="button button-secondary" disabled={busy} onClick={() => onAnswer(SKIP)}>
          {t('learner.test.skip')}
        </button>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('learner.test.sending') : t('learner.test.validate')}
        </button>
      </div>
    </form>
  )
}

function Inputs({
  challenge: ch,
  value,
  onChange,
  describedBy,
  disabled,
}: {
  challenge: PublicChallenge
  value: AnswerValue
  onChange: (v: AnswerValue) => void
  describedBy: string
  disabled: boolean
}) {
  const { t } = useTranslation()
  if (ch.type === 'QCU' || ch.type === 'QCM') {
    const chosen = new Set(typeof value === 'string' && value ? value.split(',') : [])
    const toggle = (index: string) => {
      if (ch.type === 'QCU') return onChange(index)
      const next = new Set(chosen)
      if (next.has(index)) next.delete(index)
      else next.add(index)
      onChange([...next].sort((a, b) => Number(a) - Number(b)).join(','))
    }
    return (
      <fieldset className="lj-proposals" aria-describedby={describedBy} disabled={disabled}>
        <legend>{ch.type === 'QCU' ? t('learner.test.chooseOne') : t('learner.test.chooseMany')}</legend>
        {ch.proposals.map((p, i) => {
          const index = String(i + 1)
          const id = `${ch.id}-p${index}`
          return (
            <div key={id} className="lj-proposal">
              <input
                id={id}
                type={ch.type === 'QCU' ? 'radio' : 'checkbox'}
                name={ch.id}
                value={index}
                checked={chosen.has(index)}
                onChange={() => toggle(index)}
              />
              <label htmlFor={id}>{p}</label>
            </div>
          )
        })}
      </fieldset>
    )
  }
  if (ch.type === 'QROC') {
    return (
      <div className="field">
        <label htmlFor={`${ch.id}-answer`}>{ch.label}</label>
        <input
          id={`${ch.id}-answer`}
          type="text"
          inputMode={ch.format === 'nombre' ? 'decimal' : undefined}
          autoComplete="off"
          placeholder={ch.placeholder ?? undefined}
          aria-describedby={describedBy}
          disabled={disabled}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
    )
  }
  if (ch.type !== 'QROCM-ind' && ch.type !== 'QROCM-dep') return null
  const fields = typeof value === 'string' ? {} : value
  return (
    <fieldset className="lj-fields" aria-describedby={describedBy} disabled={disabled}>
      <legend>{t('learner.test.yourAnswer')}</legend>
      {ch.fields.map((f) => {
        const id = `${ch.id}-${f.key}`
        const set = (v: string) => onChange({ ...fields, [f.key]: v })
        return (
          <div className="field" key={f.key}>
            <label htmlFor={id}>{f.label}</label>
            {f.options ? (
              <select id={id} value={fields[f.key] ?? ''} onChange={(e) => set(e.target.value)}>
                <option value="">{t('learner.test.selectPlaceholder')}</option>
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type="text"
                autoComplete="off"
                inputMode={ch.format === 'nombre' ? 'decimal' : undefined}
                placeholder={f.placeholder ?? undefined}
                value={fields[f.key] ?? ''}
                onChange={(e) => set(e.target.value)}
              />
            )}
          </div>
        )
      })}
    </fieldset>
  )
}

/** Visible countdown; screen readers hear it at 30 and 10 seconds, not every second. */
function Countdown({ seconds, onEnd }: { seconds: number; onEnd: () => void }) {
  const { t } = useTranslation()
  const [left, setLeft] = useState(seconds)
  const endRef = useRef(onEnd)
  endRef.current = onEnd
  useEffect(() => {
    const deadline = Date.now() + seconds * 1000
    const timer = setInterval(() => {
      const next = Math.max(0, Math.ceil((deadline - Date.now()) / 1000))
      setLeft(next)
      if (next === 0) {
        clearInterval(timer)
        endRef.current()
      }
    }, 250)
    return () => clearInterval(timer)
  }, [seconds])
  const announce = left <= 10 ? 10 : left <= 30 ? 30 : null
  return (
    <div className={`lj-timer${left <= 10 ? ' lj-timer-low' : ''}`}>
      <span role="timer" aria-live="off">
        {t('learner.test.timeLeft', { time: formatClock(left) })}
      </span>
      <span className="visually-hidden" aria-live="polite">
        {announce ? t('learner.test.timeLeft', { time: formatClock(announce) }) : ''}
      </span>
    </div>
  )
}
