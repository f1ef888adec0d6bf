/**
 * Creation, edition and duplication of a campaign (the seeds' form, field by field). After creation
 * only the name, owner, title and texts change; the rest is shown read-only. The landing text is
 * Markdown, previewed live as the learner will see it (no raw HTML), with a 5000-character counter.
 */
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import Markdown from 'react-markdown'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError, fullName, orgaApi, type CampaignDetail, type CampaignType, type FormOptions } from './api'
import { ErrorMessage, useLoad } from './components'

const MAX_TEXT = 5000

interface FormState {
  name: string
  ownerId: string
  type: CampaignType | ''
  category: string
  targetProfileId: string
  multipleSendings: boolean
  askExternalId: boolean
  externalIdLabel: string
  externalIdType: 'STRING' | 'EMAIL'
  title: string
  customLandingPageText: string
}

const empty: FormState = {
  name: '',
  ownerId: '',
  type: '',
  category: '',
  targetProfileId: '',
  multipleSendings: false,
  askExternalId: false,
  externalIdLabel: '',
  externalIdType: 'STRING',
  title: '',
  customLandingPageText: '',
}

export default function CampaignFormPage({ mode }: { mode: 'create' | 'edit' | 'duplicate' }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { campaignId } = useParams()
  const options = useLoad(() => orgaApi<FormOptions>('/campaign-form-options'), [])
  const source = useLoad(() => (campaignId && mode !== 'create' ? orgaApi<CampaignDetail>(`/campaigns/${campaignId}`) : Promise.resolve(undefined)), [campaignId, mode])
  const [form, setForm] = useState<FormState>(empty)
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>()
  const [saving, setSaving] = useState(false)
  const locked = mode === 'edit'

  useEffect(() => {
    const c = source.data
    const me = options.data?.me.userId ?? ''
    if (!c) {
      if (mode === 'create' && options.data) setForm((f) => ({ ...f, ownerId: f.ownerId || me }))
      return
    }
    const tp = options.data?.targetProfiles.find((p) => p.id === c.targetProfileId)
    setForm({
      name: mode === 'duplicate' ? t('campaigns.form.copyOf', { name: c.name }) : c.name,
      ownerId: mode === 'duplicate' ? me || c.ownerId : c.ownerId,
      type: c.type,
      category: tp?.category ?? '',
      targetProfileId: c.targetProfileId ?? '',
      multipleSendings: c.multipleSendings,
      askExternalId: Boolean(c.externalIdLabel),
      externalIdLabel: c.externalIdLabel ?? '',
      externalIdType: c.externalIdType ?? 'STRING',
      title: c.title ?? '',
      customLandingPageText: c.customLandingPageText ?? '',
    })
  }, [source.data, options.data, mode, t])

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }))
  const categories = [...new Set(options.data?.targetProfiles.map((p) => p.category) ?? [])]
  const profiles = options.data?.targetProfiles.filter((p) => !form.category || p.category === form.category) ?? []

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setIssues({})
    setError(undefined)
    const local: Record<string, string> = {}
    if (!form.name.trim()) local.name = t('campaigns.form.required')
    if (!form.type) local.type = t('campaigns.form.required')
    if (form.type === 'ASSESSMENT' && !form.targetProfileId) local.targetProfileId = t('campaigns.form.required')
    if (form.askExternalId && !form.externalIdLabel.trim()) local.externalIdLabel = t('campaigns.form.required')
    if (form.customLandingPageText.length > MAX_TEXT) local.customLandingPageText = t('campaigns.form.tooLong', { max: MAX_TEXT })
    if (Object.keys(local).length) {
      setIssues(local)
      document.getElementById(`field-${Object.keys(local)[0]}`)?.focus()
      return
    }
    setSaving(true)
    try {
      const texts = { name: form.name, ownerId: form.ownerId, customLandingPageText: form.customLandingPageText || null }
      const title = form.type === 'ASSESSMENT' ? { title: form.title || null } : {}
      if (locked) {
        await orgaApi<CampaignDetail>(`/campaigns/${campaignId}`, { method: 'PATCH', body: { ...texts, ...title } })
        navigate('../parametres', { relative: 'path' })
      } else {
        const created = await orgaApi<CampaignDetail>('/campaigns', {
          method: 'POST',
          body: {
            ...texts,
            ...title,
            type: form.type,
            targetProfileId: form.type === 'ASSESSMENT' ? form.targetProfileId : null,
            multipleSendings: form.multipleSendings,
            externalIdLabel: form.askExternalId ? form.externalIdLabel : null,
            externalIdType: form.askExternalId ? form.externalIdType : null,
          },
        })
        navigate(mode === 'duplicate' ? `../../${created.id}/parametres` : `../${created.id}/parametres`, { relative: 'path' })
      }
    } catch (err) {
      if (err instanceof ApiError && err.issues.length) setIssues(Object.fromEntries(err.issues.map((i) => [i.path, i.message])))
      setError(err)
    } finally {
      setSaving(false)
    }
  }

  const fieldError = (key: string) =>
    issues[key] ? (
      <p id={`error-${key}`} className="field-error">
        {issues[key]}
      </p>
    ) : null
  const described = (key: string, hint?: string) => ({
    id: `field-${key}`,
    'aria-invalid': issues[key] ? true : undefined,
    'aria-describedby': [issues[key] ? `error-${key}` : '', hint ?? ''].filter(Boolean).join(' ') || undefined,
  })

  return (
    <div className="campaigns">
      <nav aria-label={t('campaigns.common.breadcrumb')} className="breadcrumb">
        <Link to={mode === 'create' ? '..' : '../..'} relative="path">
          {t('campaigns.list.title')}
        </Link>
      </nav>
      <h1>{t(`campaigns.form.title.${mode}`)}</h1>
      <p className="muted">{t('campaigns.form.requiredNote')}</p>
      <ErrorMessage error={options.error ?? source.error} />
      <form onSubmit={handleSubmit} noValidate className="card campaign-form">
        <div className="field">
          <label htmlFor="field-name">{t('campaigns.form.name')} *</label>
          <p id="hint-name" className="hint">{t('campaigns.form.nameHint')}</p>
          <input type="text" value={form.name} maxLength={255} onChange={(e) => set('name', e.target.value)} {...described('name', 'hint-name')} />
          {fieldError('name')}
        </div>
        <div className="field">
          <label htmlFor="field-ownerId">{t('campaigns.form.owner')} *</label>
          <p id="hint-owner" className="hint">{t('campaigns.form.ownerHint')}</p>
          <select value={form.ownerId} onChange={(e) => set('ownerId', e.target.value)} {...described('ownerId', 'hint-owner')}>
            {options.data?.members.map((m) => (
              <option key={m.id} value={m.id}>
                {fullName(m) || m.id}
              </option>
            ))}
          </select>
          {fieldError('ownerId')}
        </div>
        <fieldset className="field" disabled={locked} aria-describedby={issues.type ? 'error-type' : undefined}>
          <legend>{t('campaigns.form.goal')} *</legend>
          {(['ASSESSMENT', 'PROFILES_COLLECTION'] as const).map((type, i) => (
            <label key={type} className="radio">
              <input type="radio" name="type" id={i === 0 ? 'field-type' : undefined} checked={form.type === type} onChange={() => set('type', type)} />
              {t(`campaigns.form.goal${type}`)}
            </label>
          ))}
          {fieldError('type')}
        </fieldset>
        {form.type === 'ASSESSMENT' && (
          <fieldset className="field" disabled={locked}>
            <legend>{t('campaigns.form.whatToTest')} *</legend>
            <div className="field-row">
              <div>
                <label htmlFor="field-category">{t('campaigns.form.category')}</label>
                <select id="field-category" value={form.category} onChange={(e) => (set('category', e.target.value), set('targetProfileId', ''))}>
                  <option value="">{t('campaigns.form.allCategories', { count: categories.length })}</option>
                  {categories.map((c) => (
                    <option key={c} value={c}>
                      {t(`campaigns.categories.${c}`, { defaultValue: c })}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="field-targetProfileId">{t('campaigns.form.targetProfile')}</label>
                <select value={form.targetProfileId} onChange={(e) => set('targetProfileId', e.target.value)} {...described('targetProfileId')}>
                  <option value="">{t('campaigns.form.chooseTargetProfile')}</option>
                  {profiles.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {form.targetProfileId && <p className="hint">{options.data?.targetProfiles.find((p) => p.id === form.targetProfileId)?.description}</p>}
            {fieldError('targetProfileId')}
          </fieldset>
        )}
        <fieldset className="field" disabled={locked}>
          <legend>{t(form.type === 'PROFILES_COLLECTION' ? 'campaigns.form.multipleSendingsProfiles' : 'campaigns.form.multipleSendings')} *</legend>
          <label className="radio">
            <input type="radio" name="multipleSendings" checked={!form.multipleSendings} onChange={() => set('multipleSendings', false)} />
            {t('campaigns.common.no')}
          </label>
          <label className="radio">
            <input type="radio" name="multipleSendings" checked={form.multipleSendings} onChange={() => set('multipleSendings', true)} />
            {t('campaigns.common.yes')}
          </label>
        </fieldset>
        <fieldset className="field" disabled={locked}>
          <legend>{t('campaigns.form.askExternalId')}</legend>
          <label className="radio">
            <input type="radio" name="askExternalId" checked={!form.askExternalId} onChange={() => set('askExternalId', false)} />
            {t('campaigns.common.no')}
          </label>
          <label className="radio">
            <input type="radio" name="askExternalId" checked={form.askExternalId} onChange={() => set('askExternalId', true)} />
            {t('campaigns.common.yes')}
          </label>
          {form.askExternalId && (
            <div className="field-row">
              <div>
                <label htmlFor="field-externalIdLabel">{t('campaigns.form.externalIdLabel')} *</label>
                <p id="hint-ext" className="hint">{t('campaigns.form.externalIdHint')}</p>
                <input type="text" value={form.externalIdLabel} maxLength={255} onChange={(e) => set('externalIdLabel', e.target.value)} {...described('externalIdLabel', 'hint-ext')} />
                {fieldError('externalIdLabel')}
              </div>
              <div>
                <label htmlFor="field-externalIdType">{t('campaigns.form.externalIdType')}</label>
                <select id="field-externalIdType" value={form.externalIdType} onChange={(e) => set('externalIdType', e.target.value as 'STRING' | 'EMAIL')}>
                  <option value="STRING">{t('campaigns.form.externalIdSTRING')}</option>
                  <option value="EMAIL">{t('campaigns.form.externalIdEMAIL')}</option>
                </select>
              </div>
            </div>
          )}
        </fieldset>
        {form.type === 'ASSESSMENT' && (
          <div className="field">
            <label htmlFor="field-title">{t('campaigns.form.testTitle')}</label>
            <p id="hint-title" className="hint">{t('campaigns.form.testTitleHint')}</p>
            <input type="text" value={form.title} maxLength={255} onChange={(e) => set('title', e.target.value)} {...described('title', 'hint-title')} />
            {fieldError('title')}
          </div>
        )}
        <div className="field">
          <label htmlFor="field-customLandingPageText">{t('campaigns.form.landingText')}</label>
          <p id="hint-landing" className="hint">{t('campaigns.form.landingHint')}</p>
          <textarea
            rows={8}
            value={form.customLandingPageText}
            onChange={(e) => set('customLandingPageText', e.target.value)}
            {...described('customLandingPageText', 'hint-landing counter-landing')}
          />
          <p id="counter-landing" className={form.customLandingPageText.length > MAX_TEXT ? 'field-error' : 'hint'} aria-live="polite">
            {form.customLandingPageText.length} / {MAX_TEXT}
          </p>
          {fieldError('customLandingPageText')}
          <section className="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{t('campaigns.form.preview')}</h2>
            <div className="preview-body">
              {form.title && <p className="preview-title">{form.title}</p>}
              {/* react-markdown renders no raw HTML by default (skipHtml makes it explicit). */}
              <Markdown skipHtml>{form.customLandingPageText || t('campaigns.form.previewEmpty')}</Markdown>
            </div>
          </section>
        </div>
        {!locked && <p className="hint">{t('campaigns.form.afterCreation')}</p>}
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" className="button button-secondary" onClick={() => navigate(-1)}>
            {t('campaigns.common.cancel')}
          </button>
          <button type="submit" className="button" disabled={saving}>
            {t(locked ? 'campaigns.form.save' : 'campaigns.form.create')}
          </button>
        </div>
      </form>
    </div>
  )
}
