/**
 * Shapes of the answer values sent by the client, checked before any comparison so that a
 * malformed value is a 400 (InvalidAnswerValue), never a silent 'ko'.
 *   QCU "2" · QCM "1,3" · QROC "text" · QROCM-ind/-dep { key: "text" } · any type "#ABAND#" (skip)
 */
import { InvalidAnswerValue } from './errors'

export const SKIP_VALUE = '#ABAND#'
export const MAX_ANSWER_LENGTH = 5000

export function isSkip(value: unknown): boolean {
  return value === SKIP_VALUE
}

function checkedString(challengeId: string, value: unknown, what: string): string {
  if (typeof value !== 'string') throw new InvalidAnswerValue(challengeId, `${what} must be a string, got ${describe(value)}`)
  if (value.length > MAX_ANSWER_LENGTH) throw new InvalidAnswerValue(challengeId, `${what} is longer than ${MAX_ANSWER_LENGTH} characters`)
  return value
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

function proposalIndex(challengeId: string, raw: string, count: number): number {
  const text = raw.trim()
  if (!/^\d{1,3}$/.test(text)) throw new InvalidAnswerValue(challengeId, `"${raw.slice(0, 20)}" is not a proposal number`)
  const index = Number(text)
  if (index < 1 || index > count) throw new InvalidAnswerValue(challengeId, `proposal ${index} is out of range 1..${count}`)
  return index
}

/** QCU: the 1-based index of the chosen proposal. Null when nothing was chosen (only legal on timeout). */
export function parseQcuValue(challengeId: string, value: unknown, proposalCount: number): number | null {
  const text = checkedString(challengeId, value, 'a QCU answer')
  if (text.trim() === '') return null
  return proposalIndex(challengeId, text, proposalCount)
}

/** QCM: comma-separated 1-based indexes, any order, spaces tolerated; a repeated index is a client bug. */
export function parseQcmValue(challengeId: string, value: unknown, proposalCount: number): Set<number> | null {
  const text = checkedString(challengeId, value, 'a QCM answer')
  if (text.trim() === '') return null
  const indexes = text.split(',').map((part) => proposalIndex(challengeId, part, proposalCount))
  const set = new Set(indexes)
  if (set.size !== indexes.length) throw new InvalidAnswerValue(challengeId, 'a proposal is chosen twice')
  return set
}

export function parseQrocValue(challengeId: string, value: unknown): string {
  return checkedString(challengeId, value, 'a QROC answer')
}

/**
 * QROCM: an object of strings keyed by field. Unknown keys are refused; a missing key counts as an
 * empty (wrong) field, so a partially filled timed-out form is still accepted.
 */
export function parseQrocmValue(challengeId: string, value: unknown, keys: readonly string[]): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidAnswerValue(challengeId, `a QROCM answer must be an object of fields, got ${describe(value)}`)
  const entries = Object.entries(value)
  const result: Record<string, string> = {}
  for (const key of keys) result[key] = ''
  for (const [key, field] of entries) {
    if (!keys.includes(key)) throw new InvalidAnswerValue(challengeId, `unknown field "${key.slice(0, 40)}"`)
    result[key] = checkedString(challengeId, field, `field "${key}"`)
  }
  return result
}
