/** Plain types of the loaded referential. Built once by load-referential.ts; read-only afterwards. */
import type { ChallengeData, TutorialData } from './schema'

export type Challenge = ChallengeData & { skillId: string; competenceCode: string; tubeName: string }
export type Tutorial = TutorialData

export interface Skill {
  /** `@<tubeName><level>`, also the skill id. */
  id: string
  name: string
  tubeName: string
  competenceCode: string
  level: number
  description: string
  /** 8 pix per level of a competence, shared equally among the competence's skills of that level. */
  pixValue: number
  tutorialIds: string[]
  challengeIds: string[]
}

export interface Tube {
  name: string
  competenceCode: string
  practicalTitle: string
  practicalDescription: string
  /** Skill ids, easiest first. */
  skillIds: string[]
  maxLevel: number
}

export interface Competence {
  code: string
  areaCode: string
  name: string
  description: string
  tubeNames: string[]
}

export interface Area {
  code: string
  title: string
  color: string
  competenceCodes: string[]
}

export interface Stage {
  kind: 'threshold' | 'level'
  value: number
  /** Threshold in % once level stages are converted (Pix's rule). */
  threshold: number
  title: string
  message: string
  prescriberTitle: string
  prescriberDescription: string
}

export type BadgeCriterion =
  | { scope: 'participation'; threshold: number }
  | { scope: 'cappedTubes'; threshold: number; skillIds: string[] }

export interface Badge {
  key: string
  title: string
  message: string
  isAlwaysVisible: boolean
  criteria: BadgeCriterion[]
}

export interface TargetProfile {
  id: string
  name: string
  description: string
  category: 'COMPETENCES' | 'THEMATIQUES' | 'PREDEFINED' | 'CUSTOM'
  cappedTubes: { tubeName: string; level: number }[]
  /** Every skill of the capped tubes whose level ≤ cap and that has at least one operative challenge. */
  skillIds: string[]
  areKnowledgeElementsResettable: boolean
  stages: Stage[]
  badges: Badge[]
}

export interface Referential {
  /** Content version: a hash of the files, stored with each assessment so results can be replayed. */
  version: string
  areas: Area[]
  competences: Competence[]
  tubes: Map<string, Tube>
  skills: Map<string, Skill>
  challenges: Map<string, Challenge>
  tutorials: Map<string, Tutorial>
  targetProfiles: Map<string, TargetProfile>
  competenceByCode: Map<string, Competence>
}
