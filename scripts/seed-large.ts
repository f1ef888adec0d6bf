/**
 * npm run seed:large [-- --participants 10000 --seed 1 --target-profile tp_panorama_rentree]
 * Builds one large ASSESSMENT campaign for dashboard and export benchmarks in the database of DATABASE_URL
 * (else the embedded PostgreSQL under DATA_DIR): an organization and its admin (password account), a
 * 16-competence campaign with an external id and multiple sendings, N participants with a realistic status
 * mix, share-time KE snapshots drawn from simulated abilities, live KEs for those not shared, and earlier
 * shared sendings for some. Everything is generated inside PostgreSQL (INSERT … SELECT over generate_series
 * and unnest), in one transaction: no row crosses the wire.
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Client, type ClientBase } from 'pg'
import { masteryRate } from '../server/src/assessment/scoring'
import { loadReferential } from '../server/src/content/load-referential'
import type { Referential } from '../server/src/content/types'
import { startEmbeddedPostgres } from '../server/src/db/embedded-postgres'
import { runMigrations } from '../server/src/db/migrate'
import { hashPassword } from '../server/src/organizations/access/password'
import { loadConfig } from '../server/src/shared/config'

export interface SeedLargeOptions {
  participants: number
  targetProfileId?: string
  /** PostgreSQL's setseed() value in [-1, 1]: the same seed draws the same learners. */
  seed?: number
  /** Shares of the live participations (the rest is STARTED). */
  sharedShare?: number
  toShareShare?: number
  /** Share of participants who also have an earlier, superseded shared sending. */
  earlierSendingShare?: number
  referential?: Referential
  log?: (line: string) => void
}

export interface SeedLargeResult {
  organizationId: string
  campaignId: string
  code: string
  adminEmail: string
  adminPassword: string
  participants: number
  participations: number
  snapshots: number
  knowledgeElements: number
  ms: number
}

export const SEED_ADMIN_PASSWORD = 'Banc-dessai-2026'

