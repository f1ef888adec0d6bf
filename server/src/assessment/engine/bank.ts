/**
 * The question bank as both algorithms see it at one step: target skills, their operative challenges and
 * which challenges this assessment has already asked. The static part is memoised per (skills,
 * challenges) arrays, which the engine treats as immutable.
 */
import { groupTubes, type EngineTube } from './tubes'
import type { EngineChallenge, EngineInput, EngineSkill } from './types'

export interface StaticBank {
  skills: readonly EngineSkill[]
  skillById: Map<string, EngineSkill>
  /** Operative challenges per target skill, in input order. */
  challengesBySkill: Map<string, EngineChallenge[]>
  /** Every challenge of a target skill, obsolete ones included. */
  challengeById: Map<string, EngineChallenge>
  /** Tubes of the target skills that have at least one operative challenge (Pix's computeTubesFromSkills). */
  tubes: Map<string, EngineTube>
  /** Tubes of all target skills. */
  allTubes: Map<string, EngineTube>
}

export interface Bank extends StaticBank {
  /** The memoised static part, a stable key for further memoisation. */
  base: StaticBank
  answered: ReadonlySet<string>
  /** Operative challenges of the skill not answered yet, in input order. */
  remaining(skillId: string): EngineChallenge[]
  hasRemaining(skillId: string): boolean
}

const cache = new WeakMap<readonly EngineSkill[], WeakMap<readonly EngineChallenge[], StaticBank>>()

export function staticBank(skills: readonly EngineSkill[], challenges: readonly EngineChallenge[]): StaticBank {
  let bySkills = cache.get(skills)
  if (!bySkills) {
    bySkills = new WeakMap()
    cache.set(skills, bySkills)
  }
  let bank = bySkills.get(challenges)
  if (!bank) {
    const skillById = new Map(skills.map((s) => [s.id, s]))
    const challengesBySkill = new Map<string, EngineChallenge[]>()
    const challengeById = new Map<string, EngineChallenge>()
    for (const c of challenges) {
      if (!skillById.has(c.skillId)) continue
      // Answers to a challenge made obsolete since still count; it is just never asked again.
      challengeById.set(c.id, c)
      if (c.status === 'obsolete') continue
      const list = challengesBySkill.get(c.skillId)
      if (list) list.push(c)
      else challengesBySkill.set(c.skillId, [c])
    }
    const tubes = groupTubes(skills.filter((s) => challengesBySkill.has(s.id)))
    bank = { skills, skillById, challengesBySkill, challengeById, tubes, allTubes: groupTubes(skills) }
    bySkills.set(challenges, bank)
  }
  return bank
}

export function buildBank(input: Pick<EngineInput, 'skills' | 'challenges' | 'answers'>): Bank {
  const base = staticBank(input.skills, input.challenges)
  const answered = new Set(input.answers.map((a) => a.challengeId))
  return {
    ...base,
    base,
    answered,
    remaining: (skillId) => (base.challengesBySkill.get(skillId) ?? []).filter((c) => !answered.has(c.id)),
    hasRemaining: (skillId) => (base.challengesBySkill.get(skillId) ?? []).some((c) => !answered.has(c.id)),
  }
}

/** Active challenges first (Pix prefers "validé" over "archivé"), then a seeded pick among them. */
export function pickChallenge(remaining: readonly EngineChallenge[], hash: number): EngineChallenge {
  const active = remaining.filter((c) => c.status === 'active')
  const pool = active.length > 0 ? active : remaining
  return pool[hash % pool.length]!
}
