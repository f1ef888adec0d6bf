import { useTranslation } from 'react-i18next'

export function Loading() {
  const { t } = useTranslation()
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  )
}

export function ErrorMessage({ message }: { message: string }) {
  return (
    <p className="lj-error" role="alert">
      {message}
    </p>
  )
}
