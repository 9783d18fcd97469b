import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest, startLiveStack, type LiveStack } from '../helpers/live-stack.js';

let stack: LiveStack;

beforeAll(async () => {
  stack = await startLiveStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('a subscription no transport can carry', () => {
  it('is answered 406 and leaves no feed polling behind', async () => {
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: 'subscription { dealChanged { id } }' }),
      });
      expect(response.status).toBe(406);
      await response.text();
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 0 && stack.gateway.live!.stats().feeds === 0, { timeout: 5000, interval: 20, message: `the ${accept} subscription to end` }).toBe(true);
    }
  });
});

describe('@defer inside a subscription', () => {
  it('delivers each change as its payload followed by the deferred part, over SSE', async () => {
    const list = await rest(stack.sandbox, 'GET', '/objects/deal/resources?page[limit]=1');
    const id = (list?.data as { id: string }[])[0]!.id;
    const client = createClient({ url: stack.url, retryAttempts: 0 });
    const items: unknown[] = [];
    const iterator = client.iterate({ query: `subscription { dealChanged(filter: { name: { is: "Deferred change" } }) { kind id: clarifyId ... @defer(label: "record") { record { name } } } }` });
    const reading = (async () => {
      for await (const item of iterator) items.push(item);
    })();
    try {
      await expect.poll(() => stack.gateway.live!.stats().pollers === 2 && stack.gateway.live!.stats().polls >= 1, { timeout: 15_000, interval: 20, message: 'the feed to poll' }).toBe(true);
      await rest(stack.sandbox, 'PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { name: 'Deferred change' } } });
      await expect.poll(() => items.length >= 2, { timeout: 15_000, interval: 20, message: 'the change and its deferred part' }).toBe(true);
      // The record comes with the poll: the event costs no call. Each payload says so.
      const cost = { cost: { predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit: 50 } };
      expect(items[0]).toEqual({ data: { dealChanged: { kind: 'UPDATED', id } }, hasNext: true, extensions: cost });
      expect(items[1]).toEqual({ incremental: [{ data: { record: { name: 'Deferred change' } }, path: ['dealChanged'], label: 'record' }], hasNext: false, extensions: cost });
      // `hasNext: false` ends that change's delivery, not the subscription: the next change follows.
      await rest(stack.sandbox, 'PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { amount: 4242 } } });
      await expect.poll(() => items.length >= 4, { timeout: 15_000, interval: 20, message: 'the next change' }).toBe(true);
      expect(items.slice(2)).toEqual(items.slice(0, 2));
    } finally {
      await iterator.return?.();
      client.dispose();
      await reading.catch(() => undefined);
    }
  });
});
