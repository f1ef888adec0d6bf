/**
 * Pix's text treatments for open answers (pix-rules §9.2), applied identically to the answer and to
 * every accepted solution before comparing them.
 *
 * Order: pre-treatment → t1 → t2 → comparison (exact, or t3 tolerance).
 * - t1 must run before t2: t2 keeps only [a-zA-Z0-9 ], so run first it would *delete* "é" instead of
 *   folding it to "e" ("café" → "caf"). After t1 there is no whitespace left, so t2 only strips
 *   punctuation ("l'URL" → "lurl").
 * - t3 is not a transformation but the comparison rule: accept when
 *   levenshtein(answer, solution) / answer.length ≤ 0.25.
 *
 * Jalon deviations from Pix, all on the lenient side and documented here:
 * - pre-treatment also maps the narrow no-break space (U+202F, French typography) to a space and trims;
 * - t1 folds the ligatures œ, æ and ß (NFD does not decompose them: "cœur" must equal "coeur");
 * - when t1 is deactivated, t2 keeps accented letters (Unicode letters and digits) instead of
 *   deleting them, since the challenge then wants accents/case to matter.
 */
import { levenshtein } from './levenshtein'

export type Treatment = 't1' | 't2' | 't3'
export const ALL_TREATMENTS: readonly Treatment[] = ['t1', 't2', 't3']
export const LEVENSHTEIN_DISTANCE_MAX_RATE = 0.25

export interface Deactivations {
  t1?: boolean | undefined
  t2?: boolean | undefined
  t3?: boolean | undefined
}

/** Enabled treatments = all minus the challenge's deactivations (Pix's getEnabledTreatments). */
export function enabledTreatments(deactivations?: Deactivations): ReadonlySet<Treatment> {
  return new Set(ALL_TREATMENTS.filter((t) => deactivations?.[t] !== true))
}

export function preTreat(value: string): string {
  return value.normalize('NFC').replace(/[\u00A0\u202F]/g, ' ').trim()
}

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' }

/** t1: lower case, no diacritics, no whitespace at all. */
export function t1(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[œæß]/g, (c) => LIGATURES[c] ?? c)
    .replace(/\s/g, '')
}

/** t2: strip punctuation and symbols, collapse spaces. `afterT1` selects Pix's ASCII class. */
export function t2(value: string, afterT1 = true): string {
  const kept = afterT1 ? value.replace(/[^a-zA-Z0-9 ]+/g, '') : value.replace(/\s/g, ' ').replace(/[^\p{L}\p{N} ]+/gu, '')
  return kept.replace(/ {2,}/g, ' ').trim()
}

/** Pre-treatment then the enabled transformations (t1, t2), in that order. */
export function applyTreatments(value: string, treatments: ReadonlySet<Treatment>): string {
  let result = preTreat(value)
  if (treatments.has('t1')) result = t1(result)
  if (treatments.has('t2')) result = t2(result, treatments.has('t1'))
  return result
}

/**
 * t3: distance relative to the *answer's* length (Pix divides by the input). An empty answer never
 * passes. The length gap is a lower bound of the distance, so long answers are rejected without
 * running the quadratic algorithm.
 */
export function isWithinTolerance(answer: string, reference: string): boolean {
  if (answer.length === 0) return false
  const budget = answer.length * LEVENSHTEIN_DISTANCE_MAX_RATE
  if (Math.abs(answer.length - reference.length) > budget) return false
  return levenshtein(answer, reference) <= budget
}

/** Does a raw text answer match one of the raw solution variants under the given treatments? */
export function matchesText(answer: string, variants: readonly string[], treatments: ReadonlySet<Treatment>): boolean {
  const treated = applyTreatments(answer, treatments)
  if (treated.length === 0) return false
  const refs = variants.map((v) => applyTreatments(v, treatments))
  if (refs.includes(treated)) return true
  return treatments.has('t3') && refs.some((r) => isWithinTolerance(treated, r))
}
