/**
 * The export counts, in SQL, the target skills a learner in progress has tested (progression). It must be
 * scoring's testedSkills of the learner's live knowledge: latest KE per skill, resets dropped, target only.
 */
import fc from 'fast-check'
import { participationResults, type ScoringKnowledgeElement } from '../assessment/scoring'
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { insertUser } from '../../test/factories'
import { loadReferential } from '../content/load-referential'
import { testedSkillCounts } from './export-campaign-results'

const referential = loadReferential()
const tp = referential.targetProfiles.get('tp_kit_survie')!
let db: TestDatabase

beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(async () => {
  await db?.drop()
})

describe('testedSkillCounts', () => {
  it('equals scoring’s testedSkills on random live knowledge (resets, repeated skills, skills outside the profile)', async () => {
    const skills = [...tp.skillIds.slice(0, 6), '@horsProfil1']
    const arbKe = fc.record({
      skillId: fc.constantFrom(...skills),
      status: fc.constantFrom<ScoringKnowledgeElement['status']>('validated', 'invalidated', 'reset'),
      // Distinct instants per learner below: on an exact tie the pick is PostgreSQL's, as it always was.
      minute: fc.integer({ min: 0, max: 10_000 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uniqueArray(arbKe, { maxLength: 15, selector: (k) => k.minute }), { minLength: 1, maxLength: 4 }), async (learners) => {
        const users: string[] = []
        const expected = new Map<string, number>()
        for (const kes of learners) {
          const user = await insertUser(db.db)
          users.push(user.id)
          const rows = kes.map((k) => ({ ...k, createdAt: new Date(Date.UTC(2026, 0, 1) + k.minute * 60_000 + 123) }))
          for (const k of rows)
            await db.pool.query(
              `INSERT INTO knowledge_elements (user_id, skill_id, competence_code, status, source, earned_pix, created_at) VALUES ($1, $2, '1.1', $3, 'direct', 0, $4)`,
              [user.id, k.skillId, k.status, k.createdAt],
            )
          const scoring = participationResults(
            referential,
            tp,
            rows.map((k) => ({ skillId: k.skillId, status: k.status, source: 'direct', earnedPix: 0, createdAt: k.createdAt })),
          )
          if (scoring.testedSkills) expected.set(user.id, scoring.testedSkills)
        }
        expect(await testedSkillCounts(db.pool, users, tp.skillIds)).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  it('reads nothing for no learner', async () => {
    expect(await testedSkillCounts(db.pool, [], tp.skillIds)).toEqual(new Map())
  })
})
