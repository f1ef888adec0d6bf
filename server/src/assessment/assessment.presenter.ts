/** What the learner app may see of challenges and answers: never a solution before the answer is recorded. */
import type { Challenge, Referential, Tutorial } from '../content/types'
import { correctionFor, SKIP_VALUE, type Correction } from '../content/answer-validation'
import type { AnswerRow } from './assessment.repository'

export type PublicChallenge =
  | { id: string; type: 'QCU' | 'QCM'; instruction: string; timer: number | null; proposals: string[] }
  | { id: string; type: 'QROC'; instruction: string; timer: number | null; format: string; label: string; placeholder: string | null }
  | {
      id: string
      type: 'QROCM-ind' | 'QROCM-dep'
      instruction: string
      timer: number | null
      format: string
      fields: { key: string; label: string; placeholder: string | null; options: string[] | null }[]
    }

export function presentChallenge(c: Challenge): PublicChallenge {
  const base = { id: c.id, instruction: c.instruction, timer: c.timer ?? null }
  switch (c.type) {
    case 'QCU':
    case 'QCM':
      return { ...base, type: c.type, proposals: c.proposals }
    case 'QROC':
      return { ...base, type: c.type, format: c.format, label: c.label, placeholder: c.placeholder ?? null }
    case 'QROCM-ind':
    case 'QROCM-dep':
      return {
        ...base,
        type: c.type,
        format: c.format,
        fields: c.fields.map((f) => ({ key: f.key, label: f.label, placeholder: f.placeholder ?? null, options: f.options ?? null })),
      }
  }
}

export interface PublicTutorial extends Tutorial {
  saved: boolean
}

export function presentTutorials(referential: Referential, ids: readonly string[], saved: ReadonlySet<string>): PublicTutorial[] {
  return ids.flatMap((id) => {
    const t = referential.tutorials.get(id)
    return t ? [{ ...t, saved: saved.has(id) }] : []
  })
}

/** Answer values are stored as text: QROCM objects as JSON. */
export function encodeAnswerValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function decodeAnswerValue(challenge: Challenge, stored: string): unknown {
  if (stored === SKIP_VALUE) return stored
  if (challenge.type === 'QROCM-ind' || challenge.type === 'QROCM-dep') {
    try {
      return JSON.parse(stored) as unknown
    } catch {
      return {}
    }
  }
  return stored
}

export interface AnswerReview {
  challengeId: string
  result: AnswerRow['result']
  challenge: PublicChallenge
  /** What the learner sent (QROCM: an object of fields). */
  value: unknown
  details: unknown
  correction: Correction
  explanation: string | null
  tutorials: PublicTutorial[]
}

/** "Réponses et tutoriels": the answer, the right answer, the explanation and the skill's tutorials. */
export function presentAnswerReview(referential: Referential, answer: AnswerRow, saved: ReadonlySet<string>): AnswerReview | undefined {
  const challenge = referential.challenges.get(answer.challengeId)
  if (!challenge) return undefined
  const value = decodeAnswerValue(challenge, answer.value)
  const skill = referential.skills.get(challenge.skillId)
  return {
    challengeId: answer.challengeId,
    result: answer.result,
    challenge: presentChallenge(challenge),
    value,
    details: answer.resultDetails ?? null,
    correction: correctionFor(challenge, value),
    explanation: challenge.explanation ?? null,
    tutorials: presentTutorials(referential, skill?.tutorialIds ?? [], saved),
  }
}
