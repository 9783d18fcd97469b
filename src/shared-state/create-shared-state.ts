import type { RateBudget } from '../client/rate-limit.js';
import { InProcessWriteLock, type WriteLock } from '../loaders/write-lock.js';
import { LayeredCache } from './layered-cache.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { connectRedis, type SharedRedis } from './redis.js';
import { RedisRateBudget } from './redis-rate-budget.js';
import { RedisResponseCache } from './redis-response-cache.js';
import { LEASE_MARGIN_MS, RedisWriteLock } from './redis-write-lock.js';

/** What the replicas of a gateway share through Redis, or keep to themselves without it. */
export interface SharedState {
  redis: SharedRedis | undefined;
  responseCache: LayeredCache;
  /** Undefined without Redis: the client keeps its own budget. */
  rateBudget: RateBudget | undefined;
  /** The relationship-write lock: in Redis when configured, else in this process. */
  writeLock: WriteLock;
}

/** What the shared state is made from: the gateway's options that concern it. */
export interface SharedStateOptions {
  redis: { url: string; keyPrefix: string } | undefined;
  workspace: string;
  rateLimitPerMinute: number;
  requestTimeoutMs: number;
  logger: Logger;
}

export function createSharedState(options: SharedStateOptions, metrics: GatewayMetrics): SharedState {
  // A stalled Redis costs a request at most one command timeout, a small part of its deadline.
  const commandTimeoutMs = Math.min(500, Math.max(100, Math.floor(options.requestTimeoutMs / 10)));
  const redis = options.redis ? connectRedis({ commandTimeoutMs, ...options.redis, logger: options.logger }) : undefined;
  const responseCache = new LayeredCache({
    shared: redis ? new RedisResponseCache({ redis: redis.client, keyPrefix: redis.keyPrefix }) : undefined,
    sharedAvailable: redis ? () => redis.available() : undefined,
    onFallback: () => metrics.redisFallback('cache'),
    logger: options.logger,
  });
  if (!redis) return { redis, responseCache, rateBudget: undefined, writeLock: new InProcessWriteLock() };
  metrics.redisUp(false);
  redis.onAvailabilityChange((up) => {
    metrics.redisUp(up);
    // Writes acknowledged while Redis was away are invalidated there before the cache is used again.
    if (up) void responseCache.reconnected();
  });
  const rateBudget = new RedisRateBudget({
    redis,
    workspace: options.workspace,
    perMinute: options.rateLimitPerMinute,
    onFallback: () => metrics.redisFallback('rate-budget'),
  });
  const writeLock = new RedisWriteLock({
    redis,
    restartGuardMs: options.requestTimeoutMs + LEASE_MARGIN_MS,
    onUnavailable: () => metrics.redisFallback('write-lock'),
  });
  // A Redis that lost its data grants no lock for a while; start that wait as soon as it is reached.
  redis.onAvailabilityChange((up) => {
    if (up) writeLock.markSince().catch(() => undefined);
  });
  return { redis, responseCache, rateBudget, writeLock };
}
