import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, rest, startLiveStack, type LiveStack } from '../helpers/live-stack.js';

const SUBSCRIPTION = /* GraphQL */ `
  subscription Deals {
    dealChanged {
      kind
      id: clarifyId
      changedAt
      record { id: clarifyId name amount company { name } }
    }
  }
`;

interface DealChange {
  dealChanged: { kind: string; id: string; changedAt: string; record: { id: string; name: string; amount: number | null; company: { name: string } | null } | null };
}

let stack: LiveStack;
let company: { id: string; name: string };

beforeAll(async () => {
  stack = await startLiveStack();
  const companies = await rest(stack.sandbox, 'GET', '/objects/company/resources?page[limit]=1');
  const first = (companies?.data as { id: string; attributes: { name: string } }[])[0]!;
  company = { id: first.id, name: first.attributes.name };
});

afterAll(async () => {
  await stack?.close();
});

function polls(): number {
  return stack.gateway.live!.stats().polls;
}

describe('subscriptions over Server-Sent Events and WebSocket', () => {
  it('deliver a change made through the REST API to a graphql-sse and a graphql-ws subscriber within 2 polls, with kind and nested selection', async () => {
    const sse = createSseClient({ url: stack.url });
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    const viaSse = collect(sse.iterate<DealChange>({ query: SUBSCRIPTION }));
    const viaWs = collect(ws.iterate<DealChange>({ query: SUBSCRIPTION }));
    try {
      // Both subscribers share one feed; wait until it has read its starting point.
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 2 && polls() >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
      expect(stack.gateway.live!.stats().feeds).toBe(1);

      const before = polls();
      const created = await rest(stack.sandbox, 'POST', '/objects/deal/records', {
        data: { type: 'deal', attributes: { name: 'Live deal 1', amount: 1200, company_id: company.id } },
      });
      const id = (created?.data as { id: string }).id;
      await expect.poll(() => viaSse.items.length >= 1 && viaWs.items.length >= 1, { timeout: 15_000, interval: 20, message: 'the CREATED event on both transports' }).toBe(true);
      expect(polls() - before).toBeLessThanOrEqual(2);
      for (const results of [viaSse.items, viaWs.items]) {
        expect(results[0]!.errors).toBeUndefined();
        expect(results[0]!.data!.dealChanged).toMatchObject({
          kind: 'CREATED',
          id,
          record: { id, name: 'Live deal 1', amount: 1200, company: { name: company.name } },
        });
      }

      const beforeUpdate = polls();
      await rest(stack.sandbox, 'PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { amount: 1500 } } });
      await expect.poll(() => viaSse.items.length >= 2 && viaWs.items.length >= 2, { timeout: 15_000, interval: 20, message: 'the UPDATED event on both transports' }).toBe(true);
      expect(polls() - beforeUpdate).toBeLessThanOrEqual(2);
      for (const results of [viaSse.items, viaWs.items]) {
        expect(results).toHaveLength(2);
        expect(results[1]!.data!.dealChanged).toMatchObject({ kind: 'UPDATED', id, record: { amount: 1500, company: { name: company.name } } });
      }

      const beforeDelete = stack.gateway.live!.stats().deletionPolls;
      await rest(stack.sandbox, 'DELETE', `/objects/deal/records/${id}`);
      await expect.poll(() => viaSse.items.length >= 3 && viaWs.items.length >= 3, { timeout: 15_000, interval: 20, message: 'the DELETED event on both transports' }).toBe(true);
      expect(stack.gateway.live!.stats().deletionPolls - beforeDelete).toBeLessThanOrEqual(2);
      for (const results of [viaSse.items, viaWs.items]) {
        expect(results).toHaveLength(3);
        expect(results[2]!.errors).toBeUndefined();
        expect(results[2]!.data!.dealChanged).toMatchObject({ kind: 'DELETED', id, record: null });
        expect(Date.parse(results[2]!.data!.dealChanged.changedAt)).toBeGreaterThanOrEqual(Date.parse(results[1]!.data!.dealChanged.changedAt));
      }
    } finally {
      sse.dispose();
      await ws.dispose();
    }
    await expect.poll(() => stack.gateway.live!.stats().feeds === 0, { timeout: 15_000, interval: 20, message: 'the feed to stop once both subscribers left' }).toBe(true);
  });
});
