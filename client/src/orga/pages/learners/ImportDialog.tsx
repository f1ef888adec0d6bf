/** Import of the learners CSV: all or nothing; on refusal, every line's error in a table. */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { OrgaApiError, request } from '../../api'
import { Dialog } from '../../components/Dialog'
import { FormError } from '../../components/FormError'
import { OrgaTable } from '../../components/OrgaTable'

interface Props {
  open: boolean
  onClose(): void
  onImported(message: string): void
}

export function ImportDialog({ open, onClose, onImported }: Props) {
  const { t } = useTranslation()
  const [file, setFile] = useState<File | undefined>()
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return
    setBusy(true)
    setError(undefined)
    try {
      const result = await request<{ created: number; updated: number }>('/learners/import', { method: 'POST', body: await file.text(), contentType: 'text/csv' })
      setFile(undefined)
      onImported(t('orga.learners.imported', { created: result.created, updated: result.updated }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const report = error instanceof OrgaApiError && error.code === 'LEARNER_IMPORT_REJECTED' ? error.issues : []
  return (
    <Dialog
      open={open}
      title={t('orga.learners.importTitle')}
      onClose={() => {
        setError(undefined)
        onClose()
      }}
    >
      <form onSubmit={handleSubmit} noValidate>
        <p>{t('orga.learners.importIntro')}</p>
        <p className="hint">{t('orga.learners.importHeaders')}</p>
        <div className="field">
          <label htmlFor="import-file">{t('orga.learners.importFile')}</label>
          <input id="import-file" type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.target.files?.[0])} />
        </div>
        <FormError error={error} />
        {report.length > 0 ? (
          <OrgaTable
            label={t('orga.learners.reportLabel')}
            caption={t('orga.learners.reportCaption', { count: report.length })}
            columns={[
              t('orga.learners.line'),
              t('orga.learners.column'),
              t('orga.learners.problem'),
            ]}
          >
            {report.map((issue) => {
              const [line, field] = issue.path.split('#')[0]!.split(':')
              return (
                <tr key={issue.path}>
                  <td>{line}</td>
                  <td>{field || '—'}</td>
                  <td>{issue.message}</td>
                </tr>
              )
            })}
          </OrgaTable>
        ) : null}
        <div className="orga-dialog-actions">
          <button type="button" className="orga-secondary" onClick={onClose}>
            {t('orga.common.cancel')}
          </button>
          <button type="submit" className="button" disabled={busy || !file}>
            {t('orga.learners.importSubmit')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
