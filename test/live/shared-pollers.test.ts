import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { collect, DELETED_ROUTE, LIST_ROUTE, rest, sandboxCalls, startLiveStack, TEST_INTERVAL_MS, type LiveStack } from '../helpers/live-stack.js';

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

/**
 * List and deletion reads the sandbox served, less the polls the gateway counted. Read in this
 * order (the gateway counts a poll once answered, the sandbox on arrival), it is never below its
 * value at a moment no poll is under way, and exactly that at such a moment.
 */
async function surplus(): Promise<{ lists: number; deletions: number }> {
  const { polls, deletionPolls } = stack.gateway.live!.stats();
  const calls = await sandboxCalls(stack.sandbox);
  return { lists: (calls[LIST_ROUTE] ?? 0) - polls, deletions: (calls[DELETED_ROUTE] ?? 0) - deletionPolls };
}

/** Deal polls the gateway counted in its metrics, whatever their outcome. */
async function dealPollsCounted(): Promise<number> {
  const metric = await stack.gateway.metrics.registry.getSingleMetric('clarify_graphql_subscription_polls_total')?.get();
  return (metric?.values ?? []).filter((value) => value.labels['object'] === 'deal').reduce((sum, value) => sum + value.value, 0);
}

/** Waits for `polls` more polls, then checks that every list and deletion read the sandbox served meanwhile was one of them. */
async function everyCallIsAPoll(polls: number): Promise<void> {
  const live = stack.gateway.live!;
  const target = live.stats().polls + polls;
  const baseline = await surplus();
  await expect
    .poll(
      async () => {
        const now = await surplus();
        baseline.lists = Math.min(baseline.lists, now.lists);
        baseline.deletions = Math.min(baseline.deletions, now.deletions);
        return live.stats().polls;
      },
      { timeout: 15_000, interval: 20 },
    )
    .toBeGreaterThanOrEqual(target);
  // A surplus call never goes away; a poll under way ends within moments.
  await vi.waitFor(async () => expect(await surplus()).toEqual(baseline), { timeout: 5_000, interval: 5 });
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
      await expect.poll(() => live.stats().subscribers === 101, { timeout: 15_000, interval: 20, message: '101 subscribers' }).toBe(true);
      expect(live.stats().feeds).toBe(2);
      // Both feeds have read their starting point and polled once.
      await expect.poll(() => live.stats().polls >= 4, { timeout: 15_000, interval: 20, message: 'both feeds to poll' }).toBe(true);

      // While several polls go by, every list call the sandbox sees is one feed's poll: one call
      // per poll per feed, whatever the number of subscribers.
      // Deletions are polled once per object for both filters.
      await everyCallIsAPoll(6);
      // Two feeds and one deletion poller, each once per interval.
      expect(live.stats()).toMatchObject({ feeds: 2, pollers: 3, pollsPerMinute: 3 * (60_000 / TEST_INTERVAL_MS) });

      // A deal moved to Won reaches all 100 subscribers of that filter and none of the other.
      const id = await dealIn('Negotiation');
      const usersBefore = userCalls(await sandboxCalls(stack.sandbox));
      const listBefore = (await sandboxCalls(stack.sandbox))[LIST_ROUTE] ?? 0;
      const pollsBefore = live.stats().polls;
      await rest(stack.sandbox, 'PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { stage: 'Won' } } });
      await expect.poll(() => streams.every((s) => s.items.length >= 1), { timeout: 15_000, interval: 20, message: 'the change to reach all 100 subscribers' }).toBe(true);
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
    await expect.poll(() => live.stats().feeds === 0 && live.stats().subscribers === 0, { timeout: 15_000, interval: 20, message: 'every feed to stop' }).toBe(true);
    expect(live.stats()).toMatchObject({ pollers: 0, pollsPerMinute: 0 });
    // A deal poller left running would poll within one interval. A feed on companies (the marker)
    // reads its starting point with its first poll, then polls twice more, an interval apart:
    // meanwhile no deal poll is counted, and every list read the sandbox serves is one the gateway counted.
    const dealPolls = await dealPollsCounted();
    const markerClient = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const idle = live.stats();
      collect(markerClient.iterate({ query: 'subscription { companyChanged { kind } }' }));
      const started = () => live.stats().polls > idle.polls && live.stats().deletionPolls > idle.deletionPolls;
      await expect.poll(started, { timeout: 15_000, interval: 20, message: 'the marker feed to start' }).toBe(true);
      await everyCallIsAPoll(2);
      expect(await dealPollsCounted()).toBe(dealPolls);
    } finally {
      await markerClient.dispose();
    }
  });
});
