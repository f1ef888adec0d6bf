/** A participant's grade in the LMS gradebook: in transit, delivered, or refused with a short reason (text + symbol, not colour). */
import { useTranslation } from 'react-i18next'

export interface GradeDelivery {
  status: 'pending' | 'delivered' | 'rejected'
  reason: string | null
  deliveredAt: string | null
}

const REASONS = ['NOT_GRADABLE', 'LINE_ITEM_NOT_FOUND', 'NO_LINE_ITEM', 'PLATFORM_DELETED']
const SYMBOL = { pending: '⏳', delivered: '✔', rejected: '✖' } as const

export function GradeDeliveryStatus({ delivery }: { delivery: GradeDelivery | null }) {
  const { t } = useTranslation()
  if (!delivery) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">{t('campaigns.activity.gradeDeliveryNone')}</span>
      </>
    )
  }
  const reason =
    delivery.status === 'rejected'
      ? t(`campaigns.activity.gradeDeliveryReason.${delivery.reason && REASONS.includes(delivery.reason) ? delivery.reason : 'other'}`)
      : null
  return (
    <span className="status">
      <span aria-hidden="true">{SYMBOL[delivery.status]} </span>
      {t(`campaigns.activity.gradeDeliveryStatus.${delivery.status}`)}
      {reason && ` : ${reason}`}
    </span>
  )
}
