/**
 * "Étudiants": the organization's learners (imported or arrived through a participation / the LMS) with search by
 * name, student number and group, certificability, pages; administrators import a CSV (template downloadable).
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDate, request, type Learner } from '../../api'
import { FormError } from '../../components/FormError'
import { useLoad } from '../../components/useLoad'
import { useOrgaSession } from '../../session'
import { useDocumentTitle } from '../../shell/useDocumentTitle'
import { ImportDialog } from './ImportDialog'
import { OrgaTable } from '../../components/OrgaTable'

const PAGE_SIZE = 50

interface Filters {
  search: string
  studentNumber: string
  group: string
  certificability: string
}
const EMPTY: Filters = { search: '', studentNumber: '', group: '', certificability: '' }

export default function LearnersPage() {
  const { t, i18n } = useTranslation()
  useDocumentTitle(t('orga.learners.title'))
  const { isAdmin } = useOrgaSession()
  const [filters, setFilters] = useState<Filters>(EMPTY)
  const [applied, setApplied] = useState<Filters>(EMPTY)
  const [page, setPage] = useState(1)
  const [importing, setImporting] = useState(false)
  const [status, setStatus] = useState('')

  // Typing waits a moment before asking the server.
  useEffect(() => {
    const timer = setTimeout(() => {
      setApplied(filters)
      setPage(1)
    }, 300)
    return () => clearTimeout(timer)
  }, [filters])

  const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) })
  for (const [k, v] of Object.entries(applied)) if (v.trim()) query.set(k, v.trim())
  const list = useLoad(() => request<{ learners: Learner[]; total: number; groups: string[] }>(`/learners?${query}`), [query.toString()])
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE))
  const set = (key: keyof Filters) => (e: { target: { value: string } }) => setFilters({ ...filters, [key]: e.target.value })

  return (
    <>
      <div className="orga-page-head">
        <h1>{t('orga.learners.heading', { count: list.data?.total ?? 0 })}</h1>
        <div className="orga-actions">
          <a className="orga-secondary" href="/api/orga/learners/template.csv" download>
            {t('orga.learners.template')}
          </a>
          {isAdmin ? (
            <button type="button" className="button" onClick={() => setImporting(true)}>
              {t('orga.learners.import')}
            </button>
          ) : null}
        </div>
      </div>
      <p role="status" className="orga-status">
        {status}
      </p>

      <form className="orga-filters" role="search" aria-label={t('orga.learners.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-search">{t('orga.learners.searchName')}</label>
          <input id="f-search" type="search" value={filters.search} onChange={set('search')} />
        </div>
        <div className="field">
          <label htmlFor="f-number">{t('orga.learners.searchNumber')}</label>
          <input id="f-number" type="search" value={filters.studentNumber} onChange={set('studentNumber')} />
        </div>
        <div className="field">
          <label htmlFor="f-group">{t('orga.learners.group')}</label>
          <select id="f-group" value={filters.group} onChange={set('group')}>
            <option value="">{t('orga.learners.allGroups')}</option>
            {(list.data?.groups ?? []).map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-cert">{t('orga.learners.certificability')}</label>
          <select id="f-cert" value={filters.certificability} onChange={set('certificability')}>
            <option value="">{t('orga.learners.all')}</option>
            <option value="CERTIFIABLE">{t('orga.learners.cert.CERTIFIABLE')}</option>
            <option value="NOT_CERTIFIABLE">{t('orga.learners.cert.NOT_CERTIFIABLE')}</option>
            <option value="UNKNOWN">{t('orga.learners.cert.UNKNOWN')}</option>
          </select>
        </div>
        <button type="button" className="orga-link-button" onClick={() => setFilters(EMPTY)}>
          {t('orga.learners.clearFilters')}
        </button>
      </form>

      <FormError error={list.error} />
      {list.data && list.data.learners.length === 0 ? <p>{t('orga.learners.empty')}</p> : null}
      {list.data && list.data.learners.length > 0 ? (
        <OrgaTable
          label={t('orga.learners.tableLabel')}
          columns={[
            t('orga.learners.studentNumber'),
            t('orga.fields.lastName'),
            t('orga.fields.firstName'),
            t('orga.learners.birthdate'),
            t('orga.learners.group'),
            t('orga.learners.participations'),
            t('orga.learners.lastParticipation'),
            t('orga.learners.certificability'),
          ]}
        >
          {list.data.learners.map((l) => (
            <tr key={l.id}>
              <td>
                {l.studentNumber ?? l.externalId ?? '—'}
                {!l.studentNumber && l.externalId ? <span className="orga-tag">{t('orga.learners.fromLms')}</span> : null}
              </td>
              <td>{l.lastName}</td>
              <td>{l.firstName}</td>
              <td>{formatDate(l.birthdate, i18n.language)}</td>
              <td>{l.group}</td>
              <td>{l.participationCount}</td>
              <td>{formatDate(l.lastParticipationAt, i18n.language)}</td>
              <td>
                <span className={`orga-cert orga-cert-${l.certificability.toLowerCase()}`}>{t(`orga.learners.cert.${l.certificability}`)}</span>
                {l.certifiableAt ? <span className="hint"> {t('orga.learners.certAt', { date: formatDate(l.certifiableAt, i18n.language) })}</span> : null}
              </td>
            </tr>
          ))}
        </OrgaTable>
      ) : null}
      {pages > 1 ? (
        <nav className="orga-pagination" aria-label={t('orga.common.pagination')}>
          <button type="button" className="orga-secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('orga.common.previous')}
          </button>
          <span>{t('orga.common.pageOf', { page, pages })}</span>
          <button type="button" className="orga-secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('orga.common.next')}
          </button>
        </nav>
      ) : null}

      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(message) => {
          setImporting(false)
          setStatus(message)
          list.reload()
        }}
      />
    </>
  )
}
