import { LIVE_DEFAULTS, type LiveOptions } from '../live/defaults.js';
import { RedisFeedTransport } from './redis-feed-transport.js';
import type { Logger } from '../observability/logger.js';
import type { SharedRedis } from './redis.js';

/**
 * Where subscription feeds poll: with Redis, one replica per feed holds its lease and publishes
 * to all; without, every process polls for its own subscribers (undefined = the local transport).
 */
export function createFeedTransport(redis: SharedRedis | undefined, options: LiveOptions, logger: Logger): RedisFeedTransport | undefined {
  if (!redis) return undefined;
  const log = logger.child({ component: 'subscriptions' });
  return new RedisFeedTransport({
    redis: redis.client,
    keyPrefix: redis.keyPrefix,
    leaseMs: options.leaseMs ?? LIVE_DEFAULTS.leaseMs,
    onLease: (key, held) => log.info({ feed: key, held }, held ? 'took the lease of a subscription feed' : 'gave up the lease of a subscription feed'),
    onError: (error) => log.debug({ error: error instanceof Error ? error.message : String(error) }, 'Redis refused a subscription command'),
  });
}
