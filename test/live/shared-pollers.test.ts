import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, DELETED_ROUTE, LIST_ROUTE, rest, sandboxCalls, startLiveStack, TEST_INTERVAL_MS, waitFor, type LiveStack } from './helpers.js';

const BY_STAGE = /* GraphQL */ `
  subscription ByStage($stage: DealStage!) {
    dealChanged(filter: { stage: { is: $stage } }) {
      kind
      id: clarifyId
      record { name stage company { name } owner { name { fullName } } }
    }
  }
`;

interface Result {
  data?: { dealChanged: { kind: string; id: string; record: { name: string; stage: string; owner: { name: { fullName: string } } | null } | null } } | null;
  errors?: unknown;
}

let stack: LiveStack;

beforeAll(async () => {
  stack = await startLiveStack({ subscriptions: { maxPerCredential: 200 } });
});

afterAll(async () => {
  await stack?.close();
});

const USER_ROUTES = ['GET /users', 'GET /users/:id'];

function userCalls(calls: Record<string, number>): number {
  return USER_ROUTES.reduce((sum, route) => sum + (calls[route] ?? 0), 0);
}

async function dealIn(stage: string): Promise<string> {
  const list = await rest(stack.sandbox, 'GET', `/objects/deal/resources?filter[stage]=${stage}&page[limit]=1`);
  return (list?.data as { id: string }[])[0]!.id;
}

describe('shared pollers', () => {
  it('100 subscribers with one filter cost one poll per interval; another filter gets its own poller; polling stops when all leave', async () => {
    const live = stack.gateway.live!;
    const sseClients: SseClient[] = [];
    const wsClients: WsClient[] = [];
    const streams: { items: Result[] }[] = [];
    for (let i = 0; i < 3; i++) wsClients.push(createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 }));
    for (let i = 0; i < 50; i++) {
      const client = createSseClient({ url: stack.url });
      sseClients.push(client);
      streams.push(collect(client.iterate<Result['data']>({ query: BY_STAGE, variables: { stage: 'WON' } })) as { items: Result[] });
    }
    for (let i = 0; i < 50; i++) {
      const client = wsClients[i % 2]!;
      streams.push(collect(client.iterate({ query: BY_STAGE, variables: { stage: 'WON' } })) as unknown as { items: Result[] });
    }
    const lost = collect(wsClients[2]!.iterate({ query: BY_STAGE, variables: { stage: 'LOST' } })) as unknown as { items: Result[] };
    try {
      await waitFor(() => live.stats().subscribers === 101, '101 subscribers');
      expect(live.stats().feeds).toBe(2);
      // Both feeds have read their starting point and polled once.
      await waitFor(() => live.stats().polls >= 4, 'both feeds to poll');

      // Over several intervals every list call the sandbox sees is one feed's poll: one call per
      // poll per feed, whatever the number of subscribers.
      const before = await sandboxCalls(stack.sandbox);
      const calls0 = before[LIST_ROUTE] ?? 0;
      const deleted0 = before[DELETED_ROUTE] ?? 0;
      const polls0 = live.stats().polls;
      const deletionPolls0 = live.stats().deletionPolls;
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, TEST_INTERVAL_MS * 6));
      const after = await sandboxCalls(stack.sandbox);
      const calls1 = after[LIST_ROUTE] ?? 0;
      const polls1 = live.stats().polls;
      const deletionPolls1 = live.stats().deletionPolls;
      const elapsed = Date.now() - started;
      expect(calls1 - calls0).toBe(polls1 - polls0);
      // Two feeds, each at most one poll per interval (plus the one in flight at each end).
      expect(polls1 - polls0).toBeLessThanOrEqual(2 * (Math.floor(elapsed / TEST_INTERVAL_MS) + 2));
      expect(polls1 - polls0).toBeGreaterThan(0);
      // Deletions are polled once per object for both filters.
      expect((after[DELETED_ROUTE] ?? 0) - deleted0).toBe(deletionPolls1 - deletionPolls0);
      expect(deletionPolls1 - deletionPolls0).toBeLessThanOrEqual(Math.floor(elapsed / TEST_INTERVAL_MS) + 2);

      // A deal moved to Won reaches all 100 subscribers of that filter and none of the other.
      const id = await dealIn('Negotiation');
      const usersBefore = userCalls(await sandboxCalls(stack.sandbox));
      const listBefore = (await sandboxCalls(stack.sandbox))[LIST_ROUTE] ?? 0;
      const pollsBefore = live.stats().polls;
      await rest(stack.sandbox, 'PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { stage: 'Won' } } });
      await waitFor(() => streams.every((s) => s.items.length >= 1), 'the change to reach all 100 subscribers');
      for (const stream of streams) {
        expect(stream.items).toHaveLength(1);
        expect(stream.items[0]!.errors).toBeUndefined();
        expect(stream.items[0]!.data!.dealChanged).toMatchObject({ kind: 'UPDATED', id, record: { stage: 'WON' } });
        expect(stream.items[0]!.data!.dealChanged.record!.owner?.name.fullName).toEqual(expect.any(String));
      }
      expect(lost.items).toHaveLength(0);
      const afterChange = await sandboxCalls(stack.sandbox);
      // The owner (a user, which `include` cannot reach) was read once for all 100 subscribers.
      expect(userCalls(afterChange) - usersBefore).toBe(1);
      // No record was read apart from the polls themselves (company came with `include`).
      expect(afterChange['GET /objects/:object/resources/:id'] ?? 0).toBe(0);
      expect((afterChange[LIST_ROUTE] ?? 0) - listBefore).toBe(live.stats().polls - pollsBefore);
    } finally {
      for (const client of sseClients) client.dispose();
      for (const client of wsClients) await client.dispose();
    }
    await waitFor(() => live.stats().feeds === 0 && live.stats().subscribers === 0, 'every feed to stop');
    const idle0 = await sandboxCalls(stack.sandbox);
    await new Promise((resolve) => setTimeout(resolve, TEST_INTERVAL_MS * 4));
    const idle1 = await sandboxCalls(stack.sandbox);
    expect(idle1[LIST_ROUTE]).toBe(idle0[LIST_ROUTE]);
    expect(idle1[DELETED_ROUTE]).toBe(idle0[DELETED_ROUTE]);
  });
});
