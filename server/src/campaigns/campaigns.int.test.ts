import { createTestDatabase, type TestDatabase } from '../../test/db'
import { memberships, organizations, users } from '../db/schema'
import { fixedClock } from '../shared/clock'
import { archiveCampaign, createCampaign, getCampaignByCode, listCampaigns, unarchiveCampaign } from './index'

let db: TestDatabase
const clock = fixedClock('2026-09-01T08:00:00Z')
const ORG = '10000000-0000-4000-8000-000000000001'
const OTHER_ORG = '10000000-0000-4000-8000-000000000002'
const ADMIN = '20000000-0000-4000-8000-000000000001'
const MEMBER = '20000000-0000-4000-8000-000000000002'
const OUTSIDER = '20000000-0000-4000-8000-000000000003'
const deps = () => ({ db: db.db, clock, targetProfileExists: (id: string) => id === 'tp_competence_1_1' })

beforeAll(async () => {
  db = await createTestDatabase()
  await db.db.insert(organizations).values([
    { id: ORG, name: 'Université A' },
    { id: OTHER_ORG, name: 'Université B' },
  ])
  await db.db.insert(users).values([{ id: ADMIN }, { id: MEMBER }, { id: OUTSIDER }])
  await db.db.insert(memberships).values([
    { organizationId: ORG, userId: ADMIN, role: 'ADMIN' },
    { organizationId: ORG, userId: MEMBER, role: 'MEMBER' },
    { organizationId: OTHER_ORG, userId: OUTSIDER, role: 'ADMIN' },
  ])
})
afterAll(() => db.drop())

const newCampaign = (over: Partial<Parameters<typeof createCampaign>[0]> = {}) =>
  createCampaign(
    { organizationId: ORG, name: 'Rentrée', type: 'ASSESSMENT', targetProfileId: 'tp_competence_1_1', ownerId: MEMBER, creatorId: ADMIN, ...over },
    deps(),
  )

describe('campaigns on PostgreSQL', () => {
  it('creates a campaign with a fresh code, found again by code whatever the case', async () => {
    const c = await newCampaign()
    expect(c.code).toMatch(/^[A-Z]{6}\d{3}$/)
    expect((await getCampaignByCode(c.code.toLowerCase(), { db: db.db })).id).toBe(c.id)
  })

  it('draws again when a code is taken (the unique index decides)', async () => {
    const first = await newCampaign()
    const codes = [first.code, 'ZZZZZZ999']
    const c = await createCampaign(
      { organizationId: ORG, name: 'Deux', type: 'PROFILES_COLLECTION', ownerId: ADMIN, creatorId: ADMIN },
      { ...deps(), generateCode: () => codes.shift()! },
    )
    expect(c.code).toBe('ZZZZZZ999')
  })

  it('refuses an owner who is not a member of the organization', async () => {
    await expect(newCampaign({ ownerId: OUTSIDER })).rejects.toMatchObject({ code: 'CAMPAIGN_MANAGEMENT_FORBIDDEN' })
  })

  it('lets the owner or an admin archive, not another member, and refuses twice', async () => {
    const c = await newCampaign({ ownerId: ADMIN })
    await expect(archiveCampaign({ campaignId: c.id, userId: MEMBER }, deps())).rejects.toMatchObject({ code: 'CAMPAIGN_MANAGEMENT_FORBIDDEN' })
    await expect(archiveCampaign({ campaignId: c.id, userId: OUTSIDER }, deps())).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' })
    const archived = await archiveCampaign({ campaignId: c.id, userId: ADMIN }, deps())
    expect(archived.archivedAt).toEqual(clock.now())
    await expect(archiveCampaign({ campaignId: c.id, userId: ADMIN }, deps())).rejects.toMatchObject({ code: 'CAMPAIGN_ALREADY_ARCHIVED' })
    expect((await unarchiveCampaign({ campaignId: c.id, userId: ADMIN }, deps())).archivedAt).toBeNull()
  })

  it('lists active and archived campaigns of one organization, newest first, by owner and name', async () => {
    const mine = await newCampaign({ name: 'Filtre 100 % ciblé' })
    const all = await listCampaigns({ organizationId: ORG, status: 'active' }, { db: db.db })
    expect(all.total).toBeGreaterThanOrEqual(3)
    expect(all.campaigns.every((c) => c.organizationId === ORG && !c.archivedAt)).toBe(true)
    const byName = await listCampaigns({ organizationId: ORG, name: '100 %' }, { db: db.db })
    expect(byName.campaigns.map((c) => c.id)).toEqual([mine.id])
    const byOwner = await listCampaigns({ organizationId: ORG, ownerId: ADMIN }, { db: db.db })
    expect(byOwner.campaigns.every((c) => c.ownerId === ADMIN)).toBe(true)
    expect((await listCampaigns({ organizationId: OTHER_ORG }, { db: db.db })).total).toBe(0)
  })
})
