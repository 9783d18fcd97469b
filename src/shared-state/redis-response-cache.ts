import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CachedAnswer, ResponseStore } from './memory-response-cache.js';

/**
 * The response cache's store in Redis, seen by every replica.
 *
 * - `<prefix>rc:v:<key>`: a cached answer (JSON), expiring after its TTL;
 * - `<prefix>rc:e:<tag>`: the keys of the answers filed under a tag, as long as the longest of them lives;
 * - `<prefix>rc:f:<family>`: the family's version, a random token changed by every invalidation;
 * - `<prefix>rc:l:<key>`: the claim of the replica reading that key upstream, while it does.
 *
 * A store checks, in the same script, that the versions it was given (read before the answer was
 * fetched upstream) are still current, so an answer read across a write is never stored. An
 * invalidation deletes the answers under its tags and changes their families' versions in one
 * script. Scripts build the tag and version keys themselves (no `KEYS` scan); the ioredis key
 * prefix lets several gateways or tenants share one Redis.
 */

const SET_SCRIPT = `
local value_key = KEYS[1]
local key = ARGV[1]
local ttl = tonumber(ARGV[3])
local tag_prefix = ARGV[4]
local family_prefix = ARGV[5]
local families = tonumber(ARGV[6])
for i = 1, families do
  local current = redis.call('GET', family_prefix .. ARGV[6 + i]) or ''
  if current ~= ARGV[6 + families + i] then return 0 end
end
redis.call('SET', value_key, ARGV[2], 'PX', ttl)
for i = 7 + 2 * families, #ARGV do
  local tag_key = tag_prefix .. ARGV[i]
  redis.call('SADD', tag_key, key)
  if redis.call('PTTL', tag_key) < ttl then redis.call('PEXPIRE', tag_key, ttl) end
end
return 1
`;

const INVALIDATE_SCRIPT = `
local tag_prefix = ARGV[1]
local value_prefix = ARGV[2]
local family_prefix = ARGV[3]
local version = ARGV[4]
local families = tonumber(ARGV[5])
for i = 1, families do
  redis.call('SET', family_prefix .. ARGV[5 + i], version, 'PX', ${7 * 24 * 3600 * 1000})
end
local removed = 0
for i = 6 + families, #ARGV do
  local tag_key = tag_prefix .. ARGV[i]
  for _, key in ipairs(redis.call('SMEMBERS', tag_key)) do
    removed = removed + redis.call('DEL', value_prefix .. key)
  end
  redis.call('DEL', tag_key)
end
return removed
`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisResponseCacheOptions {
  redis: Redis;
  /** The key prefix the client was created with (scripts build keys themselves). */
  keyPrefix: string;
}

/** Every method rejects when Redis fails; the layered cache decides what that means. */
export class RedisResponseCache implements ResponseStore {
  private readonly redis: Redis;
  private readonly tagPrefix: string;
  private readonly valuePrefix: string;
  private readonly familyPrefix: string;

  constructor(options: RedisResponseCacheOptions) {
    this.redis = options.redis;
    this.tagPrefix = `${options.keyPrefix}rc:e:`;
    this.valuePrefix = `${options.keyPrefix}rc:v:`;
    this.familyPrefix = `${options.keyPrefix}rc:f:`;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const raw = await this.redis.get(`rc:v:${key}`);
    return raw === null ? undefined : (JSON.parse(raw) as CachedAnswer);
  }

  async versions(families: readonly string[]): Promise<string[]> {
    if (families.length === 0) return [];
    const values = await this.redis.mget(...families.map((family) => `rc:f:${family}`));
    return values.map((value) => value ?? '');
  }

  async set(key: string, answer: CachedAnswer, tags: readonly string[], ttlMs: number, families: readonly string[], seen: readonly string[]): Promise<boolean> {
    if (!(ttlMs > 0)) return false;
    // The value key goes through KEYS so ioredis prefixes it; the others are built in the script.
    const stored = await this.redis.eval(
      SET_SCRIPT,
      1,
      `rc:v:${key}`,
      key,
      JSON.stringify(answer),
      String(Math.max(1, Math.round(ttlMs))),
      this.tagPrefix,
      this.familyPrefix,
      String(families.length),
      ...families,
      ...seen,
      ...tags,
    );
    return stored === 1;
  }

  async claim(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`rc:l:${key}`, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }

  async claimed(key: string): Promise<boolean> {
    return (await this.redis.exists(`rc:l:${key}`)) === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, `rc:l:${key}`, token);
  }

  async invalidate(tags: readonly string[], families: readonly string[]): Promise<void> {
    if (tags.length === 0 && families.length === 0) return;
    await this.redis.eval(INVALIDATE_SCRIPT, 0, this.tagPrefix, this.valuePrefix, this.familyPrefix, randomUUID(), String(families.length), ...families, ...tags);
  }
}
