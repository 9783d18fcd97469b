import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { collect, LIST_ROUTE, rest, startLiveStack } from '../helpers/live-stack.js';

const DEALS = /* GraphQL */ `
  subscription Deals($stage: DealStage) { dealChanged(filter: { stage: { is: $stage } }) { kind id: clarifyId record { name } } }
`;

interface Result {
  data?: { dealChanged: { kind: string; id: string; record: { name: string } | null } } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
});

afterAll(async () => {
  await sandbox?.close();
});

async function fault(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.ok).toBe(true);
}

async function createDeal(name: string): Promise<string> {
  const created = await rest(sandbox, 'POST', '/objects/deal/records', { data: { type: 'deal', attributes: { name, stage: 'Won' } } });
  return (created?.data as { id: string }).id;
}

describe('429 storm', () => {
  it('backs off, keeps subscribers connected and loses nothing once Clarify answers again', async () => {
    const stack = await startLiveStack(
      { subscriptions: { maxIntervalMs: 1000 }, client: { retryBaseMs: 5, maxAttempts: 2, maxRetryDelayMs: 100 } },
      sandbox,
    );
    const sse = createSseClient({ url: stack.url });
    const stream = collect(sse.iterate<Result['data']>({ query: DEALS })) as unknown as { items: Result[] };
    try {
      await expect.poll(() => stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
      await fault({ route: LIST_ROUTE, status: 429, count: 12 });
      const names = ['Storm deal 1', 'Storm deal 2', 'Storm deal 3'];
      const ids: string[] = [];
      for (const name of names) ids.push(await createDeal(name));
      await expect.poll(() => stream.items.length >= 3, { timeout: 30_000, interval: 20, message: 'the three creates after the storm' }).toBe(true);
      expect(stream.items.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
      expect(stream.items.map((r) => r.data!.dealChanged.id)).toEqual(ids);
      expect(stream.items.every((r) => r.data!.dealChanged.kind === 'CREATED')).toBe(true);
      const metrics = await stack.gateway.metrics.registry.getSingleMetricAsString('clarify_graphql_subscription_polls_total');
      expect(metrics).toMatch(/outcome="backoff"\} [1-9]/);
      // Still connected: a later change arrives on the same stream.
      await rest(sandbox, 'PATCH', `/objects/deal/records/${ids[0]}`, { data: { type: 'deal', id: ids[0], attributes: { amount: 9 } } });
      await expect.poll(() => stream.items.length >= 4, { timeout: 15_000, interval: 20, message: 'a change after the storm' }).toBe(true);
      expect(stream.items[3]!.data!.dealChanged).toMatchObject({ kind: 'UPDATED', id: ids[0] });
      expect(stream.items).toHaveLength(4);
    } finally {
      sse.dispose();
      await stack.close();
    }
  });
});

/** Subscribes over SSE with a raw request and returns the first result (a refusal ends the stream). */
async function refusal(url: string, variables: Record<string, unknown>): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: DEALS, variables }),
  });
  const text = await response.text();
  const data = /data: (.*)/.exec(text)?.[1];
  if (!data) throw new Error(`no result in ${text}`);
  return JSON.parse(data) as Result;
}

describe('limits', () => {
  it('refuses subscriptions past the per-credential, per-connection and distinct-poller limits with a clear error', async () => {
    const stack = await startLiveStack({ subscriptions: { maxPerCredential: 3, maxPollers: 2, pollerShare: 100 } }, sandbox, { maxPerConnection: 1 });
    const sse = createSseClient({ url: stack.url });
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const won = collect(sse.iterate({ query: DEALS, variables: { stage: 'WON' } }));
    const lost = collect(ws.iterate({ query: DEALS, variables: { stage: 'LOST' } }));
    try {
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 2, { timeout: 15_000, interval: 20, message: 'two subscribers' }).toBe(true);
      // A second operation on the same WebSocket connection.
      const second = ws.iterate({ query: DEALS, variables: { stage: 'WON' } });
      await expect(second.next()).rejects.toMatchObject([{ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED' } }]);
      // A third distinct filter: the gateway polls two feeds at most.
      const pollers = await refusal(stack.url, { stage: 'NEGOTIATION' });
      expect(pollers.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_LIMIT_EXCEEDED');
      expect(pollers.errors?.[0]?.message).toMatch(/MAX_SUBSCRIPTION_POLLERS/);
      // The same filter as an existing feed is fine: it adds no poller.
      const third = collect(sse.iterate({ query: DEALS, variables: { stage: 'WON' } }));
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 3, { timeout: 15_000, interval: 20, message: 'three subscribers' }).toBe(true);
      expect(stack.gateway.live!.stats().feeds).toBe(2);
      const fourth = await refusal(stack.url, { stage: 'WON' });
      expect(fourth.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_LIMIT_EXCEEDED');
      expect(fourth.errors?.[0]?.message).toMatch(/MAX_SUBSCRIPTIONS_PER_CREDENTIAL/);
      expect([...won.items, ...lost.items, ...third.items]).toEqual([]);
    } finally {
      sse.dispose();
      await ws.dispose();
      await stack.close();
    }
  });

  it('refuses a filter Clarify cannot express before any upstream call', async () => {
    const stack = await startLiveStack({}, sandbox);
    try {
      const response = await fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: 'subscription { dealChanged(filter: { stage: { in: [] } }) { id } }' }),
      });
      expect(await response.text()).toContain('BAD_USER_INPUT');
      expect(stack.gateway.live!.stats().feeds).toBe(0);
    } finally {
      await stack.close();
    }
  });
});

describe('credentials', () => {
  it('ends the subscriptions of a credential Clarify starts refusing with UNAUTHENTICATED and stops polling', async () => {
    const stack = await startLiveStack({}, sandbox);
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
    const stream = collect(ws.iterate<Result['data']>({ query: DEALS })) as unknown as { items: Result[]; done: Promise<void> };
    try {
      await expect.poll(() => stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
      await fault({ route: LIST_ROUTE, status: 401, count: 1 });
      await stream.done;
      expect(stream.items).toHaveLength(1);
      expect(stream.items[0]!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(stack.gateway.live!.stats().feeds).toBe(0);
    } finally {
      await ws.dispose();
      await stack.close();
    }
  });

  it('asks a server-key gateway for its caller token in connectionParams or headers, like queries', async () => {
    const token = 'a-caller-token-of-enough-length';
    const stack = await startLiveStack({ tokens: [token], allowUnauthenticated: false }, sandbox);
    try {
      const anonymous = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
      const refused = await anonymous.iterate({ query: DEALS }).next();
      expect((refused.value as Result).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      await anonymous.dispose();
      const withParams = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { Authorization: `Bearer ${token}` } });
      const sse = createSseClient({ url: stack.url, headers: { Authorization: `Bearer ${token}` } });
      const viaWs = collect(withParams.iterate<Result['data']>({ query: DEALS })) as unknown as { items: Result[] };
      const viaSse = collect(sse.iterate<Result['data']>({ query: DEALS })) as unknown as { items: Result[] };
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 2 && stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'both subscribers' }).toBe(true);
      const id = await createDeal('Token deal');
      await expect.poll(() => viaWs.items.length >= 1 && viaSse.items.length >= 1, { timeout: 15_000, interval: 20, message: 'the change on both' }).toBe(true);
      expect(viaWs.items[0]!.data!.dealChanged.id).toBe(id);
      expect(viaSse.items[0]!.data!.dealChanged.id).toBe(id);
      sse.dispose();
      await withParams.dispose();
    } finally {
      await stack.close();
    }
  });
});
