import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type SharedRedis } from '../../src/shared-state/redis.js';
import { startRedis, waitForRedis, type TestRedis } from '../helpers/redis.js';
import { redisAvailable } from '../helpers/redis-availability.js';

describe('test Redis harness and the shared connection', () => {
  let redis: TestRedis;
  let shared: SharedRedis;

  beforeAll(async () => {
    redis = await startRedis();
    shared = connectRedis({ url: redis.url, keyPrefix: 'harness:' });
    await redisAvailable([shared], true);
  });

  afterAll(async () => {
    await shared.close();
    await redis.stop();
  });

  it('starts a private redis-server on a loopback port that answers commands under the key prefix', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    await shared.client.set('greeting', 'hello');
    expect(await shared.client.get('greeting')).toBe('hello');
    const raw = connectRedis({ url: redis.url, keyPrefix: '' });
    await redisAvailable([raw], true);
    expect(await raw.client.get('harness:greeting')).toBe('hello');
    await raw.close();
    expect(await shared.ping()).toBe(true);
  });

  it('survives a kill and a restart: commands fail fast while down, then the connection returns empty', async () => {
    await shared.client.set('before', '1');
    await redis.kill();
    expect(redis.running()).toBe(false);
    await redisAvailable([shared], false);
    expect(await shared.ping()).toBe(false);
    // Refused at once: no offline queue holds the command until Redis returns.
    await expect(shared.client.get('before')).rejects.toThrow(/enableOfflineQueue/);

    await redis.start();
    await waitForRedis(redis.port);
    await redisAvailable([shared], true);
    expect(await shared.client.get('before')).toBeNull();
    expect(await shared.ping()).toBe(true);
  });
});
