import { isCertifiable, scoreCompetence, scoreProfile } from './competence-scoring'
import { latestNonResetBySkill } from './knowledge-elements'
import { ke, makeReferential } from './test-fixtures'

const ref = makeReferential()

describe('scoreCompetence', () => {
  it('floors pix and level', () => {
    expect(scoreCompetence('1.1', 15.9)).toEqual({ competenceCode: '1.1', realPix: 15.9, pixScore: 15, level: 1, pixAheadForNextLevel: 7 })
    expect(scoreCompetence('1.1', 16)).toMatchObject({ pixScore: 16, level: 2, pixAheadForNextLevel: 0 })
    expect(scoreCompetence('1.1', 0)).toMatchObject({ pixScore: 0, level: 0 })
  })
  it('caps at 40 pix and level 5 by default', () => {
    expect(scoreCompetence('1.1', 57)).toMatchObject({ pixScore: 40, level: 5, realPix: 57 })
  })
  it('honours a configured maximum level', () => {
    expect(scoreCompetence('1.1', 57, { maxLevel: 6 })).toMatchObject({ pixScore: 48, level: 6 })
    expect(scoreCompetence('1.1', 57, { maxLevel: 8 })).toMatchObject({ pixScore: 57, level: 7 })
  })
  it('does not lose a pix to float sums of fractional skill values', () => {
    const third = 8 / 3
    expect(scoreCompetence('1.1', third + third + third).level).toBe(1)
    expect(scoreCompetence('1.1', 0.1 + 0.2 + 7.7).pixScore).toBe(8)
  })
})

describe('latestNonResetBySkill', () => {
  it('keeps the latest KE of each skill and drops resets', () => {
    const kes = [
      ke('@t1a1', 'invalidated', { createdAt: 1 }),
      ke('@t1a1', 'validated', { createdAt: 2 }),
      ke('@t1a2', 'validated', { createdAt: 1 }),
      ke('@t1a2', 'reset', { createdAt: 3 }),
      ke('@t1a3', 'reset', { createdAt: 1 }),
      ke('@t1a3', 'invalidated', { createdAt: 4 }),
    ]
    const latest = latestNonResetBySkill(kes)
    expect([...latest.keys()].sort()).toEqual(['@t1a1', '@t1a3'])
    expect(latest.get('@t1a1')!.status).toBe('validated')
    expect(latest.get('@t1a3')!.status).toBe('invalidated')
  })
  it('accepts Date and epoch timestamps; the later element wins a tie', () => {
    const at = new Date('2024-01-01T00:00:00Z')
    const kes = [ke('@t1a1', 'validated', { createdAt: at }), ke('@t1a1', 'invalidated', { createdAt: at.getTime() })]
    expect(latestNonResetBySkill(kes).get('@t1a1')!.status).toBe('invalidated')
  })
})

describe('scoreProfile', () => {
  it('sums the earned pix of the latest non-reset KE per skill, per competence', () => {
    const kes = [
      ke('@t1a1'), // 8
      ke('@t1a2'), // 4
      ke('@t1b2'), // 4
      ke('@t1a3', 'validated', { source: 'inferred' }), // 4
      ke('@t2a1', 'invalidated'),
      ke('@t2a1'), // later: validated, 8
      ke('@t3a1'),
      ke('@t3a1', 'reset'), // reset: no pix
    ]
    const score = scoreProfile(ref, kes)
    expect(score.competences.map((c) => [c.competenceCode, c.pixScore, c.level])).toEqual([
      ['1.1', 20, 2],
      ['1.2', 8, 1],
      ['1.3', 0, 0],
      ['1.4', 0, 0],
      ['1.5', 0, 0],
      ['1.6', 0, 0],
    ])
    expect(score.totalPix).toBe(28)
    expect(score.maxReachablePix).toBe(6 * 40)
  })
  it('ignores KEs of skills absent from the referential', () => {
    expect(scoreProfile(ref, [ke('@unknown1', 'validated', { earnedPix: 8 })]).totalPix).toBe(0)
  })
  it('adds capped competence scores into the total', () => {
    const kes = [...ref.skills.values()].filter((s) => s.competenceCode === '1.1').map((s) => ke(s.id))
    // 1.1 has levels 1, 2, 3, 5 → 32 pix, level 4 (levels are pix / 8, not the highest skill level).
    expect(scoreProfile(ref, kes).competences[0]).toMatchObject({ pixScore: 32, level: 4 })
    expect(scoreProfile(ref, kes, { maxLevel: 3 }).competences[0]).toMatchObject({ pixScore: 24, level: 3 })
    expect(scoreProfile(ref, kes, { maxLevel: 3 }).totalPix).toBe(24)
  })
})

describe('certifiability', () => {
  const level1In = (codes: string[]) => codes.map((code) => ke(`@t${code.split('.')[1]}a1`))

  it('needs at least 5 competences at level 1 or more', () => {
    expect(scoreProfile(ref, level1In(['1.1', '1.2', '1.3', '1.4'])).isCertifiable).toBe(false)
    expect(scoreProfile(ref, level1In(['1.1', '1.2', '1.3', '1.4', '1.5'])).isCertifiable).toBe(true)
    expect(scoreProfile(ref, level1In(['1.1', '1.2', '1.3', '1.4', '1.5', '1.6'])).isCertifiable).toBe(true)
  })
  it('does not count a competence just below level 1', () => {
    const kes = [...level1In(['1.1', '1.2', '1.3', '1.4']), ke('@t5a2')] // 4 pix in 1.5
    expect(scoreProfile(ref, kes).isCertifiable).toBe(false)
  })
  it('works on bare levels', () => {
    expect(isCertifiable([{ level: 1 }, { level: 5 }, { level: 2 }, { level: 1 }, { level: 0 }])).toBe(false)
    expect(isCertifiable([{ level: 1 }, { level: 5 }, { level: 2 }, { level: 1 }, { level: 3 }])).toBe(true)
  })
})
