// Server-rendered page helpers live in shared/ so that lti/ and other modules can render pages too.
export * from '../shared/html'
