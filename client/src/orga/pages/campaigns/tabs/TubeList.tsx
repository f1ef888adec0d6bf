/** Tubes ranked by pertinence (1–4 marks), each expandable to its description and tutorials. Shared by Analyse and participant detail. */
import { useTranslation } from 'react-i18next'
import { Marks } from '../components'

export interface TubeRow {
  tubeName: string
  practicalTitle: string
  practicalDescription: string
  competenceName: string
  areaColor: string
  marks: 1 | 2 | 3 | 4
  tutorials: { id: string; title: string; url: string; source: string; format: string; durationMinutes: number }[]
}

export function TubeList({ tubes }: { tubes: TubeRow[] }) {
  const { t } = useTranslation()
  return (
    <ul className="tube-list">
      {tubes.map((tube) => (
        <li key={tube.tubeName} style={{ borderLeftColor: tube.areaColor }}>
          <details>
            <summary>
              <span className="tube-title">
                <strong>{tube.practicalTitle}</strong>
                <span className="muted"> — {tube.competenceName}</span>
              </span>
              <Marks marks={tube.marks} />
              <span className="muted">{t('campaigns.analysis.tutorials', { count: tube.tutorials.length })}</span>
            </summary>
            <p>{tube.practicalDescription}</p>
            {tube.tutorials.length > 0 && (
              <ul>
                {tube.tutorials.map((tu) => (
                  <li key={tu.id}>
                    <a href={tu.url} target="_blank" rel="noreferrer noopener">
                      {tu.title}
                    </a>{' '}
                    <span className="muted">
                      — {tu.source} · {tu.format} · {t('campaigns.analysis.minutes', { count: tu.durationMinutes })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </details>
        </li>
      ))}
    </ul>
  )
}
