/**
 * The knowledge elements scoring reads. Structural on purpose: the engine's KnowledgeElement
 * (createdAt in epoch ms) and database rows (createdAt as Date) both fit.
 */
export type KnowledgeElementStatus = 'validated' | 'invalidated' | 'reset'

export interface ScoringKnowledgeElement {
  skillId: string
  status: KnowledgeElementStatus
  source: 'direct' | 'inferred'
  earnedPix: number
  createdAt: Date | number
}

const time = (d: Date | number): number => (typeof d === 'number' ? d : d.getTime())

/**
 * Pix's toLatestUniqNonResetCollection: the latest KE of each skill, then drop the reset ones (a
 * reset hides older statuses of its skill). On equal createdAt the later element of the list wins.
 */
export function latestNonResetBySkill<K extends ScoringKnowledgeElement>(kes: readonly K[]): Map<string, K> {
  const latest = new Map<string, K>()
  for (const ke of kes) {
    const current = latest.get(ke.skillId)
    if (!current || time(ke.createdAt) >= time(current.createdAt)) latest.set(ke.skillId, ke)
  }
  for (const [skillId, ke] of latest) if (ke.status === 'reset') latest.delete(skillId)
  return latest
}

/** Skill ids whose latest non-reset KE is validated. */
export function validatedSkillIds(kes: readonly ScoringKnowledgeElement[]): Set<string> {
  const result = new Set<string>()
  for (const [skillId, ke] of latestNonResetBySkill(kes)) if (ke.status === 'validated') result.add(skillId)
  return result
}
