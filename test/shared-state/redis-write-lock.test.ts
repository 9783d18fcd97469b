import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClarifyError } from '../../src/client/errors.js';
import { connectRedis, type SharedRedis } from '../../src/shared-state/redis.js';
import { RedisWriteLock } from '../../src/shared-state/redis-write-lock.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { redisAvailable } from '../helpers/redis-availability.js';

// Two lock instances on one Redis stand for two gateway replicas.

let redis: TestRedis;
let connections: SharedRedis[];
let unavailable = 0;

/** How long no lock is granted after Redis lost its locks; short, so the tests wait little. */
const RESTART_GUARD_MS = 300;

const lockOn = (connection: SharedRedis, leaseMs?: number) =>
  new RedisWriteLock({ redis: connection, leaseMs, restartGuardMs: RESTART_GUARD_MS, onUnavailable: () => (unavailable += 1) });

/** Runs `work` under the lock once Redis grants it again after losing its locks. */
function once<T>(lock: RedisWriteLock, key: string, work: () => Promise<T>): Promise<T> {
  return vi.waitFor(() => lock.withLock(key, work), { timeout: 10_000, interval: 50 });
}

/** Lua scripts Redis has run so far (every lock attempt, renewal and release is one). */
async function scriptsRun(): Promise<number> {
  const info = await connections[0]!.client.info('commandstats');
  return [...info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = await startRedis();
  connections = [connectRedis({ url: redis.url, keyPrefix: 'locks:' }), connectRedis({ url: redis.url, keyPrefix: 'locks:' })];
  await redisAvailable(connections, true);
  // A fresh Redis holds no locks yet: none are granted during the guard.
  await once(lockOn(connections[0]!), 'warm-up', async () => undefined);
});

afterAll(async () => {
  await Promise.all((connections ?? []).map((c) => c.close()));
  await redis?.stop();
});

