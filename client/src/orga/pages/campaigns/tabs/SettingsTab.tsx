/** Paramètres: every setting, code and direct link with copy buttons, edit / duplicate / archive / unarchive. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import Markdown from 'react-markdown'
import { Link } from 'react-router'
import { formatDate, fullName, orgaApi, type CampaignDetail } from '../api'
import { CopyButton, ErrorMessage } from '../components'

export function SettingsTab({ campaign: c, onChange }: { campaign: CampaignDetail; onChange: () => void }) {
  const { t, i18n } = useTranslation()
  const [error, setError] = useState<unknown>()
  const handleArchive = async (action: 'archive' | 'unarchive') => {
    setError(undefined)
    try {
      await orgaApi(`/campaigns/${c.id}/${action}`, { method: 'POST' })
      onChange()
    } catch (e) {
      setError(e)
    }
  }
  return (
    <section aria-labelledby="settings-title" className="card">
      <h2 id="settings-title">{t('campaigns.tabs.settings')}</h2>
      <dl className="settings">
        <dt>{t('campaigns.settings.type')}</dt>
        <dd>{t(`campaigns.type.long.${c.type}`)}</dd>
        {c.targetProfile && (
          <>
            <dt>{t('campaigns.settings.targetProfile')}</dt>
            <dd>{c.targetProfile.name}</dd>
          </>
        )}
        <dt>{t('campaigns.settings.createdAt')}</dt>
        <dd>{formatDate(c.createdAt, i18n.language)}</dd>
        <dt>{t('campaigns.page.owner')}</dt>
        <dd>{c.owner ? fullName(c.owner) : '—'}</dd>
        <dt>{t('campaigns.page.multipleSendings')}</dt>
        <dd>{t(c.multipleSendings ? 'campaigns.common.yes' : 'campaigns.common.no')}</dd>
        <dt>{t('campaigns.settings.externalId')}</dt>
        <dd>{c.externalIdLabel ? `${c.externalIdLabel} (${t(`campaigns.form.externalId${c.externalIdType ?? 'STRING'}`)})` : t('campaigns.common.no')}</dd>
        <dt>{t('campaigns.page.code')}</dt>
        <dd>
          <span className="code">{c.code}</span> <CopyButton value={c.code} label={t('campaigns.page.copyCode')} />
        </dd>
        <dt>{t('campaigns.settings.directLink')}</dt>
        <dd>
          <span className="link-text">{c.directLink}</span> <CopyButton value={c.directLink} label={t('campaigns.settings.copyLink')} />
        </dd>
        {c.type === 'ASSESSMENT' && (
          <>
            <dt>{t('campaigns.form.testTitle')}</dt>
            <dd>{c.title || '—'}</dd>
          </>
        )}
        <dt>{t('campaigns.form.landingText')}</dt>
        <dd className="markdown">{c.customLandingPageText ? <Markdown skipHtml>{c.customLandingPageText}</Markdown> : '—'}</dd>
      </dl>
      <ErrorMessage error={error} />
      {c.canManage ? (
        <div className="actions">
          {!c.archivedAt && (
            <Link className="button button-secondary" to={`/campagnes/${c.id}/modifier`}>
              {t('campaigns.settings.edit')}
            </Link>
          )}
          <Link className="button button-secondary" to={`/campagnes/${c.id}/dupliquer`}>
            {t('campaigns.settings.duplicate')}
          </Link>
          {c.archivedAt ? (
            <button type="button" className="button button-secondary" onClick={() => handleArchive('unarchive')}>
              {t('campaigns.settings.unarchive')}
            </button>
          ) : (
            <button type="button" className="button button-secondary" onClick={() => handleArchive('archive')}>
              {t('campaigns.settings.archive')}
            </button>
          )}
        </div>
      ) : (
        <p className="muted">{t('campaigns.settings.ownerOnly')}</p>
      )}
    </section>
  )
}
