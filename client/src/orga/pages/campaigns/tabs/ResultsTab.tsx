/** Résultats: average mastery, distribution in 10 bins, stages, badges, and one row per participant (latest shared). */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts'
import { formatDate, percent, orgaApi, type CampaignDetail, type Page } from '../api'
import { ChartFigure, ErrorMessage, Pagination, useLoad } from '../components'

interface Summary {
  type: string
  sharedParticipantsCount: number
  averageMasteryRate?: number | null
  masteryDistribution?: number[]
  stages?: { reachedStage: number; totalStage: number; title: string; description: string; count: number }[] | null
  averageStage?: number | null
  badges?: { key: string; title: string; count: number }[]
}

interface Row {
  participationId: string
  firstName: string
  lastName: string
  participantExternalId: string | null
  sharedAt: string
  masteryRate?: number
  reachedStage?: number | null
  totalStage?: number | null
  badges?: string[]
  sharedCount: number
  pixScore?: number
  isCertifiable?: boolean
  certifiableCompetencesCount?: number
}

const BINS = ['0-10', '11-20', '21-30', '31-40', '41-50', '51-60', '61-70', '71-80', '81-90', '91-100']

export function ResultsTab({ campaign }: { campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation()
  const [stage, setStage] = useState('')
  const [badge, setBadge] = useState('')
  const [page, setPage] = useState(1)
  const summary = useLoad(() => orgaApi<Summary>(`/campaigns/${campaign.id}/results`), [campaign.id])
  const q = new URLSearchParams({ page: String(page), pageSize: '50' })
  if (stage) q.set('stages', stage)
  if (badge) q.set('badges', badge)
  const rows = useLoad(() => orgaApi<Page<Row>>(`/campaigns/${campaign.id}/results/participants?${q}`), [campaign.id, q.toString()])
  const s = summary.data
  const isAssessment = campaign.type === 'ASSESSMENT'
  const badgeTitle = (key: string) => s?.badges?.find((b) => b.key === key)?.title ?? key
  const stars = (reached: number, total: number) => `${'★'.repeat(reached - 1)}${'☆'.repeat(total - reached)}`

  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title" className="visually-hidden">
        {t('campaigns.tabs.results')}
      </h2>
      <ErrorMessage error={summary.error} />
      <div className="cards">
        {isAssessment && (
          <div className="stat">
            <span className="stat-label">{t('campaigns.results.average')}</span>
            <span className="stat-value">{s?.averageMasteryRate != null ? percent(s.averageMasteryRate) : '—'}</span>
          </div>
        )}
        {s?.averageStage != null && s.stages && (
          <div className="stat">
            <span className="stat-label">{t('campaigns.results.averageStage')}</span>
            <span className="stat-value">{t('campaigns.results.stageOutOf', { value: s.averageStage, total: s.stages.length - 1 })}</span>
          </div>
        )}
        <div className="stat">
          <span className="stat-label">{t('campaigns.results.received')}</span>
          <span className="stat-value">{s?.sharedParticipantsCount ?? '…'}</span>
        </div>
      </div>
      {s?.masteryDistribution && s.sharedParticipantsCount > 0 && (
        <div className="chart-grid">
          <ChartFigure
            title={t('campaigns.results.distribution')}
            summary={t('campaigns.results.distributionSummary', { count: s.sharedParticipantsCount })}
            table={
              <table>
                <caption>{t('campaigns.results.distribution')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('campaigns.results.bin')}</th>
                    <th scope="col">{t('campaigns.results.participants')}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.masteryDistribution.map((n, i) => (
                    <tr key={BINS[i]}>
                      <th scope="row">{BINS[i]} %</th>
                      <td>{n}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          >
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={s.masteryDistribution.map((n, i) => ({ bin: `${BINS[i]}%`, n }))} margin={{ left: -20, right: 8, top: 16 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="bin" fontSize={11} interval={0} angle={-30} textAnchor="end" height={50} />
                <YAxis allowDecimals={false} fontSize={12} />
                <Bar dataKey="n" fill="#2f3ea8">
                  <LabelList dataKey="n" position="top" />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
          {s.stages && (
            <ChartFigure
              title={t('campaigns.results.stages')}
              summary={s.stages.map((st) => `${st.title} : ${st.count}`).join(', ')}
              table={
                <table>
                  <caption>{t('campaigns.results.stages')}</caption>
                  <tbody>
                    {s.stages.map((st) => (
                      <tr key={st.reachedStage}>
                        <th scope="row">{st.title}</th>
                        <td>{st.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              }
            >
              <ul className="stage-bars">
                {s.stages.map((st) => (
                  <li key={st.reachedStage}>
                    <span className="stars">{stars(st.reachedStage, st.totalStage)}</span>
                    <span className="stage-title">{st.title}</span>
                    <span className="bar" style={{ width: `${s.sharedParticipantsCount ? (st.count * 100) / s.sharedParticipantsCount : 0}%` }} />
                    <span>
                      {st.count} ({s.sharedParticipantsCount ? Math.round((st.count * 100) / s.sharedParticipantsCount) : 0} %)
                    </span>
                  </li>
                ))}
              </ul>
            </ChartFigure>
          )}
          {s.badges && s.badges.length > 0 && (
            <ChartFigure
              title={t('campaigns.results.badges')}
              summary={s.badges.map((b) => `${b.title} : ${b.count}`).join(', ')}
              table={
                <table>
                  <caption>{t('campaigns.results.badges')}</caption>
                  <tbody>
                    {s.badges.map((b) => (
                      <tr key={b.key}>
                        <th scope="row">{b.title}</th>
                        <td>{b.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              }
            >
              <ul className="stage-bars">
                {s.badges.map((b) => (
                  <li key={b.key}>
                    <span className="stage-title">{b.title}</span>
                    <span className="bar" style={{ width: `${s.sharedParticipantsCount ? (b.count * 100) / s.sharedParticipantsCount : 0}%` }} />
                    <span>{b.count}</span>
                  </li>
                ))}
              </ul>
            </ChartFigure>
          )}
        </div>
      )}
      <h3>{t('campaigns.results.participantsTitle')}</h3>
      {isAssessment && (
        <div className="filters">
          {s?.stages && (
            <div className="field-inline">
              <label htmlFor="results-stage">{t('campaigns.results.stageFilter')}</label>
              <select id="results-stage" value={stage} onChange={(e) => (setStage(e.target.value), setPage(1))}>
                <option value="">{t('campaigns.results.allStages')}</option>
                {s.stages.map((st) => (
                  <option key={st.reachedStage} value={st.reachedStage}>
                    {st.title}
                  </option>
                ))}
              </select>
            </div>
          )}
          {s?.badges && s.badges.length > 0 && (
            <div className="field-inline">
              <label htmlFor="results-badge">{t('campaigns.results.badgeFilter')}</label>
              <select id="results-badge" value={badge} onChange={(e) => (setBadge(e.target.value), setPage(1))}>
                <option value="">{t('campaigns.results.allBadges')}</option>
                {s.badges.map((b) => (
                  <option key={b.key} value={b.key}>
                    {b.title}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      )}
      <p className="muted" role="status">
        {rows.data ? t('campaigns.activity.count', { count: rows.data.total }) : ''}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('campaigns.results.participantsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.common.lastName')}</th>
              <th scope="col">{t('campaigns.common.firstName')}</th>
              {campaign.externalIdLabel && <th scope="col">{campaign.externalIdLabel}</th>}
              {isAssessment ? (
                <>
                  <th scope="col">{t('campaigns.results.mastery')}</th>
                  {s?.stages && <th scope="col">{t('campaigns.results.stage')}</th>}
                  {s?.badges && s.badges.length > 0 && <th scope="col">{t('campaigns.results.badges')}</th>}
                </>
              ) : (
                <>
                  <th scope="col">{t('campaigns.results.sharedAt')}</th>
                  <th scope="col">{t('campaigns.results.pix')}</th>
                  <th scope="col">{t('campaigns.results.certifiable')}</th>
                  <th scope="col">{t('campaigns.results.certifiableCompetences')}</th>
                </>
              )}
              {campaign.multipleSendings && <th scope="col">{t('campaigns.results.sendings')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.data?.participants.map((r) => (
              <tr key={r.participationId}>
                <td>
                  <Link to={`/campagnes/${campaign.id}/participants/${r.participationId}`}>{r.lastName || '—'}</Link>
                </td>
                <td>{r.firstName}</td>
                {campaign.externalIdLabel && <td>{r.participantExternalId}</td>}
                {isAssessment ? (
                  <>
                    <td>{percent(r.masteryRate ?? 0)}</td>
                    {s?.stages && (
                      <td>
                        {r.reachedStage && r.totalStage ? (
                          <span title={t('campaigns.results.stageOutOf', { value: r.reachedStage - 1, total: r.totalStage - 1 })}>
                            <span aria-hidden="true">{stars(r.reachedStage, r.totalStage)}</span>
                            <span className="visually-hidden">{t('campaigns.results.stageOutOf', { value: r.reachedStage - 1, total: r.totalStage - 1 })}</span>
                          </span>
                        ) : (
                          '—'
                        )}
                      </td>
                    )}
                    {s?.badges && s.badges.length > 0 && <td>{r.badges?.map(badgeTitle).join(', ') || '—'}</td>}
                  </>
                ) : (
                  <>
                    <td>{formatDate(r.sharedAt, i18n.language)}</td>
                    <td>{r.pixScore}</td>
                    <td>{t(r.isCertifiable ? 'campaigns.results.isCertifiable' : 'campaigns.results.notCertifiable')}</td>
                    <td>{r.certifiableCompetencesCount}</td>
                  </>
                )}
                {campaign.multipleSendings && <td>{r.sharedCount}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.data && <Pagination page={rows.data.page} pageSize={rows.data.pageSize} total={rows.data.total} onChange={setPage} />}
    </section>
  )
}
