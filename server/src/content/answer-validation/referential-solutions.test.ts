/**
 * Every challenge of the real referential must accept its own correction, and every variant of its
 * solutions: a content error here would mark right answers wrong for real learners.
 */
import { loadReferential } from '../load-referential'
import type { ChallengeContent, Correction } from './types'
import { correctionFor, validateAnswer } from './validate-answer'

/** Builds the answer value a learner would send if they typed the displayed correction. */
function answerFromCorrection(ch: ChallengeContent, correction: Correction): unknown {
  switch (correction.type) {
    case 'QCU':
    case 'QCM':
      return correction.proposals.map((p) => p.index).join(',')
    case 'QROC':
      return correction.solution
    case 'QROCM-ind':
      return Object.fromEntries(correction.fields.map((f) => [f.key, f.solution]))
    case 'QROCM-dep':
      return ch.type === 'QROCM-dep' ? Object.fromEntries(ch.fields.map((f, i) => [f.key, correction.remaining[i] ?? ''])) : {}
  }
}

/** Every accepted variant, each inside an otherwise correct answer. */
function variantAnswers(ch: ChallengeContent): { label: string; value: unknown }[] {
  switch (ch.type) {
    case 'QCU':
    case 'QCM':
      return []
    case 'QROC':
      return ch.solutions.map((s) => ({ label: `solution "${s}"`, value: s }))
    case 'QROCM-ind':
      return ch.fields.flatMap((field) =>
        field.solutions.map((s) => ({
          label: `field ${field.key} variant "${s}"`,
          value: Object.fromEntries(ch.fields.map((f) => [f.key, f === field ? s : (f.solutions[0] ?? '')])),
        })),
      )
    case 'QROCM-dep':
      return ch.solutionGroups.flatMap((group, g) => {
        const others = ch.solutionGroups.filter((_, k) => k !== g).map((o) => o[0] ?? '')
        return group.map((s) => ({
          label: `group ${g + 1} variant "${s}"`,
          value: Object.fromEntries(ch.fields.map((f, i) => [f.key, i === 0 ? s : (others[i - 1] ?? '')])),
        }))
      })
  }
}

function problemsOf(ch: ChallengeContent): string[] {
  const problems: string[] = []
  const attempt = (label: string, value: unknown) => {
    try {
      const { result, details } = validateAnswer(ch, value)
      if (result !== 'ok') problems.push(`${ch.id}: ${label} → ${result} ${JSON.stringify(details)}`)
    } catch (err) {
      problems.push(`${ch.id}: ${label} → ${(err as Error).message}`)
    }
  }
  attempt('correction', answerFromCorrection(ch, correctionFor(ch)))
  for (const { label, value } of variantAnswers(ch)) attempt(label, value)
  return problems
}

describe('the real referential', () => {
  const referential = loadReferential()

  it('has challenges', () => {
    expect(referential.challenges.size).toBeGreaterThan(0)
  })

  it('accepts the correction and every solution variant of every challenge', () => {
    const problems = [...referential.challenges.values()].flatMap(problemsOf)
    expect(problems).toEqual([])
  })
})
