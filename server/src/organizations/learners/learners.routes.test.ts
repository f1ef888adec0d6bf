/** "Étudiants" and places over HTTP: list, search, certificability, CSV import (all or nothing), reconciliation, tenancy. */
import { eq } from 'drizzle-orm'
import { createTestDatabase, type TestDatabase } from '../../../test/db'
import { listen, type TestServer } from '../../../test/http'
import { testLogger } from '../../../test/logger'
import { campaignParticipations, campaigns, ltiDeployments, ltiPlatforms, ltiUserIdentities, organizationLearners, users } from '../../db/schema'
import { createApp } from '../../http/app'
import { fixedClock } from '../../shared/clock'
import { createDemoMailer } from '../access/mailer'
import { createOrgaSessionMiddlewares } from '../orga-session'
import { orgaRouters } from '../orga-routes'
import { errorCode, orgaClient, readJson, seedTwoOrganizations, type ErrorJson } from '../test-support'
import { reconcileOrganizationLearner } from './reconcile-learner'
import type { LearnerRow } from './list-learners'

interface ListJson {
  learners: LearnerRow[]
  total: number
  groups: string[]
}
interface PlacesJson {
  total: number
  occupied: number
  available: number
  lots: { id: string; status: string; count: number }[]
}

describe('Jalon Orga learners and places API', () => {
  let db: TestDatabase
  let server: TestServer
  let ids: Awaited<ReturnType<typeof seedTwoOrganizations>>
  const clock = fixedClock('2026-03-02T10:00:00Z')

  beforeAll(async () => {
    db = await createTestDatabase()
    ids = await seedTwoOrganizations(db.db)
    const sessions = createOrgaSessionMiddlewares({ db: db.db, clock })
    server = await listen(
      createApp({
        logger: testLogger,
        version: 't',
        pingDatabase: async () => true,
        serveClient: false,
        routers: orgaRouters({ db: db.db, clock, mailer: createDemoMailer(db.db), publicUrl: () => 'http://jalon.test', sessions }),
      }),
    )
  })
  afterAll(async () => {
    await server?.close()
    await db?.drop()
  })

  const signedIn = async (email: string) => {
    const c = orgaClient(server.url)
    await c.signIn(email)
    return c
  }
  const importCsv = (c: ReturnType<typeof orgaClient>, csv: string) =>
    fetch(`${server.url}/api/orga/learners/import`, { method: 'POST', headers: { cookie: c.cookie, 'content-type': 'text/csv' }, body: csv })

  it('serves the template (BOM, French headers)', async () => {
    const alice = await signedIn('alice@a.test')
    const res = await alice.get('/api/orga/learners/template.csv')
    expect(res.headers.get('content-disposition')).toContain('modele-import-etudiants.csv')
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(bytes.toString('utf8').slice(1).split('\r\n')[0]).toBe('Nom;Prénom;Date de naissance;Numéro étudiant;Groupe')
  })

  it('rejects a file with errors as a whole and reports every line', async () => {
    const alice = await signedIn('alice@a.test')
    const csv = ['Nom,Prénom,Date de naissance,Numéro étudiant,Groupe', 'Durand,Zoé,01/02/2003,111,G1', ',Paul,31/02/2003,222,G1', 'Roy,Ana,2003-04-05,111,G2'].join('\n')
    const res = await importCsv(alice, csv)
    expect(res.status).toBe(422)
    const body = await readJson<ErrorJson>(res)
    expect(body.error.code).toBe('LEARNER_IMPORT_REJECTED')
    expect(body.error.issues!.map((i) => i.path)).toEqual(['3:Nom', '3:Date de naissance', '4:Numéro étudiant'])
    expect((await readJson<ListJson>(await alice.get('/api/orga/learners'))).total).toBe(0)
    const missing = await importCsv(alice, 'Nom;Prénom\nA;B')
    expect((await readJson<ErrorJson>(missing)).error.issues![0]!.message).toContain('Date de naissance')
  })

  it('imports (BOM, semicolons), upserts by student number, searches and filters', async () => {
    const alice = await signedIn('alice@a.test')
    const csv = '\uFEFFNom;Prénom;Date de naissance;Numéro étudiant;Groupe\r\nAdam;Corinne;25/07/1996;21658564;Groupe 2\r\nAndré;Françoise;18/08/1987;21982147;Groupe 9\r\n'
    const first = await importCsv(alice, csv)
    expect(await readJson(first)).toEqual({ created: 2, updated: 0 })
    const again = await importCsv(alice, 'Nom,Prénom,Date de naissance,Numéro étudiant,Groupe\nAdam,Corinne,25/07/1996,21658564,Groupe 3\nArnaud,Christine,24/01/2000,21090722,\n')
    expect(await readJson(again)).toEqual({ created: 1, updated: 1 })
    const all = await readJson<ListJson>(await alice.get('/api/orga/learners'))
    expect(all.learners.map((l) => [l.lastName, l.studentNumber, l.group, l.birthdate])).toEqual([
      ['Adam', '21658564', 'Groupe 3', '1996-07-25'],
      ['André', '21982147', 'Groupe 9', '1987-08-18'],
      ['Arnaud', '21090722', null, '2000-01-24'],
    ])
    expect(all.groups).toEqual(['Groupe 3', 'Groupe 9'])
    expect((await readJson<ListJson>(await alice.get('/api/orga/learners?search=fran'))).learners.map((l) => l.firstName)).toEqual(['Françoise'])
    expect((await readJson<ListJson>(await alice.get('/api/orga/learners?studentNumber=2109'))).total).toBe(1)
    expect((await readJson<ListJson>(await alice.get('/api/orga/learners?group=groupe%209'))).total).toBe(1)
    expect((await readJson<ListJson>(await alice.get('/api/orga/learners?pageSize=2&page=2'))).learners.map((l) => l.lastName)).toEqual(['Arnaud'])
  })

  it('lets members read but only administrators import', async () => {
    const marc = await signedIn('marc@a.test')
    expect((await marc.get('/api/orga/learners')).status).toBe(200)
    expect(await errorCode(await importCsv(marc, 'Nom;Prénom;Date de naissance;Numéro étudiant\nX;Y;01/01/2000;9'))).toBe('ORGA_ADMIN_REQUIRED')
    expect((await marc.get('/api/orga/places')).status).toBe(403)
  })

  it('reconciles a first participation with the imported row, shows certificability and the LMS external id', async () => {
    const [learner] = await db.db.insert(users).values({ firstName: 'Corinne', lastName: 'ADAM' }).returning()
    const wrongName = await reconcileOrganizationLearner(db.db, { organizationId: ids.orgA, userId: learner!.id, studentNumber: '21982147', lastName: 'Adam', source: 'LTI' })
    expect(wrongName.status).toBe('CREATED') // 21982147 is André's: not linked to Adam
    expect(wrongName.learner.studentNumber).toBeNull()
    await db.db.delete(organizationLearners).where(eq(organizationLearners.id, wrongName.learner.id))

    const result = await reconcileOrganizationLearner(db.db, {
      organizationId: ids.orgA,
      userId: learner!.id,
      studentNumber: '21658564',
      firstName: 'Corinne',
      lastName: 'Adam',
      source: 'LTI',
    })
    expect(result.status).toBe('RECONCILED')
    expect(result.learner.group).toBe('Groupe 3')
    expect((await reconcileOrganizationLearner(db.db, { organizationId: ids.orgA, userId: learner!.id, source: 'LTI' })).status).toBe('LINKED')

    // By names + birth date, without a student number.
    const [other] = await db.db.insert(users).values({ firstName: 'Christine', lastName: 'Arnaud' }).returning()
    const byName = await reconcileOrganizationLearner(db.db, { organizationId: ids.orgA, userId: other!.id, firstName: 'christine', lastName: 'ARNAUD', birthdate: '2000-01-24', source: 'PARTICIPATION' })
    expect(byName.status).toBe('RECONCILED')

    // A shared profiles collection makes Corinne certifiable; an LMS identity gives Christine an external id.
    const [campaign] = await db.db
      .insert(campaigns)
      .values({ organizationId: ids.orgA, code: 'PROFIL123', name: 'Collecte', type: 'PROFILES_COLLECTION', ownerId: ids.alice, creatorId: ids.alice })
      .returning()
    await db.db.insert(campaignParticipations).values({
      campaignId: campaign!.id,
      userId: learner!.id,
      organizationLearnerId: result.learner.id,
      status: 'SHARED',
      sharedAt: new Date('2026-02-01T10:00:00Z'),
      isCertifiable: true,
      pixScore: 300,
    })
    const [platform] = await db.db
      .insert(ltiPlatforms)
      .values({ name: 'Moodle', issuer: 'https://moodle.test', clientId: 'c', authLoginUrl: 'https://moodle.test/a', authTokenUrl: 'https://moodle.test/t', jwksUrl: 'https://moodle.test/j', organizationId: ids.orgA })
      .returning()
    await db.db.insert(ltiDeployments).values({ platformId: platform!.id, deploymentId: '1' })
    await db.db.insert(ltiUserIdentities).values({ platformId: platform!.id, subject: 's-1', userId: other!.id, externalId: 'E-778' })

    const alice = await signedIn('alice@a.test')
    const list = await readJson<ListJson>(await alice.get('/api/orga/learners'))
    const corinne = list.learners.find((l) => l.lastName === 'Adam')!
    expect(corinne).toMatchObject({ certificability: 'CERTIFIABLE', participationCount: 1, certifiableAt: '2026-02-01T10:00:00.000Z' })
    expect(list.learners.find((l) => l.lastName === 'Arnaud')).toMatchObject({ externalId: 'E-778', certificability: 'UNKNOWN' })
    expect((await readJson<ListJson>(await alice.get('/api/orga/learners?certificability=CERTIFIABLE'))).learners.map((l) => l.lastName)).toEqual(['Adam'])
    expect((await readJson<ListJson>(await alice.get('/api/orga/learners?studentNumber=E-778'))).total).toBe(1)

    // Places: one learner in a live campaign.
    expect((await readJson<PlacesJson>(await alice.get('/api/orga/places'))).occupied).toBe(1)
    await db.db.update(campaigns).set({ archivedAt: new Date() }).where(eq(campaigns.id, campaign!.id))
    expect((await readJson<PlacesJson>(await alice.get('/api/orga/places'))).occupied).toBe(0)
    await db.db.update(campaigns).set({ archivedAt: null }).where(eq(campaigns.id, campaign!.id))
  })

  it('manages places lots: statuses, total of active lots, available never negative', async () => {
    const alice = await signedIn('alice@a.test')
    const add = (body: object) => alice.post('/api/orga/places/lots', body)
    expect((await add({ count: 30, activationDate: '2026-01-01', expirationDate: '2026-12-31' })).status).toBe(201)
    await add({ count: 10, activationDate: '2026-09-01', expirationDate: null })
    await add({ count: 5, activationDate: '2025-01-01', expirationDate: '2025-12-31' })
    await add({ count: 1, activationDate: '2026-03-02', expirationDate: '' })
    const places = await readJson<PlacesJson>(await alice.get('/api/orga/places'))
    expect(places.lots.map((l) => [l.count, l.status])).toEqual([
      [10, 'PENDING'],
      [1, 'ACTIVE'],
      [30, 'ACTIVE'],
      [5, 'EXPIRED'],
    ])
    expect(places).toMatchObject({ total: 31, occupied: 1, available: 30 })
    expect((await add({ count: 3, activationDate: '2026-05-01', expirationDate: '2026-04-01' })).status).toBe(422)
    expect((await add({ count: -1, activationDate: '2026-05-01' })).status).toBe(400)
    const big = places.lots.find((l) => l.count === 30)!
    expect((await alice.delete(`/api/orga/places/lots/${big.id}`)).status).toBe(204)
    expect(await readJson<PlacesJson>(await alice.get('/api/orga/places'))).toMatchObject({ total: 1, occupied: 1, available: 0 })
  })

  it('keeps organizations apart: B sees none of A’s learners or places and cannot touch A’s lots', async () => {
    const alice = await signedIn('alice@a.test')
    const aLot = (await readJson<PlacesJson>(await alice.get('/api/orga/places'))).lots[0]!
    const bruno = await signedIn('bruno@b.test')
    expect((await readJson<ListJson>(await bruno.get('/api/orga/learners'))).total).toBe(0)
    expect((await readJson<ListJson>(await bruno.get('/api/orga/learners?studentNumber=21658564'))).total).toBe(0)
    expect(await readJson<PlacesJson>(await bruno.get('/api/orga/places'))).toMatchObject({ total: 0, occupied: 0, lots: [] })
    expect((await bruno.delete(`/api/orga/places/lots/${aLot.id}`)).status).toBe(404)
    // Importing in B the student numbers of A creates B's own rows; A's are untouched.
    expect((await importCsv(bruno, 'Nom;Prénom;Date de naissance;Numéro étudiant\nIntrus;Ian;01/01/2000;21658564')).status).toBe(200)
    const aList = await readJson<ListJson>(await alice.get('/api/orga/learners?studentNumber=21658564'))
    expect(aList.learners[0]!.lastName).toBe('Adam')
    expect((await readJson<PlacesJson>(await alice.get('/api/orga/places'))).lots.map((l) => l.id)).toContain(aLot.id)
  })

  it('refuses every learners and places route without a session', async () => {
    for (const [method, path] of [
      ['GET', '/api/orga/learners'],
      ['GET', '/api/orga/learners/template.csv'],
      ['POST', '/api/orga/learners/import'],
      ['GET', '/api/orga/places'],
      ['POST', '/api/orga/places/lots'],
      ['DELETE', '/api/orga/places/lots/00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/orga/members'],
      ['GET', '/api/orga/invitations'],
      ['POST', '/api/orga/invitations'],
    ] as const) {
      expect([method, path, (await fetch(`${server.url}${path}`, { method })).status]).toEqual([method, path, 401])
    }
  })
})
