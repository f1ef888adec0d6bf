import { sql } from 'drizzle-orm'
import { competenceTargetProfile } from './assessment-engine'
import { abortAssessment, insertKnowledgeElements, latestCompetenceEvaluations, listKnowledgeElements, type KnowledgeElementRow } from './assessment.repository'
import { CompetenceNotFound, CompetenceResetNotAllowed } from './errors'
import type { AssessmentDeps } from './get-assessment-state'
import { latestNonResetBySkill } from './scoring'

const DAY_MS = 86_400_000

/**
 * Days left before a competence can be reset from the profile (Pix's scorecard: the delay runs from the competence's
 * latest knowledge element, rounded up), or null when the learner has nothing on it to reset.
 */
export function remainingDaysBeforeReset(latestOfCompetence: readonly Pick<KnowledgeElementRow, 'createdAt'>[], now: Date, delayDays: number): number | null {
  if (!latestOfCompetence.length) return null
  const last = Math.max(...latestOfCompetence.map((ke) => ke.createdAt.getTime()))
  // A test's last KEs are stamped a millisecond or two after its answer (ordering): never count negative days.
  const daysSince = Math.max(0, (now.getTime() - last) / DAY_MS)
  return Math.max(0, Math.ceil(delayDays - daysSince))
}

/** The learner's latest non-reset knowledge element per skill of one competence. */
export function latestOfCompetence(kes: readonly KnowledgeElementRow[], competenceCode: string): KnowledgeElementRow[] {
  return [...latestNonResetBySkill(kes).values()].filter((ke) => ke.competenceCode === competenceCode)
}

/**
 * « Remettre à zéro » a competence from the profile (Pix: once `delayDays` have passed since its latest knowledge
 * element): every skill of the competence gets a `reset` copy of its latest knowledge element (0 pix), so level and
 * pix start again from zero and the next test on it asks everything again. A test on it in progress is abandoned.
 * Knowledge elements are never deleted: campaign results already shared keep their snapshot.
 */
export async function resetCompetence(input: { userId: string; competenceCode: string }, deps: AssessmentDeps & { delayDays: number }): Promise<void> {
  if (!competenceTargetProfile(deps.referential, input.competenceCode)) throw new CompetenceNotFound('Compétence inconnue.')
  await deps.db.transaction(async (tx) => {
    // Two resets of one learner at once (a double click) must not both pass the check.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`competence-reset:${input.userId}`}, 0))`)
    const latest = latestOfCompetence(await listKnowledgeElements(tx, input.userId), input.competenceCode)
    const now = deps.clock.now()
    const remaining = remainingDaysBeforeReset(latest, now, deps.delayDays)
    if (remaining === null) throw new CompetenceResetNotAllowed('Cette compétence n’a encore rien à remettre à zéro.')
    if (remaining > 0) throw new CompetenceResetNotAllowed(`La remise à zéro sera possible dans ${remaining} jour${remaining > 1 ? 's' : ''}.`)
    // Reset KEs are later than every KE they reset ("latest wins").
    const at = new Date(Math.max(now.getTime(), ...latest.map((ke) => ke.createdAt.getTime() + 1)))
    await insertKnowledgeElements(
      tx,
      latest.map(({ id: _id, ...ke }) => ({ ...ke, status: 'reset' as const, earnedPix: 0, createdAt: at })),
    )
    const ongoing = (await latestCompetenceEvaluations(tx, input.userId)).filter((a) => a.competenceCode === input.competenceCode && a.state === 'started')
    for (const a of ongoing) await abortAssessment(tx, a.id)
  })
}
