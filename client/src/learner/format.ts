import type { TFunction } from 'i18next'

/** "3 jours", "5 heures", "2 minutes": the largest unit of a duration in seconds. */
export function formatDelay(seconds: number, t: TFunction): string {
  if (seconds >= 86400) return t('learner.duration.days', { count: Math.ceil(seconds / 86400) })
  if (seconds >= 3600) return t('learner.duration.hours', { count: Math.ceil(seconds / 3600) })
  if (seconds >= 60) return t('learner.duration.minutes', { count: Math.ceil(seconds / 60) })
  return t('learner.duration.seconds', { count: seconds })
}

/** 90 → "1:30". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
