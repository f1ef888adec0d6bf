/**
 * What an accepted launch writes, in ONE statement (data-modifying CTEs, atomic like a transaction): the
 * user and its (platform, sub) identity, the organization membership of teachers and admins, the course and
 * course member, the resource link, the launch row and, when the link is bound to a campaign, the app's
 * one-time code. It used to be ~12 statements and 4 transactions; on this machine each round trip to
 * PostgreSQL costs more than the SQL itself (bench:load, docs/performance.md), and no transaction stays open
 * while JavaScript runs.
 *
 * The rules are those of organizations/ (user.repository updateUserProfile, membership.repository
 * ensureMembership, course.repository upsertCourse / upsertCourseMember), written once more here in SQL:
 * a change there must be mirrored here.
 * - profile: only the fields sent this time overwrite the stored ones (a launch without names keeps them);
 * - membership: created if missing, MEMBER → ADMIN, never downgraded;
 * - course and link: read first and written only when something sent differs, so an unchanged row (every
 *   launch of an activity) is not rewritten; label/title/URLs are only overwritten when sent;
 * - course member: role refreshed, groups kept when not sent.
 * Two first launches of one subject racing: both create a user, the identity row keeps the first one, and
 * everything here uses the identity's user (RETURNING), as before.
 */
import type { Db, Tx } from '../db/client'
import { prepared } from './prepared'

export interface RecordLaunchInput {
  platformId: string
  deploymentRowId: string
  organizationId: string
  subject: string
  profile: { firstName: string | null; lastName: string | null; email: string | null; locale: string | null }
  externalId: string | null
  attributes: Record<string, string>
  /** Teachers and admins of the LMS are members of the organization; learners are not. */
  membershipRole: 'ADMIN' | 'MEMBER' | null
  course: { sourceKey: string; label: string | null; title: string | null; rosterUrl: string | null; role: string; groups?: string[] } | null
  link: { resourceLinkId: string; title: string | null; lineItemUrl: string | null; lineItemsUrl: string | null } | null
  launch: {
    messageType: string
    /** The LaunchContext without userId, courseId, resourceLinkId, campaignId (filled in from the rows). */
    context: Record<string, unknown>
    /** The launch's services without lineItemUrl (the link's stored one wins, else the one sent). */
    services: Record<string, unknown>
  }
  /** Inserted only if the link is already bound to a campaign (the usual learner launch). */
  appCode: { hash: string; expiresAt: Date } | null
}

export interface RecordedLaunch {
  userId: string
  courseId?: string
  link?: { id: string; campaignId: string | null; lineItemUrl: string | null }
  launchId: string
  context: Record<string, unknown>
  appCodeCreated: boolean
}

