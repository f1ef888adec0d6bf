import { InvalidAnswerValue } from './errors'
import type { QcmContent, QcuContent, QrocContent, QrocmDepContent, QrocmIndContent } from './types'
import { correctionFor, validateAnswer } from './validate-answer'

const base = { checks: 'test', instruction: 'Consigne', status: 'validé' as const }

const qcu: QcuContent = { ...base, id: 'ch_qcu', type: 'QCU', proposals: ['Firefox', 'Word', 'Excel'], solution: 1 }
const qcm: QcmContent = {
  ...base,
  id: 'ch_qcm',
  type: 'QCM',
  proposals: ['PNG', 'DOCX', 'JPEG', 'MP3'],
  solution: [1, 3],
}
const qroc = (over: Partial<QrocContent> = {}): QrocContent => ({
  ...base,
  id: 'ch_qroc',
  type: 'QROC',
  format: 'texte',
  label: 'Réponse',
  solutions: ['Mot de passe', 'passphrase'],
  ...over,
})
const qrocmInd: QrocmIndContent = {
  ...base,
  id: 'ch_ind',
  type: 'QROCM-ind',
  format: 'texte',
  fields: [
    { key: 'capitale', label: 'Capitale', solutions: ['Paris'] },
    { key: 'extension', label: 'Extension', solutions: ['.odt', 'odt'], options: ['.odt', '.ods', '.odp'] },
  ],
}
const qrocmDep = (over: Partial<QrocmDepContent> = {}): QrocmDepContent => ({
  ...base,
  id: 'ch_dep',
  type: 'QROCM-dep',
  format: 'texte',
  fields: [
    { key: 'n1', label: 'Navigateur 1' },
    { key: 'n2', label: 'Navigateur 2' },
  ],
  solutionGroups: [['Firefox', 'Mozilla Firefox'], ['Chrome', 'Google Chrome'], ['Safari']],
  ...over,
})

const result = (ch: Parameters<typeof validateAnswer>[0], value: unknown) => validateAnswer(ch, value).result

describe('QCU', () => {
  it('accepts the right index and refuses another', () => {
    expect(result(qcu, '1')).toBe('ok')
    expect(result(qcu, ' 1 ')).toBe('ok')
    expect(result(qcu, '2')).toBe('ko')
  })
  it('details each proposal: chosen and expected', () => {
    expect(validateAnswer(qcu, '2').details).toEqual({
      type: 'QCU',
      proposals: [
        { index: 1, chosen: false, expected: true },
        { index: 2, chosen: true, expected: false },
        { index: 3, chosen: false, expected: false },
      ],
    })
  })
})

describe('QCM', () => {
  it('ignores order and spaces', () => {
    expect(result(qcm, '1,3')).toBe('ok')
    expect(result(qcm, '3, 1')).toBe('ok')
    expect(result(qcm, ' 3 ,1 ')).toBe('ok')
  })
  it('refuses a partial or an excessive choice', () => {
    expect(result(qcm, '1')).toBe('ko')
    expect(result(qcm, '1,2,3')).toBe('ko')
  })
  it('details each proposal', () => {
    const details = validateAnswer(qcm, '1,2').details
    expect(details).toEqual({
      type: 'QCM',
      proposals: [
        { index: 1, chosen: true, expected: true },
        { index: 2, chosen: true, expected: false },
        { index: 3, chosen: false, expected: true },
        { index: 4, chosen: false, expected: false },
      ],
    })
  })
})

describe('QROC text', () => {
  it('tolerates capitals, accents, spaces and punctuation', () => {
    expect(result(qroc(), 'mot de passe')).toBe('ok')
    expect(result(qroc(), '  MOT-DE-PASSE ! ')).toBe('ok')
    expect(result(qroc(), 'Passphrase')).toBe('ok')
    expect(result(qroc({ solutions: ['Élève'] }), 'eleve')).toBe('ok')
    expect(result(qroc({ solutions: ['cœur'] }), 'COEUR')).toBe('ok')
    expect(result(qroc({ solutions: ['10 Mo'] }), '10\u00A0mo')).toBe('ok')
  })
  it('tolerates typos up to 25 % of the answer and refuses beyond', () => {
    expect(result(qroc(), 'mot de pase')).toBe('ok') // "motdepase" vs "motdepasse": 1/9
    expect(result(qroc(), 'mo de pase')).toBe('ok') // 2/8, the limit
    expect(result(qroc(), 'mo d pase')).toBe('ko') // 3/7
    expect(result(qroc(), 'identifiant')).toBe('ko')
  })
  it('is exact when t3 is deactivated', () => {
    const strict = qroc({ deactivations: { t3: true } })
    expect(result(strict, 'mot de pase')).toBe('ko')
    expect(result(strict, 'MOT DE PASSE')).toBe('ok')
  })
  it('keeps case and accents significant when t1 is deactivated', () => {
    const ch = qroc({ solutions: ['Café'], deactivations: { t1: true, t3: true } })
    expect(result(ch, 'Café')).toBe('ok')
    expect(result(ch, 'Café !')).toBe('ok')
    expect(result(ch, 'cafe')).toBe('ko')
  })
  it('keeps punctuation significant when t2 is deactivated', () => {
    const ch = qroc({ solutions: ['192.168.1.1'], deactivations: { t2: true, t3: true } })
    expect(result(ch, '192.168.1.1')).toBe('ok')
    expect(result(ch, '192.168.11')).toBe('ko')
  })
  it('refuses an empty answer', () => {
    expect(result(qroc(), '')).toBe('ko')
    expect(result(qroc(), '   ')).toBe('ko')
  })
  it('details whether the answer was right', () => {
    expect(validateAnswer(qroc(), 'x').details).toEqual({ type: 'QROC', correct: false })
  })
})

