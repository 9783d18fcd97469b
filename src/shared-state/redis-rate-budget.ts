import { credentialFingerprint } from '../client/credential-fingerprint.js';
import { LocalRateBudget, resetDelayMs, type HeaderValue, type RateBudget, type RateKey } from '../client/rate-limit.js';
import type { SharedRedis } from './redis.js';

/**
 * One rate budget per workspace, credential and endpoint, shared by every replica through Redis.
 *
 * Each budget is a hash `<prefix>rl:<workspace>:<credential hash>:<route>` holding a token bucket
 * (`tokens`, `at`) refilled at the endpoint's limit per minute, and what Clarify last said
 * (`remaining` until `reset_at`, and `limit`). Booking and learning are Lua scripts, so
 * concurrent replicas never overspend; the clock is Redis's own (`TIME`), so replicas need not
 * agree on the time. A booking may wait: tokens go negative and each caller is told when its
 * turn comes. While Redis is unreachable, or does not answer within the command timeout or by
 * the request's deadline, the local budget answers instead.
 */

const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local configured = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'remaining', 'reset_at', 'limit')
local capacity = tonumber(s[5]) or configured
local per_ms = capacity / 60000
local tokens = tonumber(s[1]) or capacity
local at = tonumber(s[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
local remaining = tonumber(s[3])
local reset_at = tonumber(s[4])
if reset_at and now >= reset_at then
  remaining = nil
  reset_at = nil
end
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) / per_ms) end
if remaining and remaining < 1 then wait = math.max(wait, reset_at - now) end
if wait > max_wait then return wait end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
if remaining then redis.call('HSET', KEYS[1], 'remaining', tostring(remaining - 1)) else redis.call('HDEL', KEYS[1], 'remaining', 'reset_at') end
redis.call('PEXPIRE', KEYS[1], 120000)
return wait
`;

const OBSERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local remaining = tonumber(ARGV[1])
local reset_at = now + tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'remaining', 'reset_at', 'tokens')
local known = tonumber(s[1])
local known_reset = tonumber(s[2])
if known and known_reset and now < known_reset then
  -- The same window: answers may arrive out of order, so the lowest count wins.
  if remaining < known then redis.call('HSET', KEYS[1], 'remaining', tostring(remaining)) end
else
  redis.call('HSET', KEYS[1], 'remaining', tostring(remaining), 'reset_at', tostring(reset_at))
end
if limit and limit > 0 then redis.call('HSET', KEYS[1], 'limit', tostring(limit)) end
local tokens = tonumber(s[3])
if tokens and tokens > remaining then redis.call('HSET', KEYS[1], 'tokens', tostring(remaining), 'at', tostring(now)) end
redis.call('PEXPIRE', KEYS[1], 120000)
return 1
`;

function headerNumber(value: HeaderValue): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export interface RedisRateBudgetOptions {
  redis: Pick<SharedRedis, 'command' | 'available'>;
  workspace: string;
  /** Calls per minute per endpoint when Clarify sends no `X-RateLimit-Limit`. */
  perMinute: number;
  /** Answers while Redis is unreachable. */
  local?: LocalRateBudget;
  onFallback?: () => void;
}

export class RedisRateBudget implements RateBudget {
  private readonly options: RedisRateBudgetOptions;
  private readonly local: LocalRateBudget;

  constructor(options: RedisRateBudgetOptions) {
    this.options = options;
    this.local = options.local ?? new LocalRateBudget({ perMinute: options.perMinute });
  }

  private key(key: RateKey): string {
    return `rl:${this.options.workspace}:${credentialFingerprint(key.credential)}:${key.route}`;
  }

  async reserve(key: RateKey, maxWaitMs: number, deadline?: number): Promise<number> {
    if (this.options.redis.available()) {
      try {
        const wait = await this.options.redis.command(
          (redis) => redis.eval(RESERVE_SCRIPT, 1, this.key(key), String(this.options.perMinute), String(Math.floor(maxWaitMs))),
          deadline,
          { retry: true },
        );
        return Number(wait);
      } catch {
        // Fall through to the local budget.
      }
    }
    this.options.onFallback?.();
    return this.local.reserve(key, maxWaitMs);
  }

  observe(key: RateKey, headers: Record<string, HeaderValue>): void {
    this.local.observe(key, headers);
    const remaining = headerNumber(headers['x-ratelimit-remaining']);
    if (remaining === undefined || !this.options.redis.available()) return;
    const reset = headerNumber(headers['x-ratelimit-reset']);
    const limit = headerNumber(headers['x-ratelimit-limit']);
    const resetMs = reset === undefined ? 60_000 : resetDelayMs(reset, Date.now());
    this.options.redis
      .command((redis) => redis.eval(OBSERVE_SCRIPT, 1, this.key(key), String(Math.floor(remaining)), String(resetMs), String(limit ?? 0)))
      .catch(() => this.options.onFallback?.());
  }
}
