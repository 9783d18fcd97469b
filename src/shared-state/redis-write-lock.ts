import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ClarifyError } from '../client/errors.js';
import { sleep } from '../client/semaphore.js';
import type { ErrorCode } from '../errors/codes.js';
import { InProcessWriteLock, type WriteLock } from '../loaders/write-lock.js';
import type { SharedRedis } from './redis.js';

/**
 * The relationship-write lock across replicas: a Redis key per locked resource
 * (`<prefix>lock:<key>`), taken with `SET NX PX` under a random token, renewed while the work
 * runs and released by a script that deletes it only when the token is still ours. Inside one
 * process the in-process lock is taken first, so only one of its requests polls Redis per key.
 *
 * It never fails open. While Redis is unreachable or stalled, or does not answer the `SET` within
 * the command timeout, the edit is refused with `WRITE_LOCK_UNAVAILABLE` before its work starts
 * (no upstream call). The lease covers the whole request deadline, so a holder keeps the key even
 * if Redis stops answering while it works. An edit whose work ended but whose release does not
 * find its token (Redis restarted without its data, so another replica may have taken the key) or
 * cannot ask Redis is reported as `OUTCOME_UNKNOWN`, never as a success another replica may undo.
 *
 * Redis that comes back without its data (a restart without persistence, a flush) has forgotten
 * the locks of edits that may still run. The key `<prefix>lock:since` (no expiry) says since when
 * Redis has held the locks; when it is missing it is set to now, and no lock is granted until it
 * is `restartGuardMs` old, the longest an edit that held a forgotten lock may still run.
 */

/** Sets `lock:since` to Redis's time unless it is set. */
const SINCE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local t = redis.call('TIME')
redis.call('SET', KEYS[1], tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)))
return 1
`;

/** 1: taken; 0: another holds it; a negative number: refused for that many more ms after Redis lost its locks. */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local since = tonumber(redis.call('GET', KEYS[2]))
if not since then
  since = now
  redis.call('SET', KEYS[2], tostring(now))
end
local guard = tonumber(ARGV[3])
if now - since < guard then return -(guard - (now - since)) end
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
-- Sent again after a late answer: the first one may have taken it.
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0
`;

/** 1: the key held our token and is gone (now or by an earlier run of this script); 0: it was not ours. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], '1', 'PX', 60000)
  return 1
end
if redis.call('EXISTS', KEYS[2]) == 1 then return 1 end
return 0
`;

const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Lease beyond the request deadline, in ms: the work's last call may end a little after it. */
export const LEASE_MARGIN_MS = 1000;

const SINCE_KEY = 'lock:since';

/** How long a release is asked again after late answers, while Redis is not known to have stalled, in ms. */
const RELEASE_PATIENCE_MS = 2000;

export interface RedisWriteLockOptions {
  redis: Pick<SharedRedis, 'client' | 'command' | 'available'>;
  /** Least time a lock lives without renewal, in ms (a crashed holder frees it after this). Default 15 000. */
  leaseMs?: number;
  /** Pause between attempts to take a held lock, in ms. Default 25. */
  pollMs?: number;
  /**
   * How long after Redis lost its locks (restarted empty, flushed, first started) no lock is
   * granted, in ms: the longest an edit may run. Default `leaseMs`.
   */
  restartGuardMs?: number;
  /** Called for each edit refused or left unknown because Redis could not be used. */
  onUnavailable?: () => void;
}

function conflict(key: string, reason: string): ClarifyError {
  return new ClarifyError(`Another write to ${key} is still running: ${reason}`, {
    code: 'CONFLICT',
    route: 'write lock',
    issues: [{ detail: `Another write to the same relationship is still running; ${reason}` }],
  });
}

const UNAVAILABLE: ErrorCode = 'WRITE_LOCK_UNAVAILABLE';

function unavailable(retryAfterMs = 1000, reason = 'cannot be reached'): GraphQLError {
  return new GraphQLError(
    `The lock that keeps edits of one relationship apart across replicas (in Redis) ${reason}; nothing was written. Retry shortly.`,
    { extensions: { code: UNAVAILABLE, retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) } },
  );
}

