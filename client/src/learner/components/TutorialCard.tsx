import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Tutorial } from '../api'

/** A tutorial with its source and length, and a toggle to save it for later. */
export function TutorialCard({ tutorial, onChange }: { tutorial: Tutorial; onChange?: (saved: boolean) => void }) {
  const { t } = useTranslation()
  const [saved, setSaved] = useState(tutorial.saved)
  const [busy, setBusy] = useState(false)
  const handleSaveClick = async () => {
    setBusy(true)
    try {
      await api.saveTutorial(tutorial.id, !saved)
      setSaved(!saved)
      onChange?.(!saved)
    } finally {
      setBusy(false)
    }
  }
  return (
    <li className="lj-tutorial">
      <a href={tutorial.url} target="_blank" rel="noopener noreferrer">
        {tutorial.title} <span className="visually-hidden">{t('learner.tutorial.opensNewTab')}</span>
      </a>
      <span className="muted">{t('learner.tutorial.by', { duration: tutorial.duration, format: tutorial.format, source: tutorial.source })}</span>
      <button
        type="button"
        className="lj-link-button"
        aria-pressed={saved}
        aria-label={t('learner.tutorial.saveLabel', { title: tutorial.title })}
        disabled={busy}
        onClick={() => void handleSaveClick()}
      >
        {saved ? `★ ${t('learner.tutorial.saved')}` : `☆ ${t('learner.tutorial.save')}`}
      </button>
    </li>
  )
}
