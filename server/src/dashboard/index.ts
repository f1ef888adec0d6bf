/** Public surface of the dashboard module: read models of Jalon Orga and their routes. */
export { orgaCampaignRoutes, type OrgaCampaignRoutesDeps } from './orga-campaigns.routes'
export type { CampaignRosterHook, GradeDeliveriesHook, GradeDelivery, RosterLearner } from './activity-lms'
export { ParticipationNotFound } from './errors'