describe('QROC number', () => {
  const num = qroc({ format: 'nombre', solutions: ['3.5'] })
  const big = qroc({ format: 'nombre', solutions: ['1000'] })
  it('compares as floats with comma or point', () => {
    expect(result(num, '3,5')).toBe('ok')
    expect(result(num, '3.50')).toBe('ok')
    expect(result(num, '3,6')).toBe('ko')
    expect(result(qroc({ format: 'nombre', solutions: ['0,3'] }), '0.3')).toBe('ok')
  })
  it('ignores spaces between digits', () => {
    expect(result(big, '1 000')).toBe('ok')
    expect(result(big, '1\u202F000')).toBe('ok')
    expect(result(big, '100')).toBe('ko')
  })
  it('never applies the typo tolerance to digits', () => {
    expect(result(qroc({ format: 'nombre', solutions: ['1234'] }), '12a4')).toBe('ko')
  })
  it('still accepts a unit written after the number', () => {
    expect(result(qroc({ format: 'nombre', solutions: ['10'] }), '10 %')).toBe('ok')
  })
})

describe('QROCM-ind', () => {
  it('is ok only when every field is right, with per-field details', () => {
    expect(validateAnswer(qrocmInd, { capitale: 'paris', extension: '.odt' })).toEqual({
      result: 'ok',
      details: { type: 'QROCM-ind', fields: { capitale: true, extension: true } },
    })
    expect(validateAnswer(qrocmInd, { capitale: 'Lyon', extension: '.odt' })).toEqual({
      result: 'ko',
      details: { type: 'QROCM-ind', fields: { capitale: false, extension: true } },
    })
  })
  it('compares drop-down fields exactly', () => {
    expect(result(qrocmInd, { capitale: 'Paris', extension: '.ods' })).toBe('ko')
  })
  it('counts a missing field as wrong', () => {
    expect(validateAnswer(qrocmInd, { capitale: 'Paris' }).details).toEqual({
      type: 'QROCM-ind',
      fields: { capitale: true, extension: false },
    })
  })
  it('compares numeric fields as numbers', () => {
    const ch: QrocmIndContent = {
      ...qrocmInd,
      format: 'nombre',
      fields: [
        { key: 'a', label: 'A', solutions: ['2,5'] },
        { key: 'b', label: 'B', solutions: ['1000'] },
      ],
    }
    expect(result(ch, { a: '2.5', b: '1 000' })).toBe('ok')
  })
})

describe('QROCM-dep', () => {
  it('accepts the groups in any order and any variant', () => {
    expect(result(qrocmDep(), { n1: 'firefox', n2: 'Safari' })).toBe('ok')
    expect(result(qrocmDep(), { n1: 'google chrome', n2: 'Mozilla Firefox' })).toBe('ok')
    expect(result(qrocmDep(), { n1: 'Firefx', n2: 'Chrome' })).toBe('ok') // typo within tolerance
  })
  it('consumes a group: the same answer twice counts once', () => {
    expect(validateAnswer(qrocmDep(), { n1: 'Firefox', n2: 'firefox' })).toEqual({
      result: 'ko',
      details: { type: 'QROCM-dep', fields: { n1: true, n2: false } },
    })
    // Two variants of the same group also count once.
    expect(result(qrocmDep(), { n1: 'Firefox', n2: 'Mozilla Firefox' })).toBe('ko')
  })
  it('does not count an answer that fits two groups twice', () => {
    const ch = qrocmDep({ solutionGroups: [['web'], ['web', 'internet'], ['mail']] })
    expect(result(ch, { n1: 'web', n2: 'web' })).toBe('ko')
  })
  it('finds an assignment where greedy matching would fail', () => {
    // "web" fits both groups; greedy matching gives it the first one, the only one "internet" fits.
    const ch = qrocmDep({ solutionGroups: [['web', 'internet'], ['web', 'toile']] })
    expect(result(ch, { n1: 'web', n2: 'internet' })).toBe('ok')
  })
  it('refuses a wrong answer with per-field details', () => {
    expect(validateAnswer(qrocmDep(), { n1: 'Edge', n2: 'Chrome' }).details).toEqual({
      type: 'QROCM-dep',
      fields: { n1: false, n2: true },
    })
  })
  it('treats two empty fields as two wrong fields, not as a duplicate', () => {
    expect(validateAnswer(qrocmDep(), { n1: '', n2: '' }).details).toEqual({
      type: 'QROCM-dep',
      fields: { n1: false, n2: false },
    })
  })
})

