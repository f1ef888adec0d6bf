/** Public surface of the organizations module: tenants, users, courses and memberships. */
export { createOrganization, findOrganization, type Organization } from './organization.repository'
export { createUser, updateUserProfile, findUser, type UserProfile } from './user.repository'
export { upsertCourse, upsertCourseMember, listCourseMembers, findCourse, type Course, type CourseRole, type CourseMember } from './course.repository'
export { ensureMembership, findMembershipRole, type MembershipRole } from './membership.repository'
export { seedDemo, DEMO_IDS } from './seed-demo'
export { createOrgaSession, setOrgaCookie, createOrgaSessionMiddlewares, type OrgaContext } from './orga-session'
