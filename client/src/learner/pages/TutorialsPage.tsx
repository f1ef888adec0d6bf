import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Tutorial } from '../api'
import { Heading } from '../components/Heading'
import { ErrorMessage, Loading } from '../components/Status'
import { TutorialCard } from '../components/TutorialCard'

/** Tutorials saved for later. */
export function TutorialsPage() {
  const { t } = useTranslation()
  const [tutorials, setTutorials] = useState<Tutorial[]>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    api
      .profile()
      .then((p) => setTutorials(p.savedTutorials))
      .catch((e: Error) => setError(e.message))
  }, [])
  if (!tutorials) return error ? <ErrorMessage message={error} /> : <Loading />
  return (
    <section className="card">
      <Heading>{t('learner.tutorials.title')}</Heading>
      {tutorials.length === 0 ? (
        <p>{t('learner.tutorials.empty')}</p>
      ) : (
        <ul className="lj-tutorials">
          {tutorials.map((tuto) => (
            <TutorialCard key={tuto.id} tutorial={tuto} />
          ))}
        </ul>
      )}
    </section>
  )
}
