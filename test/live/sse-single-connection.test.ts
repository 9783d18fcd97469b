import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { collect, startLiveStack, type LiveStack } from '../helpers/live-stack.js';

const DEALS = /* GraphQL */ `
  subscription Deals($name: String!) {
    dealChanged(filter: { name: { is: $name } }) { kind id: clarifyId record { name amount company { name } } }
  }
`;

interface Result {
  data?: { dealChanged: { kind: string; id: string; record: { name: string; amount: number | null } | null } } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const token = 'a-caller-token-of-enough-length';
let sandbox: RunningSandbox;
let stack: LiveStack;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
  stack = await startLiveStack({ tokens: [token], allowUnauthenticated: false, maxPerConnection: 2 }, sandbox);
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: T }).data;
}

describe('graphql-sse single connection mode', () => {
  it('a client with singleConnection: true receives dealChanged after an updateDeal, and a query on the same stream', async () => {
    const created = await graphql<{ createDeal: { record: { id: string } } }>(
      'mutation ($name: String!) { createDeal(input: { name: $name, amount: 100 }) { record { id } } }',
      { name: 'Single connection deal' },
    );
    const id = created.createDeal.record.id;
    const client = createClient({ url: stack.url, singleConnection: true, headers: { Authorization: `Bearer ${token}` }, retryAttempts: 0 });
    try {
      const subscription = client.iterate({ query: DEALS, variables: { name: 'Single connection deal' } });
      const stream = collect(subscription) as unknown as { items: Result[]; done: Promise<void> };
      const query = await client.iterate<{ deal: { name: string } }>({ query: 'query ($id: ID!) { deal(id: $id) { name } }', variables: { id } }).next();
      expect(query.value).toMatchObject({ data: { deal: { name: 'Single connection deal' } } });
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 1 && stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
      await graphql('mutation ($id: ID!) { updateDeal(id: $id, input: { amount: 4200 }) { record { id } } }', { id });
      await expect.poll(() => stream.items.length >= 1, { timeout: 15_000, interval: 20, message: 'the change on the single connection' }).toBe(true);
      expect(stream.items[0]).toMatchObject({ data: { dealChanged: { kind: 'UPDATED', record: { name: 'Single connection deal', amount: 4200 } } } });
      expect(stream.items[0]!.data!.dealChanged.id).toBe(Buffer.from(id, 'base64url').toString().split(':')[1]);
      // Stopping the iteration sends DELETE ?operationId=…: the subscription ends on the gateway.
      await subscription.return?.();
      await stream.done;
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 0, { timeout: 15_000, interval: 20, message: 'the subscription to end' }).toBe(true);
    } finally {
      client.dispose();
    }
  });

  it('needs the same credential as every request: no token, no reservation; a stream serves only its caller', async () => {
    const refused = await fetch(stack.url, { method: 'PUT' });
    expect(refused.status).toBe(401);
    const reserved = await fetch(stack.url, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
    expect(reserved.status).toBe(201);
    const streamToken = await reserved.text();
    const stranger = await fetch(stack.url, { headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': streamToken } });
    expect(stranger.status).toBe(404);
  });

  it('runs at most MAX_SUBSCRIPTIONS_PER_CONNECTION operations per stream', async () => {
    const client = createClient({ url: stack.url, singleConnection: true, headers: { Authorization: `Bearer ${token}` }, retryAttempts: 0 });
    try {
      const iterators = [0, 1, 2].map((n) => client.iterate({ query: DEALS, variables: { name: `Limit ${n}` } }));
      const streams = iterators.map((iterator) => collect(iterator) as unknown as { items: Result[]; done: Promise<void> });
      await expect.poll(() => streams.some((s) => s.items.length === 1), { timeout: 15_000, interval: 20, message: 'one subscription to be refused' }).toBe(true);
      const answered = streams.filter((s) => s.items.length > 0);
      expect(answered).toHaveLength(1);
      expect(answered[0]!.items[0]!.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_LIMIT_EXCEEDED');
      for (const iterator of iterators) await iterator.return?.();
      await Promise.all(streams.map((s) => s.done));
    } finally {
      client.dispose();
    }
  });
});
