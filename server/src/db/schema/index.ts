/** Every table, one file per area. drizzle-kit reads this file to generate migrations. */
export * from './organizations'
export * from './campaigns'
export * from './lti'
export * from './participations'
export * from './assessments'
export * from './orga-access'
