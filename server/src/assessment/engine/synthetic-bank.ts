/**
 * Synthetic referentials for tests and for tuning before real content exists: competences of a few tubes
 * with skills of levels 1..maxLevel, 8 pix per level shared among a competence's skills of that level,
 * two challenges for levels 1–3 and one above (the content's minimum).
 */
import type { EngineChallenge, EngineSkill } from './types'

export interface SyntheticBank {
  skills: EngineSkill[]
  challenges: EngineChallenge[]
}

export function syntheticBank(args: {
  competences: number
  /** Max level of each tube of a competence, e.g. [5, 6, 4, 5]. */
  tubeMaxLevels: readonly number[]
  /** Every n-th challenge is timed (0: none). */
  timedEvery?: number
}): SyntheticBank {
  const skills: EngineSkill[] = []
  const challenges: EngineChallenge[] = []
  let n = 0
  for (let c = 1; c <= args.competences; c++) {
    const competenceCode = `${Math.ceil(c / 3)}.${((c - 1) % 3) + 1}`
    const own: EngineSkill[] = []
    args.tubeMaxLevels.forEach((max, t) => {
      const tubeName = `c${c}t${t}`
      for (let level = 1; level <= max; level++) own.push({ id: `@${tubeName}${level}`, tubeName, competenceCode, level, pixValue: 0 })
    })
    for (const s of own) s.pixValue = 8 / own.filter((o) => o.level === s.level).length
    for (const s of own) {
      for (let k = 0; k < (s.level <= 3 ? 2 : 1); k++) {
        n++
        challenges.push({ id: `ch-${s.id.slice(1)}-${k}`, skillId: s.id, timed: !!args.timedEvery && n % args.timedEvery === 0, status: 'active' })
      }
    }
    skills.push(...own)
  }
  return { skills, challenges }
}
