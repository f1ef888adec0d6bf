import pino, { type Logger } from 'pino'

export type { Logger }

/** JSON logs (pino). Secrets are redacted wherever they might appear. */
export function createLogger(level: string, name = 'jalon'): Logger {
  return pino({
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
  })
}
