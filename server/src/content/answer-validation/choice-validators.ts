/** QCU and QCM: indexes compared as sets, so the order of a QCM answer never matters. */
import { parseQcmValue, parseQcuValue } from './answer-value'
import type { Correction, Graded, QcmContent, QcuContent } from './types'

function grade(proposalCount: number, chosen: ReadonlySet<number>, expected: ReadonlySet<number>, type: 'QCU' | 'QCM'): Graded {
  const proposals = Array.from({ length: proposalCount }, (_, i) => ({
    index: i + 1,
    chosen: chosen.has(i + 1),
    expected: expected.has(i + 1),
  }))
  return { ok: proposals.every((p) => p.chosen === p.expected), details: { type, proposals } }
}

export function validateQcu(ch: QcuContent, value: unknown): Graded | null {
  const index = parseQcuValue(ch.id, value, ch.proposals.length)
  if (index === null) return null
  return grade(ch.proposals.length, new Set([index]), new Set([ch.solution]), 'QCU')
}

export function validateQcm(ch: QcmContent, value: unknown): Graded | null {
  const chosen = parseQcmValue(ch.id, value, ch.proposals.length)
  if (chosen === null) return null
  return grade(ch.proposals.length, chosen, new Set(ch.solution), 'QCM')
}

export function correctQcu(ch: QcuContent): Correction {
  return { type: 'QCU', proposals: [{ index: ch.solution, text: ch.proposals[ch.solution - 1] ?? '' }] }
}

export function correctQcm(ch: QcmContent): Correction {
  const indexes = [...ch.solution].sort((a, b) => a - b)
  return { type: 'QCM', proposals: indexes.map((index) => ({ index, text: ch.proposals[index - 1] ?? '' })) }
}
