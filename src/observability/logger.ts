import { pino, symbols, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { LogDestination } from './log-destination.js';
import type { GatewayMetrics } from './metrics.js';

export type { Logger };

/**
 * The gateway's structured logger: JSON lines on `destination`, by default a `LogDestination`
 * over stdout (asynchronous, bounded, dropping and counting lines a reader does not take).
 * Authorization headers and credentials are redacted wherever they could appear in a logged object.
 */
export function createLogger(level: LevelWithSilent = 'info', destination?: DestinationStream): Logger {
  const options = {
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
  };
  return pino(options, destination ?? stdoutDestination());
}

let sharedStdout: LogDestination | undefined;

/** One destination for stdout per process, however many gateways log there. */
function stdoutDestination(): LogDestination {
  return (sharedStdout ??= new LogDestination());
}

/** Lines the logger's destination dropped; 0 for a destination that does not drop. */
export function droppedLogLines(logger: Logger): number {
  const stream: unknown = Reflect.get(logger, symbols.streamSym);
  return stream instanceof LogDestination ? stream.dropped : 0;
}

/** The Clarify client's log lines, plus rate-limit waits counted for `/metrics`. */
export function clientLogger(logger: Logger, metrics: GatewayMetrics) {
  const child = logger.child({ component: 'clarify-client' });
  return {
    debug(obj: object, msg?: string) {
      const waitMs = 'waitMs' in obj ? obj.waitMs : undefined;
      if (typeof waitMs === 'number') metrics.rateLimitWait(waitMs / 1000);
      child.debug(obj, msg);
    },
    warn(obj: object, msg?: string) {
      const status = 'status' in obj ? obj.status : undefined;
      const delayMs = 'delayMs' in obj ? obj.delayMs : undefined;
      if (status === 429 && typeof delayMs === 'number') metrics.rateLimitWait(delayMs / 1000);
      child.warn(obj, msg);
    },
  };
}

/** Yoga's logger interface over pino. */
export function yogaLogger(logger: Logger) {
  const child = logger.child({ component: 'yoga' });
  const format = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return {
    debug: (...args: unknown[]) => child.debug(format(args)),
    info: (...args: unknown[]) => child.info(format(args)),
    warn: (...args: unknown[]) => child.warn(format(args)),
    error: (...args: unknown[]) => {
      const error = args.find((a): a is Error => a instanceof Error);
      child.error({ err: error }, format(args));
    },
  };
}
