/** Activité: counters, participants over time, status breakdown, participant list; refreshed every 10 s while open. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { Bar, BarChart, CartesianGrid, LabelList, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatDate, orgaApi, type CampaignDetail, type Page, type ParticipationStatus } from '../api'
import { ChartFigure, ErrorMessage, Pagination, useLoad } from '../components'
import { GradeDeliveryStatus, type GradeDelivery } from './GradeDeliveryStatus'

interface Activity {
  participantsCount: number
  sharedCount: number
  byStatus: { started: number; toShare: number; shared: number }
  byDay: { day: string; started: number; shared: number }[]
  /** null without an LMS roster; `unavailable`: the LMS could not be reached for a course. */
  notStarted: { learners: RosterLearner[]; unavailable: boolean } | null
}

interface RosterLearner {
  firstName: string | null
  lastName: string | null
  name: string | null
  email: string | null
  externalId: string | null
}

interface ActivityRow {
  participationId: string
  firstName: string
  lastName: string
  participantExternalId: string | null
  group: string | null
  status: ParticipationStatus
  participationCount: number
  gradeDelivery: GradeDelivery | null
}

export const REFRESH_MS = 10_000

export function ActivityTab({ campaign }: { campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState<ParticipationStatus | ''>('')
  const [search, setSearch] = useState('')
  const [page, setPage] = useState(1)
  const activity = useLoad(() => orgaApi<Activity>(`/campaigns/${campaign.id}/activity`), [campaign.id], REFRESH_MS)
  const q = new URLSearchParams({ page: String(page), pageSize: '50' })
  if (status) q.set('status', status)
  if (search.trim()) q.set('search', search.trim())
  const list = useLoad(() => orgaApi<Page<ActivityRow>>(`/campaigns/${campaign.id}/activity/participants?${q}`), [campaign.id, q.toString()], REFRESH_MS)
  const a = activity.data
  const statuses = a
    ? [
        { key: 'STARTED', label: t('campaigns.status.STARTED'), value: a.byStatus.started },
        { key: 'TO_SHARE', label: t('campaigns.status.TO_SHARE'), value: a.byStatus.toShare },
        { key: 'SHARED', label: t('campaigns.status.SHARED'), value: a.byStatus.shared },
      ].filter((s) => campaign.type === 'ASSESSMENT' || s.key !== 'STARTED')
    : []
  const day = (d: string) => formatDate(`${d}T12:00:00Z`, i18n.language)
  // The LMS column only when grades go to an LMS (some participant has a delivery on this page).
  const hasGrades = Boolean(list.data?.participants.some((p) => p.gradeDelivery))

  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title" className="visually-hidden">
        {t('campaigns.tabs.activity')}
      </h2>
      <ErrorMessage error={activity.error} />
      <div className="cards">
        <div className="stat">
          <span className="stat-label">{t('campaigns.activity.total')}</span>
          <span className="stat-value">{a?.participantsCount ?? '…'}</span>
        </div>
        <div className="stat">
          <span className="stat-label">{t('campaigns.activity.shared')}</span>
          <span className="stat-value">{a?.sharedCount ?? '…'}</span>
        </div>
      </div>
      {a && a.byDay.length > 0 && (
        <div className="chart-grid">
          <ChartFigure
            title={t('campaigns.activity.overTime')}
            summary={t('campaigns.activity.overTimeSummary', { total: a.participantsCount, shared: a.sharedCount, from: day(a.byDay[0]!.day) })}
            table={
              <table>
                <caption>{t('campaigns.activity.overTime')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('campaigns.activity.day')}</th>
                    <th scope="col">{t('campaigns.activity.total')}</th>
                    <th scope="col">{t('campaigns.activity.shared')}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.byDay.map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{day(d.day)}</th>
                      <td>{d.started}</td>
                      <td>{d.shared}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          >
            <ResponsiveContainer width="100%" height={220}>
              <LineChart data={a.byDay.map((d) => ({ ...d, label: day(d.day) }))} margin={{ left: -20, right: 8 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" fontSize={12} />
                <YAxis allowDecimals={false} fontSize={12} />
                <Tooltip />
                <Legend />
                {/* Solid line with dots vs dashed line with squares: distinguishable without colour. */}
                <Line type="stepAfter" dataKey="started" name={t('campaigns.activity.total')} stroke="#2f3ea8" strokeWidth={2} dot={{ r: 3 }} />
                <Line type="stepAfter" dataKey="shared" name={t('campaigns.activity.shared')} stroke="#1b6e3a" strokeWidth={2} strokeDasharray="6 3" dot={{ r: 3, strokeWidth: 2 }} />
              </LineChart>
            </ResponsiveContainer>
          </ChartFigure>
          <ChartFigure
            title={t('campaigns.activity.statuses')}
            summary={statuses.map((s) => `${s.label} : ${s.value}`).join(', ')}
            table={
              <table>
                <caption>{t('campaigns.activity.statuses')}</caption>
                <tbody>
                  {statuses.map((s) => (
                    <tr key={s.key}>
                      <th scope="row">{s.label}</th>
                      <td>{s.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          >
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={statuses} layout="vertical" margin={{ left: 10, right: 30 }}>
                <XAxis type="number" allowDecimals={false} fontSize={12} />
                <YAxis type="category" dataKey="label" width={110} fontSize={12} />
                <Bar dataKey="value" fill="#2f3ea8">
                  <LabelList dataKey="value" position="right" />
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </ChartFigure>
        </div>
      )}
      {a?.notStarted && <NotStarted notStarted={a.notStarted} />}
      <h3>{t('campaigns.activity.participants')}</h3>
      <div className="filters">
        <div className="field-inline">
          <label htmlFor="activity-status">{t('campaigns.activity.statusFilter')}</label>
          <select id="activity-status" value={status} onChange={(e) => (setStatus(e.target.value as ParticipationStatus | ''), setPage(1))}>
            <option value="">{t('campaigns.activity.allStatuses')}</option>
            {statuses.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field-inline">
          <label htmlFor="activity-search">{t('campaigns.activity.search')}</label>
          <input id="activity-search" type="search" value={search} onChange={(e) => (setSearch(e.target.value), setPage(1))} />
        </div>
      </div>
      <p className="muted" role="status">
        {list.data ? t('campaigns.activity.count', { count: list.data.total }) : ''}
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('campaigns.activity.participants')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.common.lastName')}</th>
              <th scope="col">{t('campaigns.common.firstName')}</th>
              {campaign.externalIdLabel && <th scope="col">{campaign.externalIdLabel}</th>}
              <th scope="col">{t('campaigns.activity.status')}</th>
              {campaign.multipleSendings && <th scope="col">{t('campaigns.activity.participationCount')}</th>}
              {hasGrades && <th scope="col">{t('campaigns.activity.gradeDelivery')}</th>}
            </tr>
          </thead>
          <tbody>
            {list.data?.participants.map((p) => (
              <tr key={p.participationId}>
                <td>
                  <Link to={`/campagnes/${campaign.id}/participants/${p.participationId}`}>{p.lastName || '—'}</Link>
                </td>
                <td>{p.firstName}</td>
                {campaign.externalIdLabel && <td>{p.participantExternalId}</td>}
                <td>
                  <span className={`status status-${p.status}`}>{t(`campaigns.status.${p.status}`)}</span>
                </td>
                {campaign.multipleSendings && <td>{p.participationCount}</td>}
                {hasGrades && (
                  <td>
                    <GradeDeliveryStatus delivery={p.gradeDelivery} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onChange={setPage} />}
    </section>
  )
}

/** The course's enrolled learners (LMS roster) who have no participation yet; a note when the LMS could not be read. */
function NotStarted({ notStarted }: { notStarted: NonNullable<Activity['notStarted']> }) {
  const { t } = useTranslation()
  const { learners, unavailable } = notStarted
  return (
    <>
      {unavailable && (
        <p className="notice" role="status">
          {t('campaigns.activity.notStartedUnavailable')}
        </p>
      )}
      {learners.length === 0 && !unavailable && <p className="muted">{t('campaigns.activity.notStartedNone')}</p>}
      {learners.length > 0 && (
        <details className="card">
          <summary>{t('campaigns.activity.notStarted', { count: learners.length })}</summary>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t('campaigns.activity.notStartedTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('campaigns.common.lastName')}</th>
                  <th scope="col">{t('campaigns.common.firstName')}</th>
                  <th scope="col">{t('campaigns.activity.email')}</th>
                  <th scope="col">{t('campaigns.activity.lmsId')}</th>
                </tr>
              </thead>
              <tbody>
                {learners.map((l, i) => (
                  <tr key={`${l.externalId ?? ''}-${l.email ?? ''}-${i}`}>
                    <td>{l.lastName ?? (l.firstName ? '' : (l.name ?? t('campaigns.activity.noName')))}</td>
                    <td>{l.firstName ?? ''}</td>
                    <td>{l.email ?? ''}</td>
                    <td>{l.externalId ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </>
  )
}
