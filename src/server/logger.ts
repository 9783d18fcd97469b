import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * The gateway's structured logger. Authorization headers and credentials are redacted wherever
 * they could appear in a logged object.
 */
export function createLogger(level: LevelWithSilent = 'info'): Logger {
  return pino({
    name: 'clarify-graphql',
    level,
    redact: {
      paths: [
        'credential',
        'authorization',
        '*.credential',
        '*.authorization',
        'headers.authorization',
        'req.headers.authorization',
        'call.credential',
      ],
      censor: '[redacted]',
    },
  });
}