const FIRST_NAMES = ['Léa', 'Hugo', 'Inès', 'Lucas', 'Chloé', 'Nathan', 'Manon', 'Enzo', 'Camille', 'Louis', 'Sarah', 'Jules', 'Emma', 'Adam', 'Zoé', 'Gabriel', 'Jade', 'Raphaël', 'Lina', 'Arthur', 'Louise', 'Mohamed', 'Alice', 'Tom', 'Anna', 'Noah', 'Rose', 'Sacha', 'Mila', 'Yanis']
const LAST_NAMES = ['Martin', 'Bernard', 'Petit', 'Dubois', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Legrand', 'Garnier', 'Faure', 'Rousseau', 'Blanc', 'Guerin', 'Muller', 'Henry', 'Roussel', 'Nicolas', 'Perrin', 'Morin', 'Mathieu', 'Clément']

function campaignCode(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
  let code = ''
  for (let i = 0; i < 6; i++) code += letters[Math.floor(Math.random() * letters.length)]
  return code + String(Math.floor(Math.random() * 1000)).padStart(3, '0')
}

/** Seeds one campaign in the caller's client (a transaction is opened and committed here). */
export async function seedLargeCampaign(client: ClientBase, options: SeedLargeOptions): Promise<SeedLargeResult> {
  const t0 = performance.now()
  const log = options.log ?? (() => {})
  const referential = options.referential ?? loadReferential()
  const profile = referential.targetProfiles.get(options.targetProfileId ?? 'tp_panorama_rentree')
  if (!profile) throw new Error(`unknown target profile ${options.targetProfileId}`)
  const skills = profile.skillIds.map((id) => referential.skills.get(id)!)
  // masteryRate(v, total) for every possible validated count, indexed v + 1 in SQL.
  const rates = Array.from({ length: skills.length + 1 }, (_, v) => masteryRate(v, skills.length))
  const n = options.participants
  const shared = options.sharedShare ?? 0.6
  const toShare = options.toShareShare ?? 0.15
  const earlier = options.earlierSendingShare ?? 0.12
  const code = campaignCode()
  const adminEmail = `admin.${code.toLowerCase()}@banc.jalon.test`
  const passwordHash = await hashPassword(SEED_ADMIN_PASSWORD)

  const step = async (label: string, text: string, params: unknown[] = []) => {
    const t = performance.now()
    const r = await client.query(text, params)
    log(`  ${label}: ${r.rowCount ?? 0} rows in ${Math.round(performance.now() - t)} ms`)
    return r
  }

  await client.query('BEGIN')
  try {
    // Bulk load: the commit is the only durability point that matters.
    await client.query('SET LOCAL synchronous_commit = off')
    // Sorts and hashes of the generated sets stay in memory instead of spilling to disk.
    await client.query(`SET LOCAL work_mem = '256MB'`)
    // Generated rows are consistent by construction: skip per-row foreign-key triggers when allowed (superuser, e.g. the embedded server).
    await client.query('SAVEPOINT fk')
    try {
      await client.query(`SET LOCAL session_replication_role = replica`)
      log('  foreign-key triggers off for the load')
    } catch {
      await client.query('ROLLBACK TO SAVEPOINT fk')
    }
    await client.query('SELECT setseed($1)', [options.seed ?? 0.42])
    const org = await client.query(`INSERT INTO organizations (name, type) VALUES ($1, 'SUP') RETURNING id`, [`Université du banc d’essai ${code}`])
    const organizationId: string = org.rows[0].id
    const admin = await client.query(`INSERT INTO users (first_name, last_name, email) VALUES ('Claire', 'Banc', $1) RETURNING id`, [adminEmail])
    const adminId: string = admin.rows[0].id
    await client.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'ADMIN')`, [organizationId, adminId])
    await client.query(`INSERT INTO user_credentials (user_id, email, password_hash) VALUES ($1, $2, $3)`, [adminId, adminEmail, passwordHash])
    const campaign = await client.query(
      `INSERT INTO campaigns (organization_id, code, name, title, type, target_profile_id, owner_id, creator_id, multiple_sendings,
                              external_id_label, external_id_type, created_at)
       VALUES ($1, $2, $3, 'Positionnement de rentrée', 'ASSESSMENT', $4, $5, $5, true, 'Numéro étudiant', 'STRING', now() - interval '60 days')
       RETURNING id`,
      [organizationId, code, `Rentrée ${n} participants`, profile.id, adminId],
    )
    const campaignId: string = campaign.rows[0].id

    // One row per participant: ids, ability (Box–Muller normal, mean 2.8, sd 1.3), status, dates.
    await step(
      'people',
      `CREATE TEMP TABLE seed_people ON COMMIT DROP AS
       SELECT i, gen_random_uuid() AS user_id, gen_random_uuid() AS ol_id, gen_random_uuid() AS p_id, gen_random_uuid() AS a_id,
              2.8 + 1.3 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS ability,
              random() AS status_draw, random() < $2 AS has_earlier,
              now() - random() * interval '45 days' AS created_at
       FROM generate_series(1, $1::int) AS i`,
      [n, earlier],
    )
    await client.query(
      `ALTER TABLE seed_people ADD COLUMN status participation_status, ADD COLUMN shared_at timestamptz, ADD COLUMN e_id uuid, ADD COLUMN ea_id uuid`,
    )
    await step(
      'statuses',
      `UPDATE seed_people SET
         status = (CASE WHEN status_draw < $1 THEN 'SHARED' WHEN status_draw < $1 + $2 THEN 'TO_SHARE' ELSE 'STARTED' END)::participation_status,
         shared_at = CASE WHEN status_draw < $1 THEN least(now(), created_at + random() * interval '3 days') END,
         e_id = CASE WHEN has_earlier THEN gen_random_uuid() END,
         ea_id = CASE WHEN has_earlier THEN gen_random_uuid() END`,
      [shared, toShare],
    )
    await client.query('ANALYZE seed_people')
    await step(
      'users',
      `INSERT INTO users (id, first_name, last_name, email, created_at)
       SELECT user_id, ($1::text[])[1 + i % cardinality($1::text[])], ($2::text[])[1 + (i / 7) % cardinality($2::text[])],
              'etudiant' || i || '.' || lower($3) || '@banc.jalon.test', created_at - interval '1 day'
       FROM seed_people`,
      [FIRST_NAMES, LAST_NAMES, code],
    )
    await step(
      'organization learners',
      `INSERT INTO organization_learners (id, organization_id, user_id, first_name, last_name, source, created_at)
       SELECT ol_id, $1, user_id, ($2::text[])[1 + i % cardinality($2::text[])], ($3::text[])[1 + (i / 7) % cardinality($3::text[])], 'LTI', created_at
       FROM seed_people`,
      [organizationId, FIRST_NAMES, LAST_NAMES],
    )
    // Earlier sendings (superseded, shared) first, then the live participation of everyone.
    await step(
      'participations',
      `INSERT INTO campaign_participations (id, campaign_id, user_id, organization_learner_id, participant_external_id, status, is_improved, created_at, shared_at)
       SELECT e_id, $1::uuid, user_id, ol_id, 'ETU' || lpad(i::text, 7, '0'), 'SHARED'::participation_status, true, created_at - interval '12 days', created_at - interval '11 days'
       FROM seed_people WHERE has_earlier
       UNION ALL
       SELECT p_id, $1::uuid, user_id, ol_id, 'ETU' || lpad(i::text, 7, '0'), status, false, created_at, shared_at
       FROM seed_people`,
      [campaignId],
    )
    await step(
      'assessments',
      `INSERT INTO assessments (id, user_id, type, campaign_participation_id, state, algorithm, algorithm_config_version, algorithm_config, seed,
                                content_version, is_improving, created_at, completed_at)
       SELECT ea_id, user_id, 'CAMPAIGN'::assessment_type, e_id, 'completed'::assessment_state, 'jalon-bayes', 1, '{}'::jsonb, i, $1, false, created_at - interval '12 days', created_at - interval '11 days'
       FROM seed_people WHERE has_earlier
       UNION ALL
       SELECT a_id, user_id, 'CAMPAIGN'::assessment_type, p_id, CASE WHEN status = 'STARTED' THEN 'started' ELSE 'completed' END::assessment_state,
              'jalon-bayes', 1, '{}'::jsonb, i, $1, has_earlier, created_at, CASE WHEN status <> 'STARTED' THEN created_at + interval '40 minutes' END
       FROM seed_people`,
      [referential.version],
    )

    const skillArgs = [skills.map((s) => s.id), skills.map((s) => s.competenceCode), skills.map((s) => s.level), skills.map((s) => s.pixValue)]
    const skillTable = `unnest($1::text[], $2::text[], $3::int[], $4::real[]) WITH ORDINALITY AS s(skill_id, comp, level, pix, k)`
    // P(validated) of a skill: a logistic curve of (ability − level); ~92 % of target skills are reached (tested or inferred).
    const validatedDraw = `random() < 1 / (1 + exp(-1.7 * (x.ability - s.level)))`
    await step(
      'snapshots (drawn)',
      `CREATE TEMP TABLE seed_snapshots ON COMMIT DROP AS
       WITH x AS (
         SELECT p_id, shared_at, ability FROM seed_people WHERE status = 'SHARED'
         UNION ALL SELECT e_id, created_at - interval '11 days', ability - 0.4 FROM seed_people WHERE has_earlier
       ), ke AS (
         SELECT x.p_id, x.shared_at, s.*, ${validatedDraw} AS ok FROM x CROSS JOIN ${skillTable} WHERE random() < 0.92
       )
       SELECT p_id, min(shared_at) AS shared_at, count(*) FILTER (WHERE ok)::int AS v,
              jsonb_agg(jsonb_build_object(
                'skillId', skill_id, 'competenceCode', comp, 'status', CASE WHEN ok THEN 'validated' ELSE 'invalidated' END,
                'source', CASE WHEN k % 3 = 0 THEN 'direct' ELSE 'inferred' END, 'earnedPix', CASE WHEN ok THEN pix ELSE 0 END,
                'createdAt', to_char((shared_at - interval '5 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
              ) ORDER BY k) AS snap
       FROM ke GROUP BY p_id`,
      skillArgs,
    )
    await client.query('ANALYZE seed_snapshots')
    const snapshots = await step(
      'snapshots',
      `INSERT INTO knowledge_element_snapshots (campaign_participation_id, snapshotted_at, knowledge_elements) SELECT p_id, shared_at, snap FROM seed_snapshots`,
    )
    await step(
      'mastery',
      `UPDATE campaign_participations p SET validated_skills_count = x.v, mastery_rate = ($1::real[])[x.v + 1] FROM seed_snapshots x WHERE p.id = x.p_id`,
      [rates],
    )
    // Not shared yet: the learner's live KEs (partial for a test in progress, complete once finished).
    const kes = await step(
      'knowledge elements',
      `INSERT INTO knowledge_elements (user_id, assessment_id, skill_id, competence_code, status, source, earned_pix, created_at)
       SELECT x.user_id, x.a_id, s.skill_id, s.comp, CASE WHEN ok THEN 'validated' ELSE 'invalidated' END::knowledge_element_status,
              CASE WHEN s.k % 3 = 0 THEN 'direct' ELSE 'inferred' END::knowledge_element_source, CASE WHEN ok THEN s.pix ELSE 0 END,
              x.created_at + interval '1 minute' * s.k
       FROM seed_people x CROSS JOIN ${skillTable}, LATERAL (SELECT ${validatedDraw} AS ok) d
       WHERE x.status <> 'SHARED' AND random() < CASE WHEN x.status = 'STARTED' THEN 0.4 ELSE 0.92 END`,
      skillArgs,
    )
    await client.query('COMMIT')
    const analyzeAt = performance.now()
    for (const table of ['users', 'organization_learners', 'campaign_participations', 'assessments', 'knowledge_element_snapshots', 'knowledge_elements'])
      await client.query(`ANALYZE ${table}`)
    log(`  analyze: ${Math.round(performance.now() - analyzeAt)} ms`)
    const counts = await client.query(`SELECT count(*)::int AS n FROM campaign_participations WHERE campaign_id = $1`, [campaignId])
    return {
      organizationId,
      campaignId,
      code,
      adminEmail,
      adminPassword: SEED_ADMIN_PASSWORD,
      participants: n,
      participations: counts.rows[0].n,
      snapshots: snapshots.rowCount ?? 0,
      knowledgeElements: kes.rowCount ?? 0,
      ms: Math.round(performance.now() - t0),
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  }
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      participants: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '0.42' },
      'target-profile': { type: 'string', default: 'tp_panorama_rentree' },
    },
  })
  const participants = Number(args.participants)
  if (!Number.isInteger(participants) || participants < 1) throw new Error('--participants must be a positive integer')
  const config = loadConfig(process.env)
  let url = config.DATABASE_URL
  const embedded = url ? undefined : await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pg'), database: 'jalon' })
  url ??= embedded!.url('jalon')
  try {
    await runMigrations(url)
    const client = new Client({ connectionString: url })
    await client.connect()
    try {
      console.log(`seeding ${participants} participants into ${url.replace(/:[^:@/]+@/, ':***@')}`)
      const r = await seedLargeCampaign(client, { participants, seed: Number(args.seed), targetProfileId: args['target-profile'], log: console.log })
      console.log(
        [
          `campaign ${r.code} (${r.campaignId}) of organization ${r.organizationId}`,
          `${r.participants} participants, ${r.participations} participations, ${r.snapshots} snapshots, ${r.knowledgeElements} live knowledge elements`,
          `Jalon Orga: ${r.adminEmail} / ${r.adminPassword}`,
          `seeded in ${(r.ms / 1000).toFixed(1)} s`,
        ].join('\n'),
      )
    } finally {
      await client.end()
    }
  } finally {
    await embedded?.stop()
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
