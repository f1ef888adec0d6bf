/** "Places": the counter (total / occupied / available) and the lots with their status; administrators add or remove lots. */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDate, request, type Places } from '../../api'
import { FormError } from '../../components/FormError'
import { useLoad } from '../../components/useLoad'
import { useOrgaSession } from '../../session'
import { useDocumentTitle } from '../../shell/useDocumentTitle'
import { OrgaTable } from '../../components/OrgaTable'

export default function PlacesPage() {
  const { t, i18n } = useTranslation()
  useDocumentTitle(t('orga.places.title'))
  const { isAdmin } = useOrgaSession()
  const places = useLoad(() => (isAdmin ? request<Places>('/places') : Promise.reject(new Error('admin only'))), [isAdmin])
  const [count, setCount] = useState('')
  const [activationDate, setActivationDate] = useState('')
  const [expirationDate, setExpirationDate] = useState('')
  const [error, setError] = useState<unknown>()
  const [status, setStatus] = useState('')

  if (!isAdmin) {
    return (
      <>
        <h1>{t('orga.places.title')}</h1>
        <p>{t('orga.places.adminOnly')}</p>
      </>
    )
  }

  const handleAdd = async (e: FormEvent) => {
    e.preventDefault()
    setError(undefined)
    try {
      await request('/places/lots', { method: 'POST', body: { count, activationDate, expirationDate: expirationDate || null } })
      setStatus(t('orga.places.added', { count: Number(count) }))
      setCount('')
      setActivationDate('')
      setExpirationDate('')
      places.reload()
    } catch (err) {
      setError(err)
    }
  }
  const handleDelete = async (id: string) => {
    setError(undefined)
    try {
      await request(`/places/lots/${id}`, { method: 'DELETE' })
      setStatus(t('orga.places.deleted'))
      places.reload()
    } catch (err) {
      setError(err)
    }
  }

  const data = places.data
  return (
    <>
      <h1>{t('orga.places.title')}</h1>
      <p className="hint">{t('orga.places.intro')}</p>
      <p role="status" className="orga-status">
        {status}
      </p>
      {data ? (
        <dl className="orga-counters">
          <div>
            <dt>{t('orga.places.available')}</dt>
            <dd>{data.available}</dd>
          </div>
          <div>
            <dt>{t('orga.places.occupied')}</dt>
            <dd>{data.occupied}</dd>
          </div>
          <div>
            <dt>{t('orga.places.total')}</dt>
            <dd>{data.total}</dd>
          </div>
        </dl>
      ) : null}
      {data && data.occupied > data.total && data.hasPlaces ? (
        <p className="orga-alert orga-alert-warning">{t('orga.places.overflow', { count: data.occupied - data.total })}</p>
      ) : null}

      <section aria-labelledby="lots-title">
        <h2 id="lots-title">{t('orga.places.lots')}</h2>
        {data && data.lots.length === 0 ? <p className="muted">{t('orga.places.noLot')}</p> : null}
        {data && data.lots.length > 0 ? (
          <OrgaTable
            labelledBy="lots-title"
            columns={[
              t('orga.places.count'),
              t('orga.places.activation'),
              t('orga.places.expiration'),
              t('orga.places.status'),
              t('orga.common.actions'),
            ]}
          >
            {data.lots.map((lot) => (
              <tr key={lot.id}>
                <td>{lot.count}</td>
                <td>{formatDate(lot.activationDate, i18n.language)}</td>
                <td>{lot.expirationDate ? formatDate(lot.expirationDate, i18n.language) : t('orga.places.never')}</td>
                <td>
                  <span className={`orga-tag orga-lot-${lot.status.toLowerCase()}`}>{t(`orga.places.statuses.${lot.status}`)}</span>
                </td>
                <td>
                  <button type="button" className="orga-link-button" onClick={() => void handleDelete(lot.id)}>
                    {t('orga.places.delete')}
                    <span className="visually-hidden"> {t('orga.places.lotOf', { count: lot.count, date: formatDate(lot.activationDate, i18n.language) })}</span>
                  </button>
                </td>
              </tr>
            ))}
          </OrgaTable>
        ) : null}
      </section>

      <section aria-labelledby="add-lot-title" className="card">
        <h2 id="add-lot-title">{t('orga.places.add')}</h2>
        <form onSubmit={handleAdd} noValidate className="orga-inline-form">
          <div className="field">
            <label htmlFor="lot-count">{t('orga.places.count')}</label>
            <input id="lot-count" type="number" min={0} inputMode="numeric" required value={count} onChange={(e) => setCount(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="lot-activation">{t('orga.places.activation')}</label>
            <input id="lot-activation" type="date" required value={activationDate} onChange={(e) => setActivationDate(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="lot-expiration">
              {t('orga.places.expiration')} <span className="hint">{t('orga.places.optional')}</span>
            </label>
            <input id="lot-expiration" type="date" value={expirationDate} onChange={(e) => setExpirationDate(e.target.value)} />
          </div>
          <FormError error={error ?? places.error} />
          <button type="submit" className="button">
            {t('orga.places.addSubmit')}
          </button>
        </form>
      </section>
    </>
  )
}
