import type { EngineSkill } from './types'

/** A tube ("sujet"): the target skills sharing a tube name, easiest first. */
export interface EngineTube {
  name: string
  competenceCode: string
  skills: EngineSkill[]
  maxLevel: number
}

export function groupTubes(skills: readonly EngineSkill[]): Map<string, EngineTube> {
  const tubes = new Map<string, EngineTube>()
  for (const skill of skills) {
    let tube = tubes.get(skill.tubeName)
    if (!tube) {
      tube = { name: skill.tubeName, competenceCode: skill.competenceCode, skills: [], maxLevel: 0 }
      tubes.set(skill.tubeName, tube)
    }
    tube.skills.push(skill)
    if (skill.level > tube.maxLevel) tube.maxLevel = skill.level
  }
  for (const tube of tubes.values()) tube.skills.sort((a, b) => a.level - b.level)
  return tubes
}
