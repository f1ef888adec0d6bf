/** Pure pieces of the LTI module: roles, URLs, paging, claim mapping, encryption, key rotation. */
import { createTestDatabase, type TestDatabase } from '../../test/db'
import { fixedClock } from '../shared/clock'
import { readMapped } from './claim-mapping'
import { CLAIM, mapRoles } from './claims'
import { decrypt, encrypt } from './crypto'
import { nextLink } from './roster'
import { serviceUrl } from './service-client'
import { deriveKey } from './settings'
import { currentSigningKey, ensureToolKeys, publicJwks, rotateToolKeys } from './tool-keys'

test.each([
  [['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'], 'learner'],
  [['Learner'], 'learner'],
  [['Instructor'], 'teacher'],
  [['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'], 'teacher'],
  [['urn:lti:role:ims/lis/Instructor'], 'teacher'],
  [['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator', 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'], 'admin'],
  [['http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator'], 'admin'],
  [['http://example.com/roles#Wizard'], 'learner'],
  [[''], 'learner'],
  [[], 'learner'],
])('roles %j → %s', (roles, expected) => {
  expect(mapRoles(roles)).toBe(expected)
})

test('service URLs keep Moodle’s query string after the path', () => {
  expect(serviceUrl('http://m/mod/lti/services.php/2/lineitems/5/lineitem?type_id=1', '/scores')).toBe(
    'http://m/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=1',
  )
  expect(serviceUrl('https://p/li/7/', '/results')).toBe('https://p/li/7/results')
})

test('Link rel="next" paging', () => {
  expect(nextLink('<https://p/m?from=2>; rel="next", <https://p/m?from=0>; rel="first"')).toBe('https://p/m?from=2')
  expect(nextLink('<https://p/m?from=0>; rel="first"')).toBeUndefined()
  expect(nextLink(null)).toBeUndefined()
})

test('claim mapping: default lis, custom parameters, unresolved substitutions ignored', () => {
  const payload = { [CLAIM.lis]: { person_sourcedid: 'E1' }, [CLAIM.custom]: { student_id: '$User.idnumber', ido: 'G-42' } }
  expect(readMapped(payload, 'lis.person_sourcedid')).toBe('E1')
  expect(readMapped(payload, 'custom.student_id')).toBeNull()
  expect(readMapped(payload, 'custom.ido')).toBe('G-42')
  expect(readMapped(payload, 'none')).toBeNull()
})

test('AES-256-GCM round trip; another key cannot read it', () => {
  const key = deriveKey('x'.repeat(40))
  const sealed = encrypt('secret', key)
  expect(sealed).not.toContain('secret')
  expect(decrypt(sealed, key)).toBe('secret')
  expect(() => decrypt(sealed, deriveKey('y'.repeat(40)))).toThrow(/JALON_SECRET_KEY/)
})

describe('tool key rotation', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(() => db.drop())

  test('publishes the next key before signing with it, retires the old one later', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z')
    const deps = { db: db.db, clock, encryptionKey: deriveKey('k'.repeat(40)) }
    await ensureToolKeys(deps)
    const first = (await currentSigningKey(deps)).kid
    const step1 = await rotateToolKeys(deps)
    expect(step1.created).toBeDefined()
    expect((await publicJwks(deps)).keys.map((k) => k.kid).sort()).toEqual([first, step1.created].sort())
    expect((await currentSigningKey(deps)).kid).toBe(first)

    clock.advance(25 * 3600_000)
    const step2 = await rotateToolKeys(deps)
    expect(step2).toMatchObject({ activated: step1.created, deactivated: first })
    expect((await currentSigningKey(deps)).kid).toBe(step1.created)
    expect((await publicJwks(deps)).keys.map((k) => k.kid)).toContain(first)

    clock.advance(8 * 24 * 3600_000)
    const step3 = await rotateToolKeys(deps)
    expect(step3.retired).toEqual([first])
    expect((await publicJwks(deps)).keys.map((k) => k.kid)).not.toContain(first)
    // Private parts never leave the database in clear.
    const stored = await db.pool.query('SELECT private_jwk_encrypted FROM lti_tool_keys')
    for (const r of stored.rows as { private_jwk_encrypted: string }[]) expect(r.private_jwk_encrypted).toMatch(/^v1\./)
  })
})
