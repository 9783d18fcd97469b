import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFingerprint } from '../../src/client/credential-fingerprint.js';
import type { RateKey } from '../../src/client/rate-limit.js';
import { connectRedis, type SharedRedis } from '../../src/shared-state/redis.js';
import { RedisRateBudget } from '../../src/shared-state/redis-rate-budget.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { redisAvailable } from '../helpers/redis-availability.js';

// The shared budget's arithmetic on a real Redis; two instances stand for two replicas.

let redis: TestRedis;
let connection: SharedRedis;
let fallbacks = 0;
let n = 0;

const budget = (perMinute: number) =>
  new RedisRateBudget({ redis: connection, workspace: 'demo', perMinute, onFallback: () => (fallbacks += 1) });
/** A key of its own per test, so buckets never carry over. */
const key = () => ({ route: `GET /objects/:object/resources#${++n}`, credential: 'api-key budget-test' });

/** What Redis holds for a key's budget: the field Clarify's headers last set. */
const stored = (k: RateKey, field: 'remaining' | 'limit') => connection.client.hget(`rl:demo:${credentialFingerprint(k.credential)}:${k.route}`, field);

/**
 * `observe` writes in the background on the shared connection; Redis runs one connection's
 * commands in order, so once a later PING answers, the observation has been applied.
 */
const observed = () => connection.client.ping();

beforeAll(async () => {
  redis = await startRedis();
  connection = connectRedis({ url: redis.url, keyPrefix: 'budget-test:' });
  await redisAvailable([connection], true);
});

afterAll(async () => {
  await connection?.close();
  await redis?.stop();
});

describe('rate budget in Redis', () => {
  it('without rate headers, gives the configured calls per minute at once, then spaces them at that rate', async () => {
    const [a, b] = [budget(60), budget(60)];
    const k = key();
    const waits: number[] = [];
    for (let i = 0; i < 60; i++) waits.push(await (i % 2 ? a : b).reserve(k, 0));
    expect(waits.every((w) => w === 0)).toBe(true);
    const next = await a.reserve(k, 0);
    expect(next).toBeGreaterThan(0);
    expect(next).toBeLessThanOrEqual(1000);
    // Booking with room to wait queues callers one interval apart.
    const queued = [await a.reserve(k, 5000), await b.reserve(k, 5000)];
    expect(queued[0]).toBeGreaterThan(0);
    expect(queued[1]! - queued[0]!).toBeGreaterThanOrEqual(900);
  });

  it('follows X-RateLimit-Remaining until X-RateLimit-Reset, shared by every replica', async () => {
    const [a, b] = [budget(3000), budget(3000)];
    const k = key();
    // What one replica learns from an answer (written in the background), the other obeys.
    a.observe(k, { 'x-ratelimit-limit': '3000', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '5' });
    await expect.poll(() => stored(k, 'remaining')).toBe('2');
    expect(await b.reserve(k, 0)).toBe(0);
    expect(await a.reserve(k, 0)).toBe(0);
    const third = await b.reserve(k, 100);
    expect(third).toBeGreaterThan(4000);
    expect(third).toBeLessThanOrEqual(5000);
    // Within the window a larger count arriving late does not raise the budget again.
    b.observe(k, { 'x-ratelimit-limit': '3000', 'x-ratelimit-remaining': '40', 'x-ratelimit-reset': '5' });
    await observed();
    expect(await stored(k, 'remaining')).toBe('0');
    expect(await a.reserve(k, 100)).toBeGreaterThan(4000);
  });

  it('takes the bucket size from X-RateLimit-Limit', async () => {
    const a = budget(3000);
    const k = key();
    a.observe(k, { 'x-ratelimit-limit': '4', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '1' });
    await expect.poll(() => stored(k, 'limit')).toBe('4');
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await a.reserve(k, 0));
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits[4]).toBeGreaterThan(0);
  });

  it('answers from the local budget while Redis is down, and counts it', async () => {
    const a = budget(3000);
    await redis.kill();
    await redisAvailable([connection], false);
    const before = fallbacks;
    expect(await a.reserve(key(), 0)).toBe(0);
    expect(fallbacks).toBe(before + 1);
    await redis.start();
    await redisAvailable([connection], true);
  });
});
