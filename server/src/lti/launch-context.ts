/**
 * What the rest of Jalon knows about a launch: no claim names, only Jalon ids and a role.
 * `req.launch` (set by requireLearnerSession / requireTeacherSession) has this type.
 */
export type LaunchRole = 'learner' | 'teacher' | 'admin'

export interface LaunchContext {
  launchId: string
  platformId: string
  /** Jalon's id of the deployment row. */
  deploymentId: string
  organizationId: string
  userId: string
  role: LaunchRole
  courseId?: string
  /** Jalon's id of the resource link row. */
  resourceLinkId?: string
  campaignId?: string
  /** From the platform's claim mapping (e.g. lis.person_sourcedid); absent: the campaign flow asks for it. */
  externalId?: string
  /** GAR-style extra attributes read through the claim mapping (uai, division…). */
  attributes?: Record<string, string>
  locale?: string
  firstName?: string
  lastName?: string
  email?: string
  /** True when the platform offered a gradebook line item (or line items) with the score scope. */
  canReportScores: boolean
  /** True when a course roster (NRPS) is available. */
  canReadRoster: boolean
  /** Where the LMS wants the user back (launch_presentation.return_url). */
  returnUrl?: string
}
