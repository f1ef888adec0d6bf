/**
 * Shared tools for learner-journey tests: answers that are right or wrong for any challenge, and small
 * test-only target profiles so a whole test takes a handful of answers.
 */
import type { Challenge, Referential, TargetProfile } from '../src/content/types'

export type AnswerValue = string | Record<string, string>

export function rightAnswer(ch: Challenge): AnswerValue {
  switch (ch.type) {
    case 'QCU':
      return String(ch.solution)
    case 'QCM':
      return ch.solution.join(',')
    case 'QROC':
      return ch.solutions[0]!
    case 'QROCM-ind':
      return Object.fromEntries(ch.fields.map((f) => [f.key, f.solutions[0]!]))
    case 'QROCM-dep':
      return Object.fromEntries(ch.fields.map((f, i) => [f.key, ch.solutionGroups[i]![0]!]))
  }
}

export function wrongAnswer(ch: Challenge): AnswerValue {
  switch (ch.type) {
    case 'QCU':
      return String(ch.solution === 1 ? 2 : 1)
    case 'QCM':
      return String(ch.proposals.findIndex((_, i) => !ch.solution.includes(i + 1)) + 1)
    case 'QROC':
      return ch.format === 'nombre' ? '-987654' : 'zzqxw'
    case 'QROCM-ind':
      return Object.fromEntries(ch.fields.map((f) => [f.key, f.options ? (f.options.find((o) => !f.solutions.includes(o)) ?? f.options[0]!) : 'zzqxw']))
    case 'QROCM-dep': {
      const expected = new Set(ch.solutionGroups.flat())
      return Object.fromEntries(ch.fields.map((f) => [f.key, f.options ? (f.options.find((o) => !expected.has(o)) ?? f.options[0]!) : 'zzqxw']))
    }
  }
}

/** Adds (once) a test-only target profile made of the given tubes capped at the given level. */
export function addTestProfile(referential: Referential, id: string, tubes: { tubeName: string; level: number }[], over: Partial<TargetProfile> = {}): TargetProfile {
  const existing = referential.targetProfiles.get(id)
  if (existing) return existing
  const skillIds = tubes.flatMap(({ tubeName, level }) => {
    const tube = referential.tubes.get(tubeName)
    if (!tube) throw new Error(`unknown tube ${tubeName}`)
    return tube.skillIds.filter((s) => (referential.skills.get(s)?.level ?? 99) <= level)
  })
  const profile: TargetProfile = {
    id,
    name: 'Parcours de test',
    description: 'Parcours court pour les tests',
    category: 'CUSTOM',
    cappedTubes: tubes,
    skillIds,
    areKnowledgeElementsResettable: true,
    stages: [
      { kind: 'threshold', value: 0, threshold: 0, title: 'Premiers pas', message: 'Vous débutez.', prescriberTitle: 'Début', prescriberDescription: '' },
      { kind: 'threshold', value: 50, threshold: 50, title: 'Bien parti', message: 'Vous maîtrisez la moitié du parcours.', prescriberTitle: 'Moitié', prescriberDescription: '' },
    ],
    badges: [],
    ...over,
  }
  referential.targetProfiles.set(id, profile)
  return profile
}
