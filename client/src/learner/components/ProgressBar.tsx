/** A labelled progress bar (0..1). */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  const percent = Math.round(Math.max(0, Math.min(1, value)) * 100)
  return (
    <div className="lj-progress">
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="lj-progress-track">
        <div className="lj-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="lj-progress-value" aria-hidden="true">
        {percent} %
      </span>
    </div>
  )
}
