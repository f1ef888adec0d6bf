/** How one answered field is compared to its accepted variants, whatever the challenge type. */
import { parseNumber, sameNumber } from './numbers'
import { applyTreatments, matchesText, type Treatment } from './text-treatments'

export interface FieldRule {
  format: 'texte' | 'nombre'
  treatments: ReadonlySet<Treatment>
  /** Drop-down list: the value is one of these, compared exactly, no treatment. */
  options?: readonly string[] | undefined
}

export function matchesField(answer: string, variants: readonly string[], rule: FieldRule): boolean {
  if (rule.options) {
    const value = answer.normalize('NFC')
    return variants.some((v) => v.normalize('NFC') === value)
  }
  if (rule.format === 'nombre') {
    const n = parseNumber(answer)
    const refs = variants.map(parseNumber)
    // Pix compares as floats only when the answer and every solution are numeric.
    if (n !== null && refs.every((r) => r !== null)) return refs.some((r) => sameNumber(n, r!))
    // Otherwise ("10 %", "1.000.000") compare as text, but without t3: on digits one typo is a
    // different number ("1234" vs "1284").
    const noTolerance = new Set([...rule.treatments].filter((t) => t !== 't3'))
    return matchesText(answer, variants, noTolerance)
  }
  return matchesText(answer, variants, rule.treatments)
}

/** Canonical form used to detect the same answer given twice in interchangeable fields. */
export function canonicalForm(answer: string, rule: FieldRule): string {
  if (rule.options) return answer.normalize('NFC')
  if (rule.format === 'nombre') {
    const n = parseNumber(answer)
    if (n !== null) return `#${n}`
  }
  return applyTreatments(answer, rule.treatments)
}
