/** Public surface of the dashboard module: read models of Jalon Orga and their routes. */
export { orgaCampaignRoutes, type OrgaCampaignRoutesDeps, type NotStartedRoster } from './orga-campaigns.routes'
export { ParticipationNotFound } from './errors'
