import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollerFactory } from '../../src/live/feeds.js';
import { parseMessage, RedisFeedTransport } from '../../src/shared-state/redis-feed-transport.js';
import type { FeedMessage } from '../../src/live/types.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { createClient as createSseClient } from 'graphql-sse';
import { startLiveStack } from '../helpers/live-stack.js';

let redis: TestRedis;
let client: Redis;
let publisher: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { keyPrefix: 'p:' });
  publisher = new Redis(redis.url);
});

afterAll(async () => {
  client?.disconnect();
  publisher?.disconnect();
  await redis?.stop();
});

const event = { kind: 'UPDATED', object: 'deal', id: 'd1', changedAt: '2026-01-01T00:00:00.000Z', record: { id: 'd1', type: 'deal', attributes: {} }, included: [] };

describe('Redis feed transport', () => {
  it('delivers an event published twice once, ignores what it did not write, and passes errors on', async () => {
    const transport = new RedisFeedTransport({ redis: client, keyPrefix: 'p:', leaseMs: 900 });
    const received: FeedMessage[] = [];
    // A poller that never polls: this test publishes by hand.
    const idle: PollerFactory = () => ({ start() {}, stop: async () => {} }) as unknown as ReturnType<PollerFactory>;
    const handle = transport.open('feed1', (message) => received.push(message), idle);
    const channel = 'p:live:events:feed1';
    await expect.poll(async () => Number(((await publisher.pubsub('NUMSUB', channel)) as unknown[])[1]) === 1, { timeout: 15_000, interval: 20, message: 'the subscription' }).toBe(true);
    await publisher.publish(channel, JSON.stringify({ events: [event] }));
    await publisher.publish(channel, 'not json');
    await publisher.publish(channel, JSON.stringify({ events: [event, { ...event, changedAt: '2026-01-01T00:00:01.000Z' }] }));
    await publisher.publish(channel, JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'refused' } }));
    await expect.poll(() => received.length === 3, { timeout: 15_000, interval: 20, message: 'three messages' }).toBe(true);
    expect(received[0]).toEqual({ events: [event] });
    expect(received[1]).toEqual({ events: [{ ...event, changedAt: '2026-01-01T00:00:01.000Z' }] });
    expect(received[2]).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'refused' } });
    // The lease is ours (the key carries the prefix, the token this host and process).
    expect(await publisher.get('p:live:lease:feed1')).toMatch(new RegExp(`/${process.pid}/`));
    // The feed counts among the deployment's polled feeds, which divide the poll budget.
    await expect.poll(() => transport.activeFeeds() === 1, { timeout: 15_000, interval: 20, message: 'the feed to be counted' }).toBe(true);
    await publisher.zadd('p:live:feeds', Date.now() + 60_000, 'polled-by-another-replica');
    await expect.poll(() => transport.activeFeeds() === 2, { timeout: 15_000, interval: 20, message: 'the other replica\'s feed to be counted' }).toBe(true);
    await handle.close();
    expect(await publisher.exists('p:live:lease:feed1')).toBe(0);
    expect(await publisher.zrange('p:live:feeds', 0, -1)).toEqual(['polled-by-another-replica']);
    await transport.close();
  });

  it('reads only well-formed messages', () => {
    expect(parseMessage('[]')).toBeUndefined();
    expect(parseMessage('{"events":[{"kind":"EXPLODED","id":"x","changedAt":"t","object":"deal"}]}')).toEqual({ events: [] });
    expect(parseMessage('{"error":{"code":1}}')).toBeUndefined();
  });

  it('divides the poll budget by the feeds polled in the whole deployment, not in this replica', async () => {
    const stack = await startLiveStack({ redis: { url: redis.url, keyPrefix: 'budget:' }, subscriptions: { pollsPerMinute: 600, leaseMs: 900 } });
    // 30 feeds that other replicas poll: with this replica's 2 (changes and deletions), 32 share
    // 600 polls a minute, so each polls every 3.2 s instead of every 200 ms.
    for (let i = 0; i < 30; i++) await publisher.zadd('budget:live:feeds', Date.now() + 600_000, `elsewhere-${i}`);
    const client = createSseClient({ url: stack.url, retryAttempts: 0 });
    const iterator = client.iterate({ query: 'subscription { dealChanged { id } }' });
    const reading = (async () => {
      for await (const item of iterator) void item;
    })();
    try {
      await expect.poll(() => stack.gateway.live!.stats().pollers === 2, { timeout: 15_000, interval: 20, message: 'both pollers' }).toBe(true);
      await expect.poll(() => stack.gateway.live!.stats().polls >= 1 && stack.gateway.live!.stats().pollsPerMinute < 2 * (60_000 / 3200) + 1, { timeout: 10_000, interval: 20, message: 'the pollers to slow down to the shared budget' }).toBe(true);
    } finally {
      await iterator.return?.();
      client.dispose();
      await reading.catch(() => undefined);
      await stack.close();
    }
  });
});
