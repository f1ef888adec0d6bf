/** "Campagnes": Mes campagnes / Toutes les campagnes, Actives / Archivées, search, owner filter, pages, multi-select deletion. */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatDate, fullName, orgaApi, type CampaignListRow, type FormOptions } from './api'
import { ErrorMessage, Pagination, useLoad } from './components'

interface ListResponse {
  campaigns: CampaignListRow[]
  page: number
  pageSize: number
  total: number
}

export default function CampaignListPage() {
  const { t, i18n } = useTranslation()
  const [scope, setScope] = useState<'mine' | 'all'>('mine')
  const [status, setStatus] = useState<'active' | 'archived'>('active')
  const [name, setName] = useState('')
  const [ownerId, setOwnerId] = useState('')
  const [sort, setSort] = useState<'createdAt:desc' | 'createdAt:asc'>('createdAt:desc')
  const [page, setPage] = useState(1)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [confirming, setConfirming] = useState(false)
  const [understood, setUnderstood] = useState(false)
  const [actionError, setActionError] = useState<unknown>()

  const query = new URLSearchParams({ scope, status, sort, page: String(page), pageSize: '20' })
  if (name.trim()) query.set('name', name.trim())
  if (scope === 'all' && ownerId) query.set('ownerId', ownerId)
  const list = useLoad(() => orgaApi<ListResponse>(`/campaigns?${query}`), [query.toString()])
  const options = useLoad(() => orgaApi<FormOptions>('/campaign-form-options'), [])

  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setSelected(next)
  }
  const handleDelete = async () => {
    setActionError(undefined)
    try {
      await orgaApi('/campaigns/deletion', { method: 'POST', body: { campaignIds: [...selected] } })
      setSelected(new Set())
      setConfirming(false)
      setUnderstood(false)
      list.reload()
    } catch (e) {
      setActionError(e)
    }
  }
  const resetFilters = () => {
    setName('')
    setOwnerId('')
    setPage(1)
  }
  const rows = list.data?.campaigns ?? []

  return (
    <div className="campaigns wide">
      <div className="page-head">
        <h1>{t('campaigns.list.title')}</h1>
        <Link className="button" to="nouvelle">
          {t('campaigns.list.create')}
        </Link>
      </div>
      <div className="segmented" role="group" aria-label={t('campaigns.list.scope')}>
        {(['mine', 'all'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={scope === s} onClick={() => (setScope(s), setPage(1), setSelected(new Set()))}>
            {t(`campaigns.list.${s}`)}
          </button>
        ))}
      </div>
      <div className="filters">
        <div className="segmented" role="group" aria-label={t('campaigns.list.status')}>
          {(['active', 'archived'] as const).map((s) => (
            <button key={s} type="button" aria-pressed={status === s} onClick={() => (setStatus(s), setPage(1), setSelected(new Set()))}>
              {t(`campaigns.list.${s}`)}
            </button>
          ))}
        </div>
        <div className="field-inline">
          <label htmlFor="campaign-search">{t('campaigns.list.search')}</label>
          <input id="campaign-search" type="search" value={name} onChange={(e) => (setName(e.target.value), setPage(1))} />
        </div>
        {scope === 'all' && (
          <div className="field-inline">
            <label htmlFor="campaign-owner">{t('campaigns.list.owner')}</label>
            <select id="campaign-owner" value={ownerId} onChange={(e) => (setOwnerId(e.target.value), setPage(1))}>
              <option value="">{t('campaigns.list.anyOwner')}</option>
              {options.data?.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {fullName(m)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field-inline">
          <label htmlFor="campaign-sort">{t('campaigns.list.sort')}</label>
          <select id="campaign-sort" value={sort} onChange={(e) => setSort(e.target.value as typeof sort)}>
            <option value="createdAt:desc">{t('campaigns.list.newest')}</option>
            <option value="createdAt:asc">{t('campaigns.list.oldest')}</option>
          </select>
        </div>
        <button type="button" className="button button-small button-secondary" onClick={resetFilters}>
          {t('campaigns.list.clearFilters')}
        </button>
      </div>
      <p role="status" className="muted">
        {list.data ? t('campaigns.list.count', { count: list.data.total }) : t('common.loading')}
      </p>
      <ErrorMessage error={list.error} />
      {selected.size > 0 && (
        <div className="selection-bar">
          <span>{t('campaigns.list.selected', { count: selected.size })}</span>
          <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
            {t('campaigns.list.delete')}
          </button>
        </div>
      )}
      {confirming && (
        <div className="card confirm" role="alertdialog" aria-labelledby="delete-title" aria-describedby="delete-desc">
          <h2 id="delete-title">{t('campaigns.delete.title', { count: selected.size })}</h2>
          <div id="delete-desc">
            <p>{t('campaigns.delete.hidden')}</p>
            <p>{t('campaigns.delete.participations')}</p>
            <p>
              <strong>{t('campaigns.delete.irreversible')}</strong>
            </p>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
            {t('campaigns.delete.understood', { count: selected.size })}
          </label>
          <ErrorMessage error={actionError} />
          <div className="actions">
            <button type="button" className="button button-secondary" onClick={() => (setConfirming(false), setUnderstood(false))}>
              {t('campaigns.common.cancel')}
            </button>
            <button type="button" className="button button-danger" disabled={!understood} onClick={handleDelete}>
              {t('campaigns.delete.confirm')}
            </button>
          </div>
        </div>
      )}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('campaigns.list.title')}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('campaigns.list.select')}</span>
              </th>
              <th scope="col">{t('campaigns.list.name')}</th>
              <th scope="col">{t('campaigns.list.code')}</th>
              <th scope="col">{t('campaigns.list.createdBy')}</th>
              <th scope="col">{t('campaigns.list.createdAt')}</th>
              <th scope="col">{t('campaigns.list.participants')}</th>
              <th scope="col">{t('campaigns.list.results')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>
                  <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} aria-label={t('campaigns.list.selectOne', { name: c.name })} />
                </td>
                <td>
                  <span className="type-tag">{t(`campaigns.type.short.${c.type}`)}</span> <Link to={`${c.id}/activite`}>{c.name}</Link>
                </td>
                <td className="code">{c.code}</td>
                <td>{fullName(c.owner)}</td>
                <td>{formatDate(c.createdAt, i18n.language)}</td>
                <td>{c.participantsCount}</td>
                <td>{c.sharedCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onChange={setPage} />}
    </div>
  )
}
