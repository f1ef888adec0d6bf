import { levenshtein } from './levenshtein'
import { parseNumber } from './numbers'
import { applyTreatments, enabledTreatments, isWithinTolerance, matchesText, preTreat, t1, t2 } from './text-treatments'

const all = enabledTreatments()

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['navigateur', 'navigateur', 0],
    ['navigateur', 'navigatuer', 2],
  ])('%s / %s → %i', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d)
    expect(levenshtein(b, a)).toBe(d)
  })
})

describe('treatments', () => {
  it('pre-treatment normalises to NFC, turns (narrow) no-break spaces into spaces and trims', () => {
    expect(preTreat('cafe\u0301')).toBe('café')
    expect(preTreat('\u00A010\u202F%\u00A0')).toBe('10 %')
  })

  it('t1 lowers case, strips diacritics and every whitespace, folds ligatures', () => {
    expect(t1('  Élève  Ça VA ')).toBe('elevecava')
    expect(t1('CŒUR')).toBe('coeur')
    expect(t1('a\tb\nc')).toBe('abc')
  })

  it('t2 keeps only letters, digits and single spaces', () => {
    expect(t2("l'URL : https://x.fr !")).toBe('lURL httpsxfr')
    expect(t2('a   b')).toBe('a b')
  })

  it('t1 runs before t2 so accents are folded, not deleted', () => {
    expect(applyTreatments('Café !', all)).toBe('cafe')
  })

  it('without t1, t2 keeps accented letters and case', () => {
    const t2Only = enabledTreatments({ t1: true, t3: true })
    expect(applyTreatments(' Café,  crème ', t2Only)).toBe('Café crème')
  })

  it('enabled treatments are all minus the deactivated ones', () => {
    expect([...enabledTreatments()]).toEqual(['t1', 't2', 't3'])
    expect([...enabledTreatments({ t3: true })]).toEqual(['t1', 't2'])
    expect([...enabledTreatments({ t1: true, t2: true, t3: false })]).toEqual(['t3'])
  })
})

describe('t3 tolerance (distance / answer length ≤ 0.25)', () => {
  it('accepts exactly 25 % and refuses above', () => {
    expect(isWithinTolerance('abcd', 'abce')).toBe(true) // 1/4
    expect(isWithinTolerance('abc', 'abd')).toBe(false) // 1/3
    expect(isWithinTolerance('motdepasse', 'motdepase')).toBe(true) // 1/10
  })
  it('divides by the answer, not the reference', () => {
    expect(isWithinTolerance('navigateurs', 'navigateur')).toBe(true) // 1/11
    expect(isWithinTolerance('nav', 'navigateur')).toBe(false)
  })
  it('never accepts an empty answer and rejects long answers cheaply', () => {
    expect(isWithinTolerance('', 'a')).toBe(false)
    expect(isWithinTolerance('x'.repeat(5000), 'x')).toBe(false)
  })
  it('matchesText ignores the answer when the treatments leave nothing', () => {
    expect(matchesText('?!', ['?'], all)).toBe(false)
  })
})

describe('parseNumber', () => {
  it.each([
    ['3,5', 3.5],
    ['3.5', 3.5],
    ['1 000', 1000],
    ['1\u202F000,25', 1000.25],
    [' -2 ', -2],
    ['\u22124', -4],
    ['.5', 0.5],
  ])('%s → %d', (raw, n) => expect(parseNumber(raw)).toBe(n))

  it.each(['', 'abc', '1,2,3', '0x10', '1e3', '10 %', '--1'])('refuses %s', (raw) => expect(parseNumber(raw)).toBeNull())
})
