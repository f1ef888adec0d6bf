/** Small pieces shared by the campaign screens (kept here until a second area needs them). */
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

export function CopyButton({ value, label }: { value: string; label: string }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const handleCopy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      setCopied(false)
    }
  }
  return (
    <>
      <button type="button" className="button button-small button-secondary" onClick={handleCopy} aria-label={label}>
        {t('campaigns.common.copy')}
      </button>
      <span role="status" className="copy-status">
        {copied ? t('campaigns.common.copied') : ''}
      </span>
    </>
  )
}

/** Pix's 1–4 recommendation bubbles, with the meaning spelled out (not colour only). */
export function Marks({ marks }: { marks: 1 | 2 | 3 | 4 }) {
  const { t } = useTranslation()
  return (
    <span className="marks" title={t(`campaigns.analysis.marks${marks}`)}>
      <span aria-hidden="true">
        {'●'.repeat(marks)}
        {'○'.repeat(4 - marks)}
      </span>
      <span className="visually-hidden">{t(`campaigns.analysis.marks${marks}`)}</span>
    </span>
  )
}

export function Pagination({ page, pageSize, total, onChange }: { page: number; pageSize: number; total: number; onChange: (page: number) => void }) {
  const { t } = useTranslation()
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (pages <= 1) return null
  return (
    <nav className="pagination" aria-label={t('campaigns.common.pagination')}>
      <button type="button" className="button button-small button-secondary" disabled={page <= 1} onClick={() => onChange(page - 1)}>
        {t('campaigns.common.previous')}
      </button>
      <span>{t('campaigns.common.pageOf', { page, pages })}</span>
      <button type="button" className="button button-small button-secondary" disabled={page >= pages} onClick={() => onChange(page + 1)}>
        {t('campaigns.common.next')}
      </button>
    </nav>
  )
}

export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation()
  if (!error) return null
  return (
    <p role="alert" className="error">
      {error instanceof Error && error.message ? error.message : t('common.error')}
    </p>
  )
}

/** Loads data for a screen; `reloadEvery` (ms) polls it (live activity). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], reloadEvery?: number) {
  const [data, setData] = useState<T | undefined>()
  const [error, setError] = useState<unknown>()
  const [tick, setTick] = useState(0)
  useEffect(() => {
    let alive = true
    load().then(
      (d) => alive && (setData(d), setError(undefined)),
      (e: unknown) => alive && setError(e),
    )
    return () => {
      alive = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick])
  useEffect(() => {
    if (!reloadEvery) return
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1)
    }, reloadEvery)
    return () => clearInterval(id)
  }, [reloadEvery])
  return { data, error, reload: () => setTick((n) => n + 1) }
}

/** A chart with its text alternative: the figure is hidden from assistive tech, the table is read instead. */
export function ChartFigure({ title, summary, table, children }: { title: string; summary: string; table: ReactNode; children: ReactNode }) {
  return (
    <figure className="chart">
      <figcaption>
        <h3>{title}</h3>
        <p className="muted">{summary}</p>
      </figcaption>
      {/* inert: recharts puts focusable nodes in its SVG; the table below is the accessible version. */}
      <div aria-hidden="true" inert className="chart-canvas">
        {children}
      </div>
      <div className="visually-hidden">{table}</div>
    </figure>
  )
}