export async function recordLaunch(db: Db | Tx, i: RecordLaunchInput): Promise<RecordedLaunch> {
  const p = i.profile
  const c = i.course
  const l = i.link
  const rows = await prepared('jalon_lti_record_launch_v1', db)`
    WITH ident AS (
      SELECT user_id FROM lti_user_identities WHERE platform_id = ${i.platformId}::uuid AND subject = ${i.subject}::text
    ), new_user AS (
      INSERT INTO users (first_name, last_name, email, locale)
      SELECT ${p.firstName}::text, ${p.lastName}::text, ${p.email}::text, ${p.locale}::text
      WHERE NOT EXISTS (SELECT 1 FROM ident)
      RETURNING id
    ), profile AS (
      UPDATE users u SET
        first_name = coalesce(${p.firstName}::text, u.first_name),
        last_name = coalesce(${p.lastName}::text, u.last_name),
        email = coalesce(${p.email}::text, u.email),
        locale = coalesce(${p.locale}::text, u.locale),
        updated_at = now()
      FROM ident
      WHERE u.id = ident.user_id
        AND (u.first_name IS DISTINCT FROM coalesce(${p.firstName}::text, u.first_name)
          OR u.last_name IS DISTINCT FROM coalesce(${p.lastName}::text, u.last_name)
          OR u.email IS DISTINCT FROM coalesce(${p.email}::text, u.email)
          OR u.locale IS DISTINCT FROM coalesce(${p.locale}::text, u.locale))
      RETURNING u.id
    ), identity AS (
      INSERT INTO lti_user_identities (platform_id, subject, user_id, external_id, attributes)
      SELECT ${i.platformId}::uuid, ${i.subject}::text, coalesce((SELECT user_id FROM ident), (SELECT id FROM new_user)),
        ${i.externalId}::text, ${JSON.stringify(i.attributes)}::jsonb
      ON CONFLICT (platform_id, subject) DO UPDATE SET
        -- An external id once known is kept when a later launch does not send it.
        external_id = coalesce(excluded.external_id, lti_user_identities.external_id),
        attributes = lti_user_identities.attributes || excluded.attributes,
        last_launch_at = now()
      RETURNING user_id
    ), membership AS (
      INSERT INTO memberships (organization_id, user_id, role)
      SELECT ${i.organizationId}::uuid, user_id, ${i.membershipRole}::text::membership_role FROM identity
      WHERE ${i.membershipRole}::text IS NOT NULL
      ON CONFLICT (organization_id, user_id) DO UPDATE SET role = 'ADMIN'
      WHERE memberships.role = 'MEMBER' AND excluded.role = 'ADMIN'
      RETURNING role
    ), course_cur AS (
      SELECT id, label, title, roster_url FROM courses WHERE source_key = ${c?.sourceKey ?? null}::text
    ), course_new AS (
      INSERT INTO courses (organization_id, source_key, label, title, roster_url)
      SELECT ${i.organizationId}::uuid, ${c?.sourceKey ?? null}::text, ${c?.label ?? null}::text, ${c?.title ?? null}::text, ${c?.rosterUrl ?? null}::text
      WHERE ${c?.sourceKey ?? null}::text IS NOT NULL
        AND NOT EXISTS (
          SELECT 1 FROM course_cur k
          WHERE (${c?.label ?? null}::text IS NULL OR ${c?.label ?? null}::text = k.label)
            AND (${c?.title ?? null}::text IS NULL OR ${c?.title ?? null}::text = k.title)
            AND (${c?.rosterUrl ?? null}::text IS NULL OR ${c?.rosterUrl ?? null}::text = k.roster_url))
      ON CONFLICT (source_key) DO UPDATE SET
        label = coalesce(excluded.label, courses.label),
        title = coalesce(excluded.title, courses.title),
        roster_url = coalesce(excluded.roster_url, courses.roster_url),
        updated_at = now()
      RETURNING id
    ), course AS (
      SELECT coalesce((SELECT id FROM course_new), (SELECT id FROM course_cur)) AS id
    ), member AS (
      INSERT INTO course_members (course_id, user_id, role, groups)
      SELECT course.id, identity.user_id, ${c?.role ?? null}::text, ${JSON.stringify(c?.groups ?? [])}::jsonb
      FROM course, identity WHERE course.id IS NOT NULL
      ON CONFLICT (course_id, user_id) DO UPDATE SET
        role = excluded.role,
        -- Groups are kept when a launch does not send them.
        groups = CASE WHEN ${c?.groups !== undefined}::boolean THEN excluded.groups ELSE course_members.groups END,
        last_seen_at = now()
      RETURNING course_id
    ), link_cur AS (
      SELECT id, campaign_id, line_item_url, course_id, title, line_items_url FROM lti_resource_links
      WHERE deployment_row_id = ${i.deploymentRowId}::uuid AND resource_link_id = ${l?.resourceLinkId ?? null}::text
    ), link_new AS (
      INSERT INTO lti_resource_links (deployment_row_id, resource_link_id, course_id, title, line_item_url, line_items_url)
      SELECT ${i.deploymentRowId}::uuid, ${l?.resourceLinkId ?? null}::text, course.id, ${l?.title ?? null}::text,
        ${l?.lineItemUrl ?? null}::text, ${l?.lineItemsUrl ?? null}::text
      FROM course
      WHERE ${l?.resourceLinkId ?? null}::text IS NOT NULL
        AND NOT EXISTS (
          SELECT 1 FROM link_cur k
          WHERE (course.id IS NULL OR course.id = k.course_id)
            AND (${l?.title ?? null}::text IS NULL OR ${l?.title ?? null}::text = k.title)
            AND (${l?.lineItemUrl ?? null}::text IS NULL OR ${l?.lineItemUrl ?? null}::text = k.line_item_url)
            AND (${l?.lineItemsUrl ?? null}::text IS NULL OR ${l?.lineItemsUrl ?? null}::text = k.line_items_url))
      ON CONFLICT (deployment_row_id, resource_link_id) DO UPDATE SET
        course_id = coalesce(excluded.course_id, lti_resource_links.course_id),
        title = coalesce(excluded.title, lti_resource_links.title),
        line_item_url = coalesce(excluded.line_item_url, lti_resource_links.line_item_url),
        line_items_url = coalesce(excluded.line_items_url, lti_resource_links.line_items_url),
        updated_at = now()
      RETURNING id, campaign_id, line_item_url
    ), link AS (
      SELECT id, campaign_id, line_item_url FROM link_new
      UNION ALL
      SELECT id, campaign_id, line_item_url FROM link_cur WHERE NOT EXISTS (SELECT 1 FROM link_new)
    ), launch AS (
      INSERT INTO lti_launches (platform_id, deployment_row_id, user_id, subject, message_type, context, services)
      SELECT ${i.platformId}::uuid, ${i.deploymentRowId}::uuid, identity.user_id, ${i.subject}::text, ${i.launch.messageType}::text,
        ${JSON.stringify(i.launch.context)}::jsonb || jsonb_strip_nulls(jsonb_build_object(
          'userId', identity.user_id, 'courseId', (SELECT id FROM course), 'resourceLinkId', link.id, 'campaignId', link.campaign_id)),
        ${JSON.stringify(i.launch.services)}::jsonb || jsonb_strip_nulls(jsonb_build_object(
          'lineItemUrl', coalesce(link.line_item_url, ${l?.lineItemUrl ?? null}::text)))
      FROM identity LEFT JOIN link ON true
      RETURNING id, context
    ), code AS (
      INSERT INTO lti_one_time_codes (code_hash, purpose, launch_id, expires_at)
      SELECT ${i.appCode?.hash ?? null}::text, 'app', launch.id, ${i.appCode?.expiresAt ?? null}::timestamptz
      FROM launch, link
      WHERE ${i.appCode?.hash ?? null}::text IS NOT NULL AND link.campaign_id IS NOT NULL
      RETURNING launch_id
    )
    SELECT identity.user_id, (SELECT id FROM course) AS course_id, link.id AS link_id, link.campaign_id, link.line_item_url,
      launch.id AS launch_id, launch.context, EXISTS (SELECT 1 FROM code) AS app_code_created
    FROM identity CROSS JOIN launch LEFT JOIN link ON true`
  const r = rows[0]
  if (!r) throw new Error('recordLaunch: no row')
  return {
    userId: r.user_id as string,
    courseId: (r.course_id as string | null) ?? undefined,
    link: r.link_id ? { id: r.link_id as string, campaignId: (r.campaign_id as string | null) ?? null, lineItemUrl: (r.line_item_url as string | null) ?? null } : undefined,
    launchId: r.launch_id as string,
    context: r.context as Record<string, unknown>,
    appCodeCreated: r.app_code_created === true,
  }
}