function lost(): GraphQLError {
  const code: ErrorCode = 'OUTCOME_UNKNOWN';
  return new GraphQLError(
    'The edit was sent, but the lock that kept other replicas out could not be confirmed at its end (Redis was unreachable or lost it); another edit may have replaced it. Read the record before sending it again.',
    { extensions: { code, mayHaveBeenWritten: true, failure: UNAVAILABLE } },
  );
}

export class RedisWriteLock implements WriteLock {
  private readonly local = new InProcessWriteLock();
  private readonly options: RedisWriteLockOptions;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly restartGuardMs: number;

  constructor(options: RedisWriteLockOptions) {
    this.options = options;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollMs = options.pollMs ?? 25;
    this.restartGuardMs = options.restartGuardMs ?? this.leaseMs;
  }

  /**
   * Starts the guard as soon as Redis is reached (call it whenever it becomes available), so that
   * a new or emptied Redis has usually passed it before the first edit arrives.
   */
  async markSince(): Promise<void> {
    await this.options.redis.command((redis) => redis.eval(SINCE_SCRIPT, 1, SINCE_KEY));
  }

  withLock<T>(key: string, work: () => Promise<T>, options: { deadline?: number; signal?: AbortSignal } = {}): Promise<T> {
    return this.local.withLock(key, () => this.withSharedLock(key, work, options), options);
  }

  private async withSharedLock<T>(key: string, work: () => Promise<T>, options: { deadline?: number; signal?: AbortSignal }): Promise<T> {
    const redisKey = `lock:${key}`;
    const token = randomUUID();
    const leaseMs = Math.max(this.leaseMs, options.deadline === undefined ? 0 : options.deadline - Date.now() + LEASE_MARGIN_MS);
    await this.take(redisKey, token, key, leaseMs, options);
    const renewal = setInterval(() => {
      this.options.redis.command((redis) => redis.eval(RENEW_SCRIPT, 1, redisKey, token, String(leaseMs))).catch(() => undefined);
    }, Math.max(100, Math.floor(leaseMs / 3)));
    renewal.unref();
    let result: T;
    try {
      result = await work();
    } catch (error) {
      this.release(redisKey, token).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(renewal);
    }
    const released = await this.release(redisKey, token).catch(() => false);
    if (!released) {
      this.options.onUnavailable?.();
      throw lost();
    }
    return result;
  }

  /** Deletes the key if it still holds our token; true when it did. */
  private async release(redisKey: string, token: string): Promise<boolean> {
    const released = await this.options.redis.command(
      (redis) => redis.eval(RELEASE_SCRIPT, 2, redisKey, `lock:released:${token}`, token),
      Date.now() + RELEASE_PATIENCE_MS,
      { retry: true },
    );
    return released === 1;
  }

  /** Resolves once the Redis lock is ours; throws when it cannot be had. */
  private async take(redisKey: string, token: string, key: string, leaseMs: number, options: { deadline?: number; signal?: AbortSignal }): Promise<void> {
    for (;;) {
      if (options.signal?.aborted) throw conflict(key, 'the request was cancelled while waiting');
      let taken: unknown;
      try {
        taken = await this.options.redis.command(
          (redis) => redis.eval(TAKE_SCRIPT, 2, redisKey, SINCE_KEY, token, String(leaseMs), String(this.restartGuardMs)),
          options.deadline,
          { retry: true },
        );
      } catch {
        // The SET may still run once Redis answers: a release sent on the same connection runs after it.
        this.options.redis.client.eval(RELEASE_SCRIPT, 2, redisKey, `lock:released:${token}`, token).catch(() => undefined);
        if (options.deadline !== undefined && Date.now() >= options.deadline) throw conflict(key, 'the request deadline passed while waiting');
        this.options.onUnavailable?.();
        throw unavailable();
      }
      if (taken === 1) return;
      if (typeof taken === 'number' && taken < 0) {
        this.options.onUnavailable?.();
        throw unavailable(-taken, 'lost its locks a moment ago (Redis restarted or was emptied) and grants none until edits that held them are over');
      }
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
