/** A campaign: header (code, link, export) and tabs Activité / Résultats / Analyse / Paramètres, plus participant detail. */
import { useTranslation } from 'react-i18next'
import { Link, NavLink, Navigate, Route, Routes, useParams } from 'react-router'
import { orgaApi, type CampaignDetail } from './api'
import { CopyButton, ErrorMessage, useLoad } from './components'
import { ActivityTab } from './tabs/ActivityTab'
import { AnalysisTab } from './tabs/AnalysisTab'
import { ParticipantDetail } from './tabs/ParticipantDetail'
import { ResultsTab } from './tabs/ResultsTab'
import { SettingsTab } from './tabs/SettingsTab'

export default function CampaignPage() {
  const { t } = useTranslation()
  const { campaignId = '' } = useParams()
  const campaign = useLoad(() => orgaApi<CampaignDetail>(`/campaigns/${campaignId}`), [campaignId])
  const c = campaign.data
  if (!c) return campaign.error ? <ErrorMessage error={campaign.error} /> : <p role="status">{t('common.loading')}</p>
  const tabs = [
    ['activite', 'activity'],
    ['resultats', 'results'],
    ...(c.type === 'ASSESSMENT' ? [['analyse', 'analysis']] : []),
    ['parametres', 'settings'],
  ]
  return (
    <div className="campaigns wide">
      <nav aria-label={t('campaigns.common.breadcrumb')} className="breadcrumb">
        <Link to={`/campagnes`}>{t('campaigns.list.title')}</Link> › <span aria-current="page">{c.name}</span>
      </nav>
      <div className="page-head">
        <h1>
          <span className="type-tag">{t(`campaigns.type.short.${c.type}`)}</span> {c.name}
        </h1>
        <a className="button" href={`/api/orga/campaigns/${c.id}/export.csv`} download>
          {t('campaigns.page.export')}
        </a>
      </div>
      {c.archivedAt && <p className="notice">{t('campaigns.page.archivedNotice')}</p>}
      <dl className="facts">
        <div>
          <dt>{t('campaigns.page.code')}</dt>
          <dd>
            <span className="code">{c.code}</span> <CopyButton value={c.code} label={t('campaigns.page.copyCode')} />
          </dd>
        </div>
        <div>
          <dt>{t('campaigns.page.owner')}</dt>
          <dd>{c.owner ? `${c.owner.firstName} ${c.owner.lastName}` : '—'}</dd>
        </div>
        <div>
          <dt>{t('campaigns.page.multipleSendings')}</dt>
          <dd>{t(c.multipleSendings ? 'campaigns.common.yes' : 'campaigns.common.no')}</dd>
        </div>
      </dl>
      <nav className="tabs" aria-label={t('campaigns.page.tabs')}>
        {tabs.map(([path, key]) => (
          <NavLink key={path} to={`/campagnes/${c.id}/${path}`}>
            {t(`campaigns.tabs.${key}`)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<Navigate to="activite" replace />} />
        <Route path="activite" element={<ActivityTab campaign={c} />} />
        <Route path="resultats" element={<ResultsTab campaign={c} />} />
        <Route path="analyse" element={<AnalysisTab campaign={c} />} />
        <Route path="parametres" element={<SettingsTab campaign={c} onChange={campaign.reload} />} />
        <Route path="participants/:participationId" element={<ParticipantDetail campaign={c} />} />
      </Routes>
    </div>
  )
}
