/** Small hand-made referential and KE builders for the scoring tests. */
import type { Competence, Referential, Skill } from '../../content/types'
import type { ScoringKnowledgeElement } from './knowledge-elements'

/** Competences "1.1".."1.6"; in each, tube `t<n>a` has levels 1–3 and tube `t<n>b` levels 2–3 and 5. */
export function makeReferential(): Pick<Referential, 'competences' | 'skills'> {
  const competences: Competence[] = []
  const skills = new Map<string, Skill>()
  for (let n = 1; n <= 6; n++) {
    const code = `1.${n}`
    const tubes: [string, number[]][] = [
      [`t${n}a`, [1, 2, 3]],
      [`t${n}b`, [2, 3, 5]],
    ]
    const perLevel = new Map<number, number>()
    for (const [, levels] of tubes) for (const l of levels) perLevel.set(l, (perLevel.get(l) ?? 0) + 1)
    for (const [tubeName, levels] of tubes)
      for (const level of levels) {
        const id = `@${tubeName}${level}`
        skills.set(id, {
          id,
          name: id,
          tubeName,
          competenceCode: code,
          level,
          description: id,
          pixValue: 8 / perLevel.get(level)!,
          tutorialIds: [],
          challengeIds: [],
        })
      }
    competences.push({ code, areaCode: '1', name: `Compétence ${code}`, description: '', tubeNames: tubes.map((t) => t[0]) })
  }
  return { competences, skills }
}

let clock = 0

export function ke(
  skillId: string,
  status: ScoringKnowledgeElement['status'] = 'validated',
  over: Partial<ScoringKnowledgeElement> = {},
  referential = makeReferential(),
): ScoringKnowledgeElement {
  const pix = referential.skills.get(skillId)?.pixValue ?? 0
  return {
    skillId,
    status,
    source: 'direct',
    earnedPix: status === 'validated' ? pix : 0,
    createdAt: ++clock,
    ...over,
  }
}
