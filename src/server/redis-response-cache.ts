import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';

/**
 * The response cache's store in Redis, seen by every replica.
 *
 * - `<prefix>rc:v:<responseId>`: the cached result (JSON), expiring after its TTL.
 * - `<prefix>rc:e:<tag>`: the set of response ids whose answer contains the tag: a type
 *   (`Person`), an entity (`Person:<id>`) or a list of a type (`Person[]`). A set lives as long
 *   as the longest-lived response in it.
 *
 * Invalidation reads the sets and deletes the responses in one Lua script, so it is atomic and
 * needs no `KEYS` scan; the ioredis key prefix applies to every key, which is what lets several
 * gateways or tenants share one Redis.
 */

type CacheEntity = { typename: string; id?: number | string };

const SET_SCRIPT = `
local value_key = KEYS[1]
local response_id = ARGV[1]
local ttl = tonumber(ARGV[3])
local tag_prefix = ARGV[4]
redis.call('SET', value_key, ARGV[2], 'PX', ttl)
for i = 5, #ARGV do
  local tag_key = tag_prefix .. ARGV[i]
  redis.call('SADD', tag_key, response_id)
  local current = redis.call('PTTL', tag_key)
  if current < ttl then redis.call('PEXPIRE', tag_key, ttl) end
end
return 1
`;

const INVALIDATE_SCRIPT = `
local tag_prefix = ARGV[1]
local value_prefix = ARGV[2]
local removed = 0
for i = 3, #ARGV do
  local tag_key = tag_prefix .. ARGV[i]
  local members = redis.call('SMEMBERS', tag_key)
  for _, response_id in ipairs(members) do
    removed = removed + redis.call('DEL', value_prefix .. response_id)
  end
  redis.call('DEL', tag_key)
end
return removed
`;

export interface RedisResponseCacheOptions {
  redis: Redis;
  /** The key prefix the client was created with (scripts build keys themselves). */
  keyPrefix: string;
}

/** Tags under which a response is filed: `Type`, `Type:id`, and list tags `Type[]` as given. */
export function entityTag(entity: CacheEntity): string {
  return entity.id === undefined || entity.id === null ? entity.typename : `${entity.typename}:${String(entity.id)}`;
}

export class RedisResponseCache implements Cache {
  private readonly redis: Redis;
  private readonly tagPrefix: string;
  private readonly valuePrefix: string;

  constructor(options: RedisResponseCacheOptions) {
    this.redis = options.redis;
    this.tagPrefix = `${options.keyPrefix}rc:e:`;
    this.valuePrefix = `${options.keyPrefix}rc:v:`;
  }

  /** Stores a result; entities include the types of every record in it. Rejects when Redis fails. */
  async set(responseId: string, result: ExecutionResult, entities: Iterable<CacheEntity>, ttl: number): Promise<void> {
    if (!(ttl > 0)) return;
    const tags = new Set<string>();
    for (const entity of entities) {
      tags.add(entity.typename);
      tags.add(entityTag(entity));
    }
    const ttlMs = Number.isFinite(ttl) ? Math.max(1, Math.round(ttl)) : 86_400_000;
    // The value key goes through KEYS so ioredis prefixes it; the tags are built in the script.
    await this.redis.eval(
      SET_SCRIPT,
      1,
      `rc:v:${responseId}`,
      responseId,
      JSON.stringify(result),
      String(ttlMs),
      this.tagPrefix,
      ...tags,
    );
  }

  async get(responseId: string): Promise<ExecutionResult | undefined> {
    const raw = await this.redis.get(`rc:v:${responseId}`);
    if (raw === null) return undefined;
    return JSON.parse(raw) as ExecutionResult;
  }

  async invalidate(entities: Iterable<CacheEntity>): Promise<void> {
    const tags = [...new Set([...entities].map(entityTag))];
    if (tags.length === 0) return;
    await this.redis.eval(INVALIDATE_SCRIPT, 0, this.tagPrefix, this.valuePrefix, ...tags);
  }
}
