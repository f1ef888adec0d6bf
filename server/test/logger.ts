import { createLogger } from '../src/shared/logger'

/** Silent unless JALON_TEST_LOG is set (e.g. JALON_TEST_LOG=debug npm test). */
export const testLogger = createLogger(process.env.JALON_TEST_LOG ?? 'silent', 'jalon-test')
