/**
 * Numeric answers (challenge format 'nombre'). French learners write "3,5", "1 000" or "1 000,5":
 * spaces of any kind are ignored and one decimal comma is read as a point. "1.000" stays 1 (a
 * thousands point is indistinguishable from a decimal one).
 */
const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/

export function parseNumber(raw: string): number | null {
  const compact = raw
    .normalize('NFC')
    .replace(/\s/g, '')
    .replace(/\u2212/g, '-') // Unicode minus sign
  if ((compact.match(/,/g) ?? []).length > 1) return null
  const dotted = compact.replace(',', '.')
  if (!NUMERIC.test(dotted)) return null
  return Number(dotted)
}

/** Float equality with a relative epsilon, so 0.1 + 0.2 style artefacts never matter. */
export function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
}
