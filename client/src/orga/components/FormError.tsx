import { useTranslation } from 'react-i18next'
import { OrgaApiError } from '../api'

/** An error announced to screen readers (role=alert): the server's message, or a generic one. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useTranslation()
  if (!error) return null
  const message = error instanceof OrgaApiError && error.status < 500 ? error.message : t('common.error')
  return (
    <p role="alert" className="orga-alert orga-alert-error">
      {message}
    </p>
  )
}
