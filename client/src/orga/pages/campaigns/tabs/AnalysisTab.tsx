/** Analyse: tube recommendations (Pix's pertinence) and collective mastery per competence. */
import { useTranslation } from 'react-i18next'
import { orgaApi, type CampaignDetail } from '../api'
import { ErrorMessage, useLoad } from '../components'
import { TubeList, type TubeRow } from './TubeList'

interface Analysis {
  participantsCount: number
  tubes: (TubeRow & { averageScore: number })[]
  competences: { competenceCode: string; competenceName: string; areaColor: string; masteryPercentage: number; targetedSkillsCount: number }[]
}

export function AnalysisTab({ campaign }: { campaign: CampaignDetail }) {
  const { t } = useTranslation()
  const analysis = useLoad(() => orgaApi<Analysis>(`/campaigns/${campaign.id}/analysis`), [campaign.id])
  const a = analysis.data
  return (
    <section aria-labelledby="analysis-title">
      <ErrorMessage error={analysis.error} />
      <h2 id="analysis-title">{t('campaigns.analysis.recommendations')}</h2>
      <p className="muted">{t('campaigns.analysis.recommendationsHint')}</p>
      {a && a.participantsCount === 0 && <p>{t('campaigns.analysis.empty')}</p>}
      {a && a.participantsCount > 0 && (
        <>
          <p className="muted">{t('campaigns.analysis.subjects', { count: a.tubes.length })}</p>
          <TubeList tubes={a.tubes} />
        </>
      )}
      <h2>{t('campaigns.analysis.byCompetence')}</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('campaigns.analysis.byCompetence')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaigns.analysis.competences', { count: a?.competences.length ?? 0 })}</th>
              <th scope="col">{t('campaigns.analysis.results')}</th>
            </tr>
          </thead>
          <tbody>
            {a?.competences.map((c) => (
              <tr key={c.competenceCode}>
                <th scope="row" className="competence-cell" style={{ borderLeftColor: c.areaColor }}>
                  {c.competenceName}
                </th>
                <td>
                  <span className="meter">
                    <span className="meter-bar" style={{ width: `${c.masteryPercentage}%` }} />
                  </span>{' '}
                  {c.masteryPercentage} %
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
