import { checkExternalId, decideImprove, decideReset, decideRetry, remainingSeconds } from './participation'

const now = new Date('2026-09-10T12:00:00Z')
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000)
const open = { type: 'ASSESSMENT' as const, multipleSendings: true, archivedAt: null, deletedAt: null }

describe('external id', () => {
  it('is ignored when the campaign asks none, required and trimmed otherwise, an e-mail for EMAIL', () => {
    expect(checkExternalId({ externalIdLabel: null, externalIdType: null }, 'x')).toBeNull()
    expect(() => checkExternalId({ externalIdLabel: 'N°', externalIdType: 'STRING' }, '  ')).toThrow(expect.objectContaining({ code: 'MISSING_EXTERNAL_ID' }))
    expect(checkExternalId({ externalIdLabel: 'N°', externalIdType: 'STRING' }, ' 42 ')).toBe('42')
    expect(() => checkExternalId({ externalIdLabel: 'Mail', externalIdType: 'EMAIL' }, 'ada@')).toThrow(expect.objectContaining({ code: 'INVALID_EXTERNAL_ID' }))
    expect(checkExternalId({ externalIdLabel: 'Mail', externalIdType: 'EMAIL' }, 'ada@univ.fr')).toBe('ada@univ.fr')
  })
})

describe('Je retente (before sharing)', () => {
  const base = { campaign: open, participation: { status: 'TO_SHARE' as const }, masteryRate: 0.5, delayDays: 4, now }
  it('needs a finished, unshared test, something failed long enough ago, and not everything mastered', () => {
    expect(decideRetry({ ...base, failedAt: [daysAgo(5)] })).toEqual({ allowed: true })
    expect(decideRetry({ ...base, failedAt: [daysAgo(1)] })).toEqual({ allowed: false, reason: 'TOO_EARLY', remainingSeconds: 3 * 86400 })
    expect(decideRetry({ ...base, failedAt: [] }).reason).toBe('NOTHING_TO_RETRY')
    expect(decideRetry({ ...base, masteryRate: 1, failedAt: [daysAgo(9)] }).reason).toBe('EVERYTHING_MASTERED')
    expect(decideRetry({ ...base, participation: { status: 'STARTED' }, failedAt: [daysAgo(9)] }).reason).toBe('NOT_FINISHED')
    expect(decideRetry({ ...base, participation: { status: 'SHARED' }, failedAt: [daysAgo(9)] }).reason).toBe('ALREADY_SHARED')
    expect(decideRetry({ ...base, campaign: { ...open, archivedAt: now }, failedAt: [daysAgo(9)] }).reason).toBe('CAMPAIGN_CLOSED')
  })
})

describe('Repasser mon parcours and reset (after sharing)', () => {
  const shared = { status: 'SHARED' as const, sharedAt: daysAgo(4), masteryRate: 0.4 }
  it('needs multiple sendings and the delay after sharing; a profiles collection has no delay', () => {
    expect(decideImprove({ campaign: open, participation: shared, delayDays: 4, now })).toEqual({ allowed: true })
    expect(decideImprove({ campaign: { ...open, multipleSendings: false }, participation: shared, delayDays: 4, now }).reason).toBe('NO_MULTIPLE_SENDINGS')
    expect(decideImprove({ campaign: open, participation: { ...shared, sharedAt: daysAgo(3.5) }, delayDays: 4, now })).toMatchObject({ reason: 'TOO_EARLY', remainingSeconds: 43200 })
    expect(decideImprove({ campaign: open, participation: { ...shared, masteryRate: 1 }, delayDays: 4, now }).reason).toBe('EVERYTHING_MASTERED')
    expect(decideImprove({ campaign: { ...open, type: 'PROFILES_COLLECTION' }, participation: { ...shared, sharedAt: now }, delayDays: 4, now })).toEqual({ allowed: true })
    expect(decideImprove({ campaign: open, participation: { ...shared, status: 'TO_SHARE', sharedAt: null }, delayDays: 4, now }).reason).toBe('NOT_SHARED')
  })

  it('reset: the profile must allow it; mastering everything does not prevent it', () => {
    expect(decideReset({ campaign: open, participation: shared, resetAllowed: true, delayDays: 4, now })).toEqual({ allowed: true })
    expect(decideReset({ campaign: open, participation: shared, resetAllowed: false, delayDays: 4, now }).reason).toBe('RESET_NOT_ALLOWED')
    expect(decideReset({ campaign: open, participation: { ...shared, sharedAt: daysAgo(1) }, resetAllowed: true, delayDays: 4, now }).reason).toBe('TOO_EARLY')
  })

  it('a delay of 0 (tests) allows at once', () => {
    expect(remainingSeconds(now, 0, now)).toBe(0)
  })
})
