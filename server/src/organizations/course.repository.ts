import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../db/client'
import { courseMembers, courses, users } from '../db/schema'

type Executor = Db | Tx

export type CourseRole = 'learner' | 'teacher' | 'admin'

export interface Course {
  id: string
  organizationId: string
  sourceKey: string
  label: string | null
  title: string | null
  rosterUrl: string | null
}

export interface CourseMember {
  userId: string
  role: CourseRole
  groups: string[]
  firstName: string | null
  lastName: string | null
  email: string | null
  lastSeenAt: Date
}

/**
 * Creates or refreshes a course. `sourceKey` is unique across Jalon (the caller builds it from the
 * platform and its own course id); label/title/roster are only overwritten when sent.
 */
export async function upsertCourse(
  db: Executor,
  input: { organizationId: string; sourceKey: string; label?: string | null; title?: string | null; rosterUrl?: string | null },
): Promise<Course> {
  // Every launch of a course passes here: read first, so that an unchanged course is not locked for the
  // launch's whole transaction (all launches of one course queued on that row lock — bench:load).
  const [current] = await db.select().from(courses).where(eq(courses.sourceKey, input.sourceKey))
  const same = (sent: string | null | undefined, stored: string | null) => sent == null || sent === stored
  if (current && same(input.label, current.label) && same(input.title, current.title) && same(input.rosterUrl, current.rosterUrl)) return toCourse(current)
  const [row] = await db
    .insert(courses)
    .values({
      organizationId: input.organizationId,
      sourceKey: input.sourceKey,
      label: input.label ?? null,
      title: input.title ?? null,
      rosterUrl: input.rosterUrl ?? null,
    })
    .onConflictDoUpdate({
      target: courses.sourceKey,
      set: {
        label: sql`coalesce(excluded.label, ${courses.label})`,
        title: sql`coalesce(excluded.title, ${courses.title})`,
        rosterUrl: sql`coalesce(excluded.roster_url, ${courses.rosterUrl})`,
        updatedAt: sql`now()`,
      },
    })
    .returning()
  return toCourse(row!)
}

export async function findCourse(db: Executor, courseId: string): Promise<Course | undefined> {
  const [row] = await db.select().from(courses).where(eq(courses.id, courseId))
  return row && toCourse(row)
}

export async function upsertCourseMember(
  db: Executor,
  input: { courseId: string; userId: string; role: CourseRole; groups?: string[] },
): Promise<void> {
  await db
    .insert(courseMembers)
    .values({ courseId: input.courseId, userId: input.userId, role: input.role, groups: input.groups ?? [] })
    .onConflictDoUpdate({
      target: [courseMembers.courseId, courseMembers.userId],
      set: {
        role: input.role,
        // Groups are kept when a launch does not send them.
        ...(input.groups ? { groups: input.groups } : {}),
        lastSeenAt: sql`now()`,
      },
    })
}

export async function listCourseMembers(db: Executor, courseId: string): Promise<CourseMember[]> {
  return db
    .select({
      userId: courseMembers.userId,
      role: courseMembers.role,
      groups: courseMembers.groups,
      firstName: users.firstName,
      lastName: users.lastName,
      email: users.email,
      lastSeenAt: courseMembers.lastSeenAt,
    })
    .from(courseMembers)
    .innerJoin(users, eq(users.id, courseMembers.userId))
    .where(and(eq(courseMembers.courseId, courseId)))
    .orderBy(asc(users.lastName), asc(users.firstName))
}

function toCourse(row: typeof courses.$inferSelect): Course {
  return { id: row.id, organizationId: row.organizationId, sourceKey: row.sourceKey, label: row.label, title: row.title, rosterUrl: row.rosterUrl }
}
