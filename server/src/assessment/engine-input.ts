/** Maps the learning content and a target profile to the engine's inputs (the engine never sees content types). */
import type { Challenge, Referential } from '../content/types'
import type { ChallengeStatus, EngineChallenge, EngineSkill } from './engine'

const STATUS: Record<Challenge['status'], ChallengeStatus> = { validé: 'active', archivé: 'archived', périmé: 'obsolete' }

export interface EngineBank {
  skills: EngineSkill[]
  challenges: EngineChallenge[]
}

/** Target skills of a profile (any object with skill ids) and all their challenges, obsolete ones included. */
export function engineBank(referential: Referential, profile: { skillIds: readonly string[] }): EngineBank {
  const skills: EngineSkill[] = []
  const challenges: EngineChallenge[] = []
  for (const id of profile.skillIds) {
    const skill = referential.skills.get(id)
    if (!skill) throw new Error(`unknown skill ${id}`)
    skills.push({ id, tubeName: skill.tubeName, competenceCode: skill.competenceCode, level: skill.level, pixValue: skill.pixValue })
    for (const challengeId of skill.challengeIds) {
      const c = referential.challenges.get(challengeId)!
      challenges.push({ id: c.id, skillId: id, timed: c.timer !== undefined, status: STATUS[c.status] })
    }
  }
  return { skills, challenges }
}