describe('relationship-write lock in Redis', () => {
  it('never lets two replicas hold the same key at once, and runs every holder', async () => {
    const [a, b] = connections.map((c) => lockOn(c));
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const work = (n: number) => async () => {
      active += 1;
      most = Math.max(most, active);
      await pause(15);
      order.push(n);
      active -= 1;
      return n;
    };
    const results = await Promise.all(Array.from({ length: 12 }, (_, n) => (n % 2 === 0 ? a! : b!).withLock('deal-1/people', work(n))));
    expect(results).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect(most).toBe(1);
    expect(order).toHaveLength(12);
    expect(await connections[0]!.client.exists('lock:deal-1/people')).toBe(0);
  });

  it('lets different keys proceed side by side', async () => {
    const [a, b] = connections.map((c) => lockOn(c));
    let active = 0;
    let most = 0;
    const work = async () => {
      active += 1;
      most = Math.max(most, active);
      await pause(50);
      active -= 1;
    };
    await Promise.all([a!.withLock('one', work), b!.withLock('two', work)]);
    expect(most).toBe(2);
  });

  it('gives up with CONFLICT when the deadline passes while another replica holds the key', async () => {
    const [a, b] = connections.map((c) => lockOn(c));
    let release!: () => void;
    const held = a!.withLock('busy', () => new Promise<void>((resolve) => (release = resolve)));
    await expect.poll(() => release !== undefined, { timeout: 10_000 }).toBe(true);
    let ran = false;
    const waiting = b!.withLock('busy', async () => void (ran = true), { deadline: Date.now() + 150 });
    await expect(waiting).rejects.toBeInstanceOf(ClarifyError);
    await expect(waiting).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(ran).toBe(false);
    release();
    await held;
  });

  it('frees the key of a holder that vanished once its lease runs out', async () => {
    await connections[0]!.client.set('lock:orphan', 'someone-gone', 'PX', 60_000);
    let leaseRanOut = false;
    let ranWhileHeld = false;
    const scripts = await scriptsRun();
    const granted = lockOn(connections[1]!).withLock('orphan', async () => void (ranWhileHeld = !leaseRanOut), { deadline: Date.now() + 10_000 });
    // Refused twice while the orphan's lease runs; then the lease runs out.
    await expect.poll(scriptsRun, { timeout: 10_000 }).toBeGreaterThanOrEqual(scripts + 2);
    leaseRanOut = true;
    await connections[0]!.client.pexpire('lock:orphan', 1);
    await granted;
    expect(ranWhileHeld).toBe(false);
  });

  it('refuses with WRITE_LOCK_UNAVAILABLE, without running the work, while Redis is down', async () => {
    const lock = lockOn(connections[0]!);
    await redis.kill();
    await redisAvailable([connections[0]], false);
    const before = unavailable;
    let ran = 0;
    const refused = lock.withLock('while-down', async () => void (ran += 1));
    await expect(refused).rejects.toBeInstanceOf(GraphQLError);
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'WRITE_LOCK_UNAVAILABLE', retryAfter: 1 } });
    expect(ran).toBe(0);
    expect(unavailable).toBe(before + 1);
    await redis.start();
    await redisAvailable(connections, true);
    expect(await once(lock, 'while-down', async () => 'done')).toBe('done');
  });

  it('grants no lock for restartGuardMs after Redis came back without its data, and then grants it', async () => {
    const lock = lockOn(connections[0]!);
    await redis.kill();
    await redis.start();
    await redisAvailable(connections, true);
    let ran = 0;
    const refused = lock.withLock('after-restart', async () => void (ran += 1));
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'WRITE_LOCK_UNAVAILABLE', retryAfter: 1 } });
    expect(ran).toBe(0);
    expect(await connections[0]!.client.exists('lock:since')).toBe(1);
    expect(await once(lock, 'after-restart', async () => 'done')).toBe('done');
  });

  it('refuses while Redis is stalled, within the command timeout, and takes the key back when Redis answers again', async () => {
    const lock = lockOn(connections[0]!);
    redis.pause();
    let ran = 0;
    try {
      await expect(lock.withLock('stalled', async () => void (ran += 1), { deadline: Date.now() + 10_000 })).rejects.toMatchObject({
        extensions: { code: 'WRITE_LOCK_UNAVAILABLE' },
      });
      // A PING unanswered as well: Redis counts as unavailable, and edits are refused at once.
      await redisAvailable([connections[0]], false);
      await expect(lock.withLock('stalled', async () => void (ran += 1))).rejects.toMatchObject({ extensions: { code: 'WRITE_LOCK_UNAVAILABLE' } });
    } finally {
      redis.resume();
    }
    expect(ran).toBe(0);
    await redisAvailable([connections[0]], true);
    // The SET that timed out ran once Redis woke up, and the release sent after it removed it again.
    expect(await connections[1]!.client.exists('lock:stalled')).toBe(0);
    expect(await lock.withLock('stalled', async () => 'done')).toBe('done');
  });

  it('reports OUTCOME_UNKNOWN, not success, when Redis lost the key while the work ran', async () => {
    const lock = lockOn(connections[0]!);
    let release!: () => void;
    let started = false;
    const holding = lock.withLock('restarted', async () => {
      started = true;
      await new Promise<void>((resolve) => (release = resolve));
      return 'written';
    });
    await expect.poll(() => started, { timeout: 10_000 }).toBe(true);
    await redis.kill();
    await redis.start();
    await redisAvailable(connections, true);
    // Another replica can take the key after the guard: the first holder must not claim its edit held.
    expect(await once(lockOn(connections[1]!), 'restarted', async () => 'other')).toBe('other');
    release();
    await expect(holding).rejects.toMatchObject({ extensions: { code: 'OUTCOME_UNKNOWN', mayHaveBeenWritten: true, failure: 'WRITE_LOCK_UNAVAILABLE' } });
  });
});