describe('skip and timeout', () => {
  it('skips on #ABAND# for every type', () => {
    for (const ch of [qcu, qcm, qroc(), qrocmInd, qrocmDep()]) {
      expect(validateAnswer(ch, '#ABAND#')).toEqual({ result: 'skipped', details: null })
    }
  })
  it('marks a timed-out answer timedout even when it is right, keeping details', () => {
    expect(validateAnswer(qcu, '1', { timedOut: true })).toEqual({
      result: 'timedout',
      details: validateAnswer(qcu, '1').details,
    })
    expect(validateAnswer(qroc(), '', { timedOut: true }).result).toBe('timedout')
    expect(validateAnswer(qroc(), '#ABAND#', { timedOut: true })).toEqual({ result: 'timedout', details: null })
  })
  it('accepts an empty choice only on timeout', () => {
    expect(validateAnswer(qcm, '', { timedOut: true })).toEqual({ result: 'timedout', details: null })
    expect(() => validateAnswer(qcm, '')).toThrow(InvalidAnswerValue)
    expect(() => validateAnswer(qcu, ' ')).toThrow(InvalidAnswerValue)
  })
})

describe('malformed values', () => {
  it.each<[string, Parameters<typeof validateAnswer>[0], unknown]>([
    ['QCU number instead of string', qcu, 1],
    ['QCU out of range', qcu, '4'],
    ['QCU zero', qcu, '0'],
    ['QCU not a number', qcu, 'Firefox'],
    ['QCM out of range', qcm, '1,5'],
    ['QCM duplicate index', qcm, '1,1,3'],
    ['QCM garbage', qcm, '1;3'],
    ['QCM array', qcm, [1, 3]],
    ['QROC object', qroc(), { a: 'x' }],
    ['QROC null', qroc(), null],
    ['QROC too long', qroc(), 'x'.repeat(5001)],
    ['QROCM string', qrocmInd, 'Paris'],
    ['QROCM array', qrocmInd, ['Paris']],
    ['QROCM unknown key', qrocmInd, { capitale: 'Paris', pays: 'France' }],
    ['QROCM non-string field', qrocmInd, { capitale: 75 }],
    ['QROCM field too long', qrocmDep(), { n1: 'x'.repeat(5001) }],
    ['drop-down value outside its options', qrocmInd, { capitale: 'Paris', extension: '.exe' }],
  ])('%s → InvalidAnswerValue', (_name, ch, value) => {
    let error: unknown
    try {
      validateAnswer(ch, value)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(InvalidAnswerValue)
    expect((error as InvalidAnswerValue).code).toBe('INVALID_ANSWER_VALUE')
    expect((error as InvalidAnswerValue).message).toContain(ch.id)
  })

  it('rejects malformed values even on timeout', () => {
    expect(() => validateAnswer(qcu, '9', { timedOut: true })).toThrow(InvalidAnswerValue)
  })
})

describe('correctionFor', () => {
  it('gives the texts of the right proposals', () => {
    expect(correctionFor(qcu)).toEqual({ type: 'QCU', proposals: [{ index: 1, text: 'Firefox' }] })
    expect(correctionFor(qcm)).toEqual({
      type: 'QCM',
      proposals: [
        { index: 1, text: 'PNG' },
        { index: 3, text: 'JPEG' },
      ],
    })
  })
  it('gives the first solution of a QROC and of each QROCM-ind field', () => {
    expect(correctionFor(qroc())).toEqual({ type: 'QROC', solution: 'Mot de passe' })
    expect(correctionFor(qrocmInd)).toEqual({
      type: 'QROCM-ind',
      fields: [
        { key: 'capitale', label: 'Capitale', solution: 'Paris' },
        { key: 'extension', label: 'Extension', solution: '.odt' },
      ],
    })
  })
  it('lists the QROCM-dep groups the learner has not found yet', () => {
    expect(correctionFor(qrocmDep())).toEqual({ type: 'QROCM-dep', remaining: ['Firefox', 'Chrome', 'Safari'], fieldCount: 2 })
    expect(correctionFor(qrocmDep(), { n1: 'google chrome', n2: 'Opera' })).toEqual({
      type: 'QROCM-dep',
      remaining: ['Firefox', 'Safari'],
      fieldCount: 2,
    })
    expect(correctionFor(qrocmDep(), '#ABAND#')).toEqual(correctionFor(qrocmDep()))
  })
})
