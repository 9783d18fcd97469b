import { Redis, type Command } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The gateway's one Redis connection, shared by the response cache, the rate budget and the
 * trusted documents. Commands fail at once while Redis is unreachable (no offline queue, a short
 * command timeout), so every user falls back to its local equivalent instead of waiting;
 * ioredis keeps reconnecting in the background and `available()` turns true again when it does.
 *
 * A connection that stays open while Redis does not answer (stopped, overloaded, a partition that
 * drops packets) counts as unavailable once a command timed out and a `PING` sent then did not
 * answer within the timeout either (a busy event loop alone can make one command late), until a
 * `PING` answers again; later requests then fall back at once instead of each waiting it out.
 */
export interface SharedRedis {
  /** The ioredis client; every key it touches carries `keyPrefix`. */
  readonly client: Redis;
  readonly keyPrefix: string;
  /** Milliseconds a command may take before it counts as failed. */
  readonly commandTimeoutMs: number;
  /** True while the connection is ready for commands and the last one did not time out. */
  available(): boolean;
  /** Called with `true` when Redis becomes ready and `false` when it goes away or stalls. */
  onAvailabilityChange(listener: (available: boolean) => void): void;
  /**
   * Runs a command bounded by the command timeout and, when given, by `deadline` (epoch ms),
   * whichever comes first. Rejects with `RedisUnavailable` when Redis is unavailable or the bound
   * passes (the command may still run later: write commands must be safe if they do).
   * `retry: true` sends a command that timed out again while Redis is not known to have stalled,
   * until `deadline`: for commands that are safe to repeat and costly to fall back from.
   */
  command<T>(run: (client: Redis) => Promise<T>, deadline?: number, options?: { retry?: boolean }): Promise<T>;
  /** Round-trips a `PING`; false on any failure (for `/ready`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Redis could not be used for a command: unreachable, stalled, or too slow for the deadline. */
const kRedisUnavailable: unique symbol = Symbol.for('clarify-graphql.RedisUnavailable');

export class RedisUnavailable extends Error {
  /** Whether `value` is a `RedisUnavailable`, made by this copy of the module or any other. */
  static is(value: unknown): value is RedisUnavailable {
    return typeof value === 'object' && value !== null && Reflect.get(value, kRedisUnavailable) === true;
  }

  get [kRedisUnavailable](): true {
    return true;
  }

  override readonly name = 'RedisUnavailable';
}

export interface SharedRedisOptions {
  /** `redis://…` or `rediss://…` (TLS). */
  url: string;
  /** Prepended to every key (`REDIS_KEY_PREFIX`; the gateway's options supply its default). */
  keyPrefix: string;
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

/** Pause between `PING`s while a stalled connection is watched, in ms. */
const STALL_PROBE_MS = 100;

const TIMED_OUT = 'Command timed out';

/** The ioredis client, telling its owner when a command times out on an open connection. */
class WatchedRedis extends Redis {
  onTimeout: () => void = () => undefined;

  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const sent = super.sendCommand(command, stream);
    command.promise.catch((error: unknown) => {
      if (error instanceof Error && error.message === TIMED_OUT) this.onTimeout();
    });
    return sent;
  }
}

function bounded<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new RedisUnavailable(`Redis did not answer within ${ms} ms`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new RedisUnavailable(String(error)));
      },
    );
  });
}

export function connectRedis(options: SharedRedisOptions): SharedRedis {
  const { keyPrefix } = options;
  const logger = options.logger?.child({ component: 'redis' });
  const commandTimeoutMs = options.commandTimeoutMs ?? 500;
  const client = new WatchedRedis(options.url, {
    keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
    lazyConnect: false,
  });
  const listeners: ((available: boolean) => void)[] = [];
  let ready = false;
  let stalled = false;
  let closing = false;
  let probe: NodeJS.Timeout | undefined;
  let suspecting = false;
  const up = () => ready && !stalled;
  const notify = (before: boolean) => {
    const now = up();
    if (before === now) return;
    if (now) logger?.info('Redis connected; shared cache and rate budget in use');
    else if (!closing) logger?.warn(stalled ? 'Redis stopped answering; using local state until it does' : 'Redis unavailable; using the local cache and rate budget until it returns');
    for (const listener of listeners) listener(now);
  };
  const setReady = (value: boolean) => {
    const before = up();
    ready = value;
    if (!value) unstall();
    notify(before);
  };
  const unstall = () => {
    stalled = false;
    if (probe) clearTimeout(probe);
    probe = undefined;
  };
  // While stalled, PING until Redis answers (commands already sent are answered first, in order).
  const watch = () => {
    probe = setTimeout(() => {
      bounded(client.ping(), commandTimeoutMs, () => undefined).then(
        () => {
          if (!stalled) return;
          const before = up();
          unstall();
          notify(before);
        },
        () => {
          if (stalled) watch();
        },
      );
    }, STALL_PROBE_MS);
    probe.unref();
  };
  const stall = () => {
    if (stalled || !ready || closing) return;
    const before = up();
    stalled = true;
    notify(before);
    watch();
  };
  // A command timed out: Redis has stalled if a PING sent now is not answered in time either.
  const suspect = () => {
    if (stalled || suspecting || !ready || closing) return;
    suspecting = true;
    bounded(client.ping(), commandTimeoutMs, () => undefined).then(
      () => {
        suspecting = false;
      },
      () => {
        suspecting = false;
        stall();
      },
    );
  };
  client.onTimeout = suspect;
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
    commandTimeoutMs,
    available: up,
    onAvailabilityChange(listener) {
      listeners.push(listener);
    },
    async command(run, deadline, options = {}) {
      for (;;) {
        if (!up()) throw new RedisUnavailable('Redis is unavailable');
        const ms = Math.min(commandTimeoutMs, deadline === undefined ? Infinity : deadline - Date.now());
        if (ms <= 0) throw new RedisUnavailable('The request deadline has passed');
        try {
          // Only a full command timeout hints at a stall; a shorter bound says the request ran out of time.
          return await bounded(run(client), ms, ms >= commandTimeoutMs ? suspect : () => undefined);
        } catch (error) {
          // A late answer (a busy event loop, a slow moment) is asked again until the PING says Redis stalled.
          const late = RedisUnavailable.is(error) || (error instanceof Error && error.message === TIMED_OUT);
          if (!options.retry || !late || deadline === undefined) throw error;
        }
      }
    },
    async ping() {
      if (!up()) return false;
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      closing = true;
      unstall();
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
