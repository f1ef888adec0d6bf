import pino, { type Logger } from 'pino'

export type { Logger }

/**
 * JSON logs (pino). Secrets are redacted wherever they might appear. `destination` defaults to stdout;
 * the security suite passes a stream to read what gets logged. `buffered` (production): stdout is written
 * asynchronously in blocks of 4 KB instead of one blocking write per line — a request log line per request
 * was a system call per request. pino flushes the buffer on exit; a SIGKILL loses at most the last block.
 */
export function createLogger(level: string, name = 'jalon', destination?: pino.DestinationStream, options: { buffered?: boolean } = {}): Logger {
  const pinoOptions: pino.LoggerOptions = {
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.privateKey',
        '*.password',
        '*.id_token',
      ],
      censor: '[redacted]',
    },
  }
  if (destination) return pino(pinoOptions, destination)
  if (!options.buffered) return pino(pinoOptions)
  const logger = pino(pinoOptions, pino.destination({ dest: 1, sync: false, minLength: 4096 }))
  // A quiet server still shows its lines within a second.
  setInterval(() => logger.flush(), 1_000).unref()
  return logger
}
