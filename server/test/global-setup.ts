// Placeholder until the database harness lands (foundation issue): no global state needed by pure tests.
export default async function globalSetup(): Promise<void> {}
