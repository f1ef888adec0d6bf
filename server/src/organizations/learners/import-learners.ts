/**
 * Imports the learners CSV: all or nothing. Any line error → nothing is written and every error is reported
 * (422 LEARNER_IMPORT_REJECTED, issues `line:field`). Otherwise one transaction upserts by student number:
 * a known student number gets the file's names, birth date and group (its link to a person is kept).
 * Learners absent from the file are left as they are (Pix's "add" mode).
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { organizationLearners } from '../../db/schema'
import type { Clock } from '../../shared/clock'
import { LearnerImportRejected } from '../errors'
import { parseLearnersCsv } from './learners-csv'

const CHUNK = 1000

export async function importLearners(
  input: { organizationId: string; content: string },
  deps: { db: Db; clock: Clock },
): Promise<{ created: number; updated: number }> {
  const { learners, errors } = parseLearnersCsv(input.content, deps.clock.now())
  if (errors.length > 0) {
    throw new LearnerImportRejected(
      `Import refusé : ${errors.length} erreur(s). Aucun étudiant n’a été importé ; corrigez le fichier et recommencez.`,
      // The error handler turns `problems` into `issues` [{ path: 'line:field', message }]: the per-line report.
      { problems: Object.fromEntries(errors.map((e, i) => [`${e.line}:${e.field ?? ''}${errors.findIndex((o) => o.line === e.line && o.field === e.field) === i ? '' : `#${i}`}`, e.message])) },
    )
  }
  return deps.db.transaction(async (tx) => {
    let created = 0
    for (let i = 0; i < learners.length; i += CHUNK) {
      const rows = await tx
        .insert(organizationLearners)
        .values(
          learners.slice(i, i + CHUNK).map((l) => ({
            organizationId: input.organizationId,
            lastName: l.lastName,
            firstName: l.firstName,
            birthdate: l.birthdate,
            studentNumber: l.studentNumber,
            group: l.group,
            source: 'IMPORT',
          })),
        )
        .onConflictDoUpdate({
          target: [organizationLearners.organizationId, organizationLearners.studentNumber],
          targetWhere: sql`${organizationLearners.studentNumber} IS NOT NULL`,
          set: {
            lastName: sql`excluded.last_name`,
            firstName: sql`excluded.first_name`,
            birthdate: sql`excluded.birthdate`,
            group: sql`excluded."group"`,
            isDisabled: false,
            updatedAt: sql`now()`,
          },
        })
        // xmax = 0 only for freshly inserted rows: tells created from updated without a second query.
        .returning({ inserted: sql<boolean>`(xmax = 0)` })
      created += rows.filter((r) => r.inserted).length
    }
    return { created, updated: learners.length - created }
  })
}
