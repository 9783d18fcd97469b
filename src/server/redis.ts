import { Redis } from 'ioredis';
import { DEFAULTS } from '../config/defaults.js';
import type { Logger } from './logger.js';

/**
 * The gateway's one Redis connection, shared by the response cache, the rate budget and the
 * trusted documents. Commands fail at once while Redis is unreachable (no offline queue, a short
 * command timeout), so every user falls back to its local equivalent instead of waiting;
 * ioredis keeps reconnecting in the background and `available()` turns true again when it does.
 */
export interface SharedRedis {
  /** The ioredis client; every key it touches carries `keyPrefix`. */
  readonly client: Redis;
  readonly keyPrefix: string;
  /** True while the connection is ready for commands. */
  available(): boolean;
  /** Called with `true` when Redis becomes ready and `false` when it goes away. */
  onAvailabilityChange(listener: (available: boolean) => void): void;
  /** Round-trips a `PING`; false on any failure (for `/ready`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface SharedRedisOptions {
  /** `redis://…` or `rediss://…` (TLS). */
  url: string;
  /** Prepended to every key. Default `clarify-graphql:`. */
  keyPrefix?: string;
  /** Milliseconds a command may take before it counts as failed. Default 500. */
  commandTimeoutMs?: number;
  /** Milliseconds to establish a connection. Default 2000. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/** Most time between reconnection attempts, in ms. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** `host:port` of a Redis URL, without its credentials (for log lines). */
function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured REDIS_URL';
  }
}

export function connectRedis(options: SharedRedisOptions): SharedRedis {
  const keyPrefix = options.keyPrefix ?? DEFAULTS.redisKeyPrefix;
  const logger = options.logger?.child({ component: 'redis' });
  const client = new Redis(options.url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  });
  const listeners: ((available: boolean) => void)[] = [];
  let ready = false;
  let closing = false;
  const setReady = (value: boolean) => {
    if (ready === value) return;
    ready = value;
    if (value) logger?.info('Redis connected; shared cache and rate budget in use');
    else if (!closing) logger?.warn('Redis unavailable; using the local cache and rate budget until it returns');
    for (const listener of listeners) listener(value);
  };
  client.on('ready', () => setReady(true));
  client.on('close', () => setReady(false));
  client.on('end', () => setReady(false));
  // ioredis reports each failed reconnect as an error event; availability already says it, except
  // when Redis was never reached: then the first failure is worth a warning.
  let everReady = false;
  let warnedUnreachable = false;
  client.on('ready', () => (everReady = true));
  client.on('error', (error: Error) => {
    if (!everReady && !warnedUnreachable && !closing) {
      warnedUnreachable = true;
      logger?.warn(
        { error: error.message, redis: redisAddress(options.url) },
        'Redis unreachable at start; using the local cache and rate budget until it connects',
      );
      return;
    }
    logger?.debug({ error: error.message }, 'Redis connection error');
  });

  return {
    client,
    keyPrefix,
    available: () => ready,
    onAvailabilityChange(listener) {
      listeners.push(listener);
    },
    async ping() {
      if (!ready) return false;
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      closing = true;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
