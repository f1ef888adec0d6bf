import { CAMPAIGN_CODE_PATTERN, generateCampaignCode, normalizeCampaignCode, validateNewCampaign, type NewCampaign } from './campaign'
import { InvalidCampaign } from './errors'

const base: NewCampaign = {
  organizationId: 'o',
  name: '  Rentrée L1 ',
  type: 'ASSESSMENT',
  targetProfileId: 'tp_x',
  ownerId: 'u',
  creatorId: 'u',
}
const known = (id: string) => id === 'tp_x'

function problemsOf(input: NewCampaign): Record<string, string> {
  try {
    validateNewCampaign(input, known)
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidCampaign)
    return (err as InvalidCampaign).details!.problems as Record<string, string>
  }
  return {}
}

describe('campaign codes', () => {
  it('draws 6 safe letters and 3 safe digits', () => {
    for (let i = 0; i < 500; i++) expect(generateCampaignCode()).toMatch(CAMPAIGN_CODE_PATTERN)
  })
  it('never uses I, L, O, 0 or 1', () => {
    const all = Array.from({ length: 2000 }, () => generateCampaignCode()).join('')
    expect(all).not.toMatch(/[ILO01]/)
  })
  it('normalises what a learner types', () => {
    expect(normalizeCampaignCode(' abcdef 234 ')).toBe('ABCDEF234')
  })
})

describe('validateNewCampaign', () => {
  it('trims the name and defaults multiple sendings to false', () => {
    const c = validateNewCampaign(base, known)
    expect(c.name).toBe('Rentrée L1')
    expect(c.multipleSendings).toBe(false)
  })
  it('requires a name and a known target profile for an assessment', () => {
    expect(problemsOf({ ...base, name: ' ' })).toHaveProperty('name')
    expect(problemsOf({ ...base, targetProfileId: null })).toHaveProperty('targetProfileId')
    expect(problemsOf({ ...base, targetProfileId: 'tp_unknown' })).toHaveProperty('targetProfileId')
  })
  it('forbids a target profile, a title and an end button on a profiles collection', () => {
    const p = problemsOf({ ...base, type: 'PROFILES_COLLECTION', title: 'Titre', customResultPageButtonText: 'Suite', customResultPageButtonUrl: 'https://x.fr' })
    expect(Object.keys(p).sort()).toEqual(['customResultPageButtonText', 'targetProfileId', 'title'])
  })
  it('types the external id as STRING unless EMAIL is asked, and drops the type without a label', () => {
    expect(validateNewCampaign({ ...base, externalIdLabel: 'Numéro étudiant' }, known).externalIdType).toBe('STRING')
    expect(validateNewCampaign({ ...base, externalIdLabel: 'Email', externalIdType: 'EMAIL' }, known).externalIdType).toBe('EMAIL')
    expect(validateNewCampaign({ ...base, externalIdLabel: '', externalIdType: 'EMAIL' }, known).externalIdType).toBeNull()
  })
  it('limits texts to 5000 characters and pairs the end button text with a valid URL', () => {
    expect(problemsOf({ ...base, customLandingPageText: 'a'.repeat(5001) })).toHaveProperty('customLandingPageText')
    expect(validateNewCampaign({ ...base, customLandingPageText: 'a'.repeat(5000) }, known).customLandingPageText).toHaveLength(5000)
    expect(problemsOf({ ...base, customResultPageButtonText: 'Suite' })).toHaveProperty('customResultPageButtonUrl')
    expect(problemsOf({ ...base, customResultPageButtonText: 'Suite', customResultPageButtonUrl: 'javascript:alert(1)' })).toHaveProperty(
      'customResultPageButtonUrl',
    )
  })
})
