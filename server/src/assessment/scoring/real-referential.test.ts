/**
 * Scoring against the real referential: a learner who validates everything reaches the last stage
 * and every badge of every target profile, and one who validates nothing sits on the zero stage.
 * Catches content slips (missing zero stage, empty badge criterion, unreachable threshold).
 */
import { loadReferential } from '../../content/load-referential'
import { scoreProfile } from './competence-scoring'
import type { ScoringKnowledgeElement } from './knowledge-elements'
import { participationResults } from './participation-results'

const referential = loadReferential()
const validateAll = (skillIds: Iterable<string>): ScoringKnowledgeElement[] =>
  [...skillIds].map((skillId) => ({
    skillId,
    status: 'validated',
    source: 'direct',
    earnedPix: referential.skills.get(skillId)!.pixValue,
    createdAt: 0,
  }))

describe.each([...referential.targetProfiles.values()].map((tp) => [tp.id, tp] as const))('target profile %s', (_id, tp) => {
  it('has skills', () => expect(tp.skillIds.length).toBeGreaterThan(0))

  it('gives full mastery, the last stage and every badge when every skill is validated', () => {
    const results = participationResults(referential, tp, validateAll(tp.skillIds))
    expect(results.masteryRate).toBe(1)
    if (tp.stages.length > 0) expect(results.reachedStage?.reachedStage).toBe(tp.stages.length)
    expect(results.badges.filter((b) => !b.acquired).map((b) => b.key)).toEqual([])
  })

  it('starts on a zero stage with no badge', () => {
    const results = participationResults(referential, tp, [])
    if (tp.stages.length > 0) expect(results.reachedStage?.reachedStage).toBe(1)
    expect(results.badges.filter((b) => b.acquired).map((b) => b.key)).toEqual([])
  })
})

describe('full profile', () => {
  it('is worth 8 pix per level present in a competence, capped at level 5', () => {
    const score = scoreProfile(referential, validateAll(referential.skills.keys()))
    expect(score.isCertifiable).toBe(referential.competences.length >= 5)
    for (const c of score.competences) {
      const levels = new Set([...referential.skills.values()].filter((s) => s.competenceCode === c.competenceCode).map((s) => s.level))
      expect([c.competenceCode, c.level, c.pixScore]).toEqual([c.competenceCode, Math.min(5, levels.size), Math.min(40, 8 * levels.size)])
    }
    expect(score.totalPix).toBeLessThanOrEqual(score.maxReachablePix)
  })
})
