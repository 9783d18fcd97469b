import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ClarifyError } from '../client/errors.js';
import { sleep } from '../client/semaphore.js';
import { InProcessWriteLock, type WriteLock } from '../loaders/write-lock.js';

/**
 * The relationship-write lock across replicas: a Redis key per locked resource
 * (`<prefix>lock:<key>`), taken with `SET NX PX` under a random token, renewed while the work
 * runs and released by a script that deletes it only when the token is still ours. Inside one
 * process the in-process lock is taken first, so only one of its requests polls Redis per key.
 *
 * If Redis is unreachable the in-process lock alone is held (counted as a fallback): writes keep
 * working, serialised per replica only.
 */

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

export interface RedisWriteLockOptions {
  redis: Redis;
  available: () => boolean;
  /** How long a lock lives without renewal, in ms (a crashed holder frees it after this). Default 15 000. */
  leaseMs?: number;
  /** Pause between attempts to take a held lock, in ms. Default 25. */
  pollMs?: number;
  onFallback?: () => void;
}

function conflict(key: string, reason: string): ClarifyError {
  return new ClarifyError(`Another write to ${key} is still running: ${reason}`, {
    code: 'CONFLICT',
    route: 'write lock',
    issues: [{ detail: `Another write to the same relationship is still running; ${reason}` }],
  });
}

export class RedisWriteLock implements WriteLock {
  private readonly local = new InProcessWriteLock();
  private readonly options: RedisWriteLockOptions;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(options: RedisWriteLockOptions) {
    this.options = options;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollMs = options.pollMs ?? 25;
  }

  withLock<T>(key: string, work: () => Promise<T>, options: { deadline?: number; signal?: AbortSignal } = {}): Promise<T> {
    return this.local.withLock(key, () => this.withSharedLock(key, work, options), options);
  }

  private async withSharedLock<T>(key: string, work: () => Promise<T>, options: { deadline?: number; signal?: AbortSignal }): Promise<T> {
    const redisKey = `lock:${key}`;
    const token = randomUUID();
    const taken = await this.take(redisKey, token, key, options);
    if (!taken) return work();
    const renewal = setInterval(() => {
      this.options.redis.eval(RENEW_SCRIPT, 1, redisKey, token, String(this.leaseMs)).catch(() => undefined);
    }, Math.max(100, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.options.redis.eval(RELEASE_SCRIPT, 1, redisKey, token).catch(() => undefined);
    }
  }

  /** True once the Redis lock is ours; false when Redis is unavailable (the local lock stands alone). */
  private async take(redisKey: string, token: string, key: string, options: { deadline?: number; signal?: AbortSignal }): Promise<boolean> {
    for (;;) {
      if (!this.options.available()) {
        this.options.onFallback?.();
        return false;
      }
      try {
        if ((await this.options.redis.set(redisKey, token, 'PX', this.leaseMs, 'NX')) === 'OK') return true;
      } catch {
        this.options.onFallback?.();
        return false;
      }
      if (options.signal?.aborted) throw conflict(key, 'the request was cancelled while waiting');
      if (options.deadline !== undefined && Date.now() + this.pollMs >= options.deadline) {
        throw conflict(key, 'the request deadline passed while waiting');
      }
      try {
        await sleep(this.pollMs, options.signal);
      } catch {
        throw conflict(key, 'the request was cancelled while waiting');
      }
    }
  }
}
