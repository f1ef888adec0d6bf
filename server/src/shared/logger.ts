import pino, { type Logger } from 'pino'

export type { Logger }

/**
 * JSON logs (pino). Secrets are redacted wherever they might appear. `destination` defaults to stdout;
 * the security suite passes a stream to read what gets logged.
 */
export function createLogger(level: string, name = 'jalon', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
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
  return destination ? pino(options, destination) : pino(options)
}
