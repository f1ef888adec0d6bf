import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useDocumentTitle } from '../shell/useDocumentTitle'

export default function NotFoundPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('orga.notFound.title'))
  return (
    <>
      <h1>{t('orga.notFound.title')}</h1>
      <p>
        <Link to="/campagnes">{t('orga.notFound.back')}</Link>
      </p>
    </>
  )
}
