import type { Db } from '../db/client'
import type { Referential } from '../content/types'
import type { Clock } from '../shared/clock'
import { saveTutorial, unsaveTutorial } from './assessment.repository'
import { TutorialNotFound } from './errors'

/** "Enregistrer" / "Retirer" a tutorial for later. Idempotent both ways. */
export async function setTutorialSaved(
  input: { userId: string; tutorialId: string; saved: boolean },
  deps: { db: Db; clock: Clock; referential: Referential },
): Promise<void> {
  if (!deps.referential.tutorials.has(input.tutorialId)) throw new TutorialNotFound('Tutoriel inconnu.')
  if (input.saved) await saveTutorial(deps.db, input.userId, input.tutorialId, deps.clock.now())
  else await unsaveTutorial(deps.db, input.userId, input.tutorialId)
}
