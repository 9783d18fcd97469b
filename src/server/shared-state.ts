import type { RateBudget } from '../client/rate-limit.js';
import { LayeredCache } from './layered-cache.js';
import type { GatewayMetrics } from './metrics.js';
import type { ResolvedGatewayOptions } from './options.js';
import { connectRedis, type SharedRedis } from './redis.js';
import { RedisRateBudget } from './redis-rate-budget.js';
import { RedisResponseCache } from './redis-response-cache.js';

/** What the replicas of a gateway share through Redis, or keep to themselves without it. */
export interface SharedState {
  redis: SharedRedis | undefined;
  responseCache: LayeredCache;
  /** Undefined without Redis: the client keeps its own budget. */
  rateBudget: RateBudget | undefined;
}

export function createSharedState(options: ResolvedGatewayOptions, metrics: GatewayMetrics): SharedState {
  const redis = options.redis ? connectRedis({ ...options.redis, logger: options.logger }) : undefined;
  const responseCache = new LayeredCache({
    shared: redis ? new RedisResponseCache({ redis: redis.client, keyPrefix: redis.keyPrefix }) : undefined,
    sharedAvailable: redis ? () => redis.available() : undefined,
    onFallback: () => metrics.redisFallback('cache'),
    logger: options.logger,
  });
  if (!redis) return { redis, responseCache, rateBudget: undefined };
  metrics.redisUp(false);
  redis.onAvailabilityChange((up) => {
    metrics.redisUp(up);
    // Entries made while Redis was away saw only this replica's writes.
    if (up) responseCache.resetLocal();
  });
  const rateBudget = new RedisRateBudget({
    redis: redis.client,
    available: () => redis.available(),
    workspace: options.workspace,
    perMinute: options.rateLimitPerMinute,
    onFallback: () => metrics.redisFallback('rate-budget'),
  });
  return { redis, responseCache, rateBudget };
}
