/** QROC, QROCM-ind and QROCM-dep: open answers under the text treatments or as numbers. */
import { parseQrocmValue, parseQrocValue } from './answer-value'
import { InvalidAnswerValue } from './errors'
import { canonicalForm, matchesField, type FieldRule } from './field-matching'
import { enabledTreatments } from './text-treatments'
import type { Correction, Graded, QrocContent, QrocmDepContent, QrocmIndContent } from './types'

type OpenContent = QrocContent | QrocmIndContent | QrocmDepContent

function rule(ch: OpenContent, options?: readonly string[]): FieldRule {
  return { format: ch.format, treatments: enabledTreatments(ch.deactivations), options }
}

/** A drop-down can only send one of its options (or nothing): anything else is a client bug. */
function checkOption(ch: OpenContent, key: string, value: string, options: readonly string[] | undefined): void {
  if (options && value !== '' && !options.some((o) => o.normalize('NFC') === value.normalize('NFC')))
    throw new InvalidAnswerValue(ch.id, `field "${key}" is not one of its options`)
}

export function validateQroc(ch: QrocContent, value: unknown): Graded {
  const answer = parseQrocValue(ch.id, value)
  const correct = matchesField(answer, ch.solutions, rule(ch))
  return { ok: correct, details: { type: 'QROC', correct } }
}

export function validateQrocmInd(ch: QrocmIndContent, value: unknown): Graded {
  const answers = parseQrocmValue(ch.id, value, ch.fields.map((f) => f.key))
  const fields: Record<string, boolean> = {}
  for (const field of ch.fields) {
    const answer = answers[field.key] ?? ''
    checkOption(ch, field.key, answer, field.options)
    fields[field.key] = matchesField(answer, field.solutions, rule(ch, field.options))
  }
  return { ok: Object.values(fields).every(Boolean), details: { type: 'QROCM-ind', fields } }
}

/**
 * QROCM-dep: each field may match any solution group, and a group is consumed once matched.
 * Pix assigns greedily; we compute a maximum bipartite matching (fields in order, Kuhn's augmenting
 * paths) so an answer that fits two groups never steals the only group of a later answer. The same
 * answer given twice (same canonical form) counts once, even if it would fit two groups.
 * Returns, per field, the index of the group it consumed (or -1).
 */
export function matchDependentFields(ch: QrocmDepContent, answers: Record<string, string>): number[] {
  const seen = new Set<string>()
  const candidates = ch.fields.map((field) => {
    const answer = answers[field.key] ?? ''
    const r = rule(ch, field.options)
    const canonical = canonicalForm(answer, r)
    if (canonical === '' || seen.has(canonical)) return []
    seen.add(canonical)
    return ch.solutionGroups.flatMap((group, g) => (matchesField(answer, group, r) ? [g] : []))
  })
  const groupOwner = new Array<number>(ch.solutionGroups.length).fill(-1)
  const tryAssign = (f: number, visited: boolean[]): boolean => {
    for (const g of candidates[f] ?? []) {
      if (visited[g]) continue
      visited[g] = true
      const owner = groupOwner[g]!
      if (owner === -1 || tryAssign(owner, visited)) {
        groupOwner[g] = f
        return true
      }
    }
    return false
  }
  ch.fields.forEach((_, f) => tryAssign(f, new Array<boolean>(ch.solutionGroups.length).fill(false)))
  const byField = ch.fields.map(() => -1)
  groupOwner.forEach((f, g) => {
    if (f !== -1) byField[f] = g
  })
  return byField
}

export function validateQrocmDep(ch: QrocmDepContent, value: unknown): Graded {
  const answers = parseQrocmValue(ch.id, value, ch.fields.map((f) => f.key))
  for (const field of ch.fields) checkOption(ch, field.key, answers[field.key] ?? '', field.options)
  const matched = matchDependentFields(ch, answers)
  const fields: Record<string, boolean> = {}
  ch.fields.forEach((field, f) => (fields[field.key] = matched[f] !== -1))
  return { ok: matched.every((g) => g !== -1), details: { type: 'QROCM-dep', fields } }
}

export function correctQroc(ch: QrocContent): Correction {
  return { type: 'QROC', solution: ch.solutions[0] ?? '' }
}

export function correctQrocmInd(ch: QrocmIndContent): Correction {
  return {
    type: 'QROCM-ind',
    fields: ch.fields.map((f) => ({ key: f.key, label: f.label, solution: f.solutions[0] ?? '' })),
  }
}

/** Pix's getCorrection: the solution groups without those the learner already found (value undefined: all). */
export function correctQrocmDep(ch: QrocmDepContent, value: unknown): Correction {
  let used = new Set<number>()
  if (value !== undefined) {
    const answers = parseQrocmValue(ch.id, value, ch.fields.map((f) => f.key))
    used = new Set(matchDependentFields(ch, answers).filter((g) => g !== -1))
  }
  const remaining = ch.solutionGroups.flatMap((group, g) => (used.has(g) ? [] : [group[0] ?? '']))
  return { type: 'QROCM-dep', remaining, fieldCount: ch.fields.length }
}
