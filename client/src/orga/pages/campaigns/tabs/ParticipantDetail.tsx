/** One participant: participation selector (multiple sendings), dates, progression, results per competence, analysis per tube; or the profile. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { formatDate, percent, orgaApi, type CampaignDetail, type ParticipationStatus } from '../api'
import { ErrorMessage, useLoad } from '../components'
import { GradeDeliveryStatus, type GradeDelivery } from './GradeDeliveryStatus'
import { TubeList, type TubeRow } from './TubeList'

interface Detail {
  participation: {
    id: string
    firstName: string
    lastName: string
    participantExternalId: string | null
    status: ParticipationStatus
    createdAt: string
    sharedAt: string | null
    progression: number
  }
  participations: { id: string; number: number; createdAt: string; sharedAt: string | null }[]
  assessment: {
    masteryRate: number
    validatedSkillsCount: number
    testedSkillsCount: number
    totalSkillsCount: number
    reachedStage: { reachedStage: number; totalStage: number; title: string; description: string } | null
    badges: { key: string; title: string; acquired: boolean }[]
    competences: { code: string; name: string; areaColor: string; masteryRate: number; validated: number; total: number }[]
    tubes: TubeRow[]
  } | null
  profile: {
    totalPix: number
    isCertifiable: boolean
    certifiableCompetencesCount: number
    competences: { code: string; name: string; areaColor: string; level: number; pix: number }[]
  } | null
  /** null when nothing was sent to an LMS for this participant. */
  gradeDelivery: GradeDelivery | null
}

export function ParticipantDetail({ campaign }: { campaign: CampaignDetail }) {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const { participationId = '' } = useParams()
  const [view, setView] = useState<'results' | 'analysis'>('results')
  const detail = useLoad(() => orgaApi<Detail>(`/campaigns/${campaign.id}/participations/${participationId}`), [campaign.id, participationId])
  const d = detail.data
  if (!d) return detail.error ? <ErrorMessage error={detail.error} /> : <p role="status">{t('common.loading')}</p>
  const p = d.participation
  const date = (iso: string | null) => formatDate(iso, i18n.language)
  return (
    <section aria-labelledby="participant-title">
      <p>
        <Link to={`/campagnes/${campaign.id}/activite`}>{t('campaigns.participant.back')}</Link>
      </p>
      <h2 id="participant-title">
        {p.firstName} {p.lastName}
      </h2>
      {campaign.externalIdLabel && p.participantExternalId && (
        <p>
          {campaign.externalIdLabel} : {p.participantExternalId}
        </p>
      )}
      {d.participations.length > 1 && (
        <div className="field-inline">
          <label htmlFor="participation-select">{t('campaigns.participant.choose')}</label>
          <select id="participation-select" value={p.id} onChange={(e) => navigate(`/campagnes/${campaign.id}/participants/${e.target.value}`)}>
            {d.participations.map((o) => (
              <option key={o.id} value={o.id}>
                {t('campaigns.participant.option', { number: o.number, date: date(o.sharedAt ?? o.createdAt) })}
              </option>
            ))}
          </select>
        </div>
      )}
      <dl className="facts">
        <div>
          <dt>{t('campaigns.participant.startedAt')}</dt>
          <dd>{date(p.createdAt)}</dd>
        </div>
        <div>
          <dt>{t('campaigns.participant.sharedAt')}</dt>
          <dd>{p.sharedAt ? date(p.sharedAt) : t(`campaigns.status.${p.status}`)}</dd>
        </div>
        {campaign.type === 'ASSESSMENT' && (
          <div>
            <dt>{t('campaigns.participant.progression')}</dt>
            <dd>{p.progression} %</dd>
          </div>
        )}
        {d.gradeDelivery && (
          <div>
            <dt>{t('campaigns.activity.gradeDelivery')}</dt>
            <dd>
              <GradeDeliveryStatus delivery={d.gradeDelivery} />
            </dd>
          </div>
        )}
        {d.assessment && (
          <>
            <div>
              <dt>{t('campaigns.results.mastery')}</dt>
              <dd>{percent(d.assessment.masteryRate)}</dd>
            </div>
            <div>
              <dt>{t('campaigns.participant.skills')}</dt>
              <dd>{t('campaigns.participant.skillsValue', { validated: d.assessment.validatedSkillsCount, tested: d.assessment.testedSkillsCount, total: d.assessment.totalSkillsCount })}</dd>
            </div>
            {d.assessment.reachedStage && (
              <div>
                <dt>{t('campaigns.results.stage')}</dt>
                <dd>
                  {d.assessment.reachedStage.title} ({t('campaigns.results.stageOutOf', { value: d.assessment.reachedStage.reachedStage - 1, total: d.assessment.reachedStage.totalStage - 1 })})
                </dd>
              </div>
            )}
          </>
        )}
        {d.profile && (
          <>
            <div>
              <dt>{t('campaigns.results.pix')}</dt>
              <dd>{d.profile.totalPix}</dd>
            </div>
            <div>
              <dt>{t('campaigns.results.certifiable')}</dt>
              <dd>{t(d.profile.isCertifiable ? 'campaigns.results.isCertifiable' : 'campaigns.results.notCertifiable')}</dd>
            </div>
            <div>
              <dt>{t('campaigns.results.certifiableCompetences')}</dt>
              <dd>{d.profile.certifiableCompetencesCount}</dd>
            </div>
          </>
        )}
      </dl>
      {!d.assessment && !d.profile && <p className="notice">{t('campaigns.participant.notShared')}</p>}
      {d.assessment && (
        <>
          {d.assessment.badges.some((b) => b.acquired) && (
            <p>
              {t('campaigns.results.badges')} : {d.assessment.badges.filter((b) => b.acquired).map((b) => b.title).join(', ')}
            </p>
          )}
          <div className="segmented" role="group" aria-label={t('campaigns.participant.view')}>
            <button type="button" aria-pressed={view === 'results'} onClick={() => setView('results')}>
              {t('campaigns.participant.results')}
            </button>
            <button type="button" aria-pressed={view === 'analysis'} onClick={() => setView('analysis')}>
              {t('campaigns.participant.analysis')}
            </button>
          </div>
          {view === 'results' ? (
            <div className="table-wrap">
              <table>
                <caption>{t('campaigns.participant.byCompetence')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('campaigns.analysis.competences', { count: d.assessment.competences.length })}</th>
                    <th scope="col">{t('campaigns.analysis.results')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.assessment.competences.map((c) => (
                    <tr key={c.code}>
                      <th scope="row" className="competence-cell" style={{ borderLeftColor: c.areaColor }}>
                        {c.name}
                      </th>
                      <td>
                        <span className="meter">
                          <span className="meter-bar" style={{ width: percent(c.masteryRate).replace(' ', '') }} />
                        </span>{' '}
                        {percent(c.masteryRate)} ({c.validated}/{c.total})
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <TubeList tubes={d.assessment.tubes} />
          )}
        </>
      )}
      {d.profile && (
        <div className="table-wrap">
          <table>
            <caption>{t('campaigns.participant.profile')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.participant.competence')}</th>
                <th scope="col">{t('campaigns.participant.level')}</th>
                <th scope="col">{t('campaigns.participant.pix')}</th>
              </tr>
            </thead>
            <tbody>
              {d.profile.competences.map((c) => (
                <tr key={c.code}>
                  <th scope="row" className="competence-cell" style={{ borderLeftColor: c.areaColor }}>
                    {c.name}
                  </th>
                  <td>{c.level}</td>
                  <td>{c.pix}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
