import type { Redis } from 'ioredis';

/**
 * Registrations in Redis: documents in the hash `td:apq:docs`, their expiry (Redis time, ms) in the
 * sorted set `td:apq:expiry` and their total bytes in `td:apq:bytes`. Registering drops expired
 * entries, then the oldest until the new one fits.
 */
const APQ_KEYS = ['td:apq:docs', 'td:apq:expiry', 'td:apq:bytes'] as const;

const REGISTER_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id, doc, ttl, max = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local total = math.max(0, tonumber(redis.call('GET', KEYS[3]) or '0'))
local function drop(member)
  local old = redis.call('HGET', KEYS[1], member)
  if old then
    total = math.max(0, total - string.len(old))
    redis.call('HDEL', KEYS[1], member)
  end
  redis.call('ZREM', KEYS[2], member)
end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)) do drop(member) end
drop(id)
local size = string.len(doc)
while total + size > max do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #oldest == 0 then break end
  drop(oldest[1])
end
if total + size > max then
  redis.call('SET', KEYS[3], tostring(total))
  return 0
end
redis.call('HSET', KEYS[1], id, doc)
redis.call('ZADD', KEYS[2], now + ttl, id)
redis.call('SET', KEYS[3], tostring(total + size))
return 1
`;

const LOOKUP_SCRIPT = `
local expires = tonumber(redis.call('ZSCORE', KEYS[2], ARGV[1]))
if not expires then return false end
local t = redis.call('TIME')
if expires <= tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) then return false end
return redis.call('HGET', KEYS[1], ARGV[1])
`;

/**
 * Trusted documents in Redis, shared by every replica: the allow-list each replica publishes (the
 * hash `td:docs`) and documents registered by automatic persisted queries (above). Its callers
 * decide what a Redis failure means; every method may throw.
 */
export class RedisDocumentStore {
  constructor(
    private readonly redis: Redis,
    private readonly apq: { ttlSeconds: number; maxBytes: number },
  ) {}

  /** A document of the published allow-list. */
  listed(id: string): Promise<string | null> {
    return this.redis.hget('td:docs', id);
  }

  /** A registered document that has not expired. */
  async registered(id: string): Promise<string | null> {
    return (await this.redis.eval(LOOKUP_SCRIPT, 2, APQ_KEYS[0], APQ_KEYS[1], id)) as string | null;
  }

  /** Registers a document, dropping expired and then the oldest entries until it fits. */
  async register(id: string, document: string): Promise<void> {
    await this.redis.eval(REGISTER_SCRIPT, 3, ...APQ_KEYS, id, document, String(this.apq.ttlSeconds * 1000), String(this.apq.maxBytes));
  }

  /** Publishes an allow-list for the replicas that start without the file. */
  async publish(allowList: ReadonlyMap<string, string>): Promise<void> {
    if (allowList.size > 0) await this.redis.hset('td:docs', Object.fromEntries(allowList));
  }
}
