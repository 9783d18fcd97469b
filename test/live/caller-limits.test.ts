import { createClient as createSseClient, type Client } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { startTenantProxy, type TenantProxy } from '../helpers/tenant-proxy.js';
import { collect, startLiveStack, type LiveStack } from '../helpers/live-stack.js';

// Subscription limits count per caller: per gateway token in server-key mode, per credential in
// pass-through mode; and one caller may open only its share of the distinct feeds.

const DEALS = /* GraphQL */ `
  subscription Deals($stage: DealStage) { dealChanged(filter: { stage: { is: $stage } }) { kind id } }
`;
const INLINE = (stage: string) => `subscription { dealChanged(filter: { stage: { is: ${stage} } }) { kind id } }`;

interface Result {
  errors?: { message: string; extensions?: { code?: string } }[];
}

const TOKEN_ONE = 'token-one-0123456789abcdef';
const TOKEN_TWO = 'token-two-0123456789abcdef';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
});

afterAll(async () => {
  await sandbox?.close();
});

/** Subscribes with a raw SSE request and returns the first result (a refusal ends the stream). */
async function refusal(url: string, authorization: string, body: Record<string, unknown>): Promise<Result> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const data = /data: (.*)/.exec(text)?.[1];
  if (!data) throw new Error(`no result in ${text}`);
  return JSON.parse(data) as Result;
}

/** Opens subscriptions that stay open (one per stage), as the caller with `authorization`. */
function hold(stack: LiveStack, authorization: string, stages: string[]): Client {
  const client = createSseClient({ url: stack.url, headers: { authorization } });
  for (const stage of stages) void collect(client.iterate({ query: DEALS, variables: { stage } })).done.catch(() => undefined);
  return client;
}

describe('server-key mode: the subscription limit counts per gateway token', () => {
  it('refuses token 1 past MAX_SUBSCRIPTIONS_PER_CREDENTIAL while token 2 still subscribes', async () => {
    const stack = await startLiveStack({ tokens: [TOKEN_ONE, TOKEN_TWO], allowUnauthenticated: false, subscriptions: { maxPerCredential: 2, pollerShare: 100 } }, sandbox);
    const one = hold(stack, `Bearer ${TOKEN_ONE}`, ['WON', 'WON']);
    try {
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 2, { timeout: 15_000, interval: 20, message: 'token 1 holding two subscriptions' }).toBe(true);
      const third = await refusal(stack.url, `Bearer ${TOKEN_ONE}`, { query: DEALS, variables: { stage: 'WON' } });
      expect(third.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_LIMIT_EXCEEDED');
      expect(third.errors?.[0]?.message).toMatch(/MAX_SUBSCRIPTIONS_PER_CREDENTIAL/);

      const two = hold(stack, `Bearer ${TOKEN_TWO}`, ['WON']);
      void collect(two.iterate({ query: INLINE('WON') })).done.catch(() => undefined);
      try {
        await expect.poll(() => stack.gateway.live!.stats().subscribers === 4, { timeout: 15_000, interval: 20, message: 'token 2 holding two subscriptions' }).toBe(true);
        // Token 2 shares token 1's feed (same server credential and filter): no poller more.
        expect(stack.gateway.live!.stats().feeds).toBe(1);
      } finally {
        two.dispose();
      }
    } finally {
      one.dispose();
      await stack.close();
    }
  });
});

describe('server-key mode without caller tokens: one caller, so no share', () => {
  it('opens every poller MAX_SUBSCRIPTION_POLLERS allows, not only SUBSCRIPTION_POLLER_SHARE of them', async () => {
    const stack = await startLiveStack({ subscriptions: { maxPollers: 3, pollerShare: 34 } }, sandbox);
    const client = hold(stack, '', ['WON', 'LOST', 'PROSPECTING']);
    try {
      await expect.poll(() => stack.gateway.live!.stats().feeds === 3, { timeout: 15_000, interval: 20, message: 'three distinct feeds' }).toBe(true);
      const fourth = await refusal(stack.url, '', { query: DEALS, variables: { stage: 'QUALIFICATION' } });
      expect(fourth.errors?.[0]?.message).toMatch(/MAX_SUBSCRIPTION_POLLERS\)/);
    } finally {
      client.dispose();
      await stack.close();
    }
  }, 30_000);
});

describe('pass-through mode: limits count per credential, and pollers are shared fairly', () => {
  let proxy: TenantProxy;
  const A = 'api-key tenant-a-key';
  const B = 'api-key tenant-b-key';

  beforeAll(async () => {
    proxy = await startTenantProxy({ [A]: sandbox, [B]: sandbox });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('lets one credential open at most its share of MAX_SUBSCRIPTION_POLLERS; the other still gets its own', async () => {
    // Four pollers, half of them per caller: two each.
    const stack = await startLiveStack({ apiUrl: proxy.apiUrl, apiKey: undefined, subscriptions: { maxPollers: 4, pollerShare: 50 } }, sandbox);
    const a = hold(stack, A, ['WON', 'LOST']);
    try {
      await expect.poll(() => stack.gateway.live!.stats().feeds === 2, { timeout: 15_000, interval: 20, message: 'credential A polling two feeds' }).toBe(true);
      const third = await refusal(stack.url, A, { query: DEALS, variables: { stage: 'NEGOTIATION' } });
      expect(third.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTION_LIMIT_EXCEEDED');
      expect(third.errors?.[0]?.message).toMatch(/SUBSCRIPTION_POLLER_SHARE/);
      const inline = await refusal(stack.url, A, { query: INLINE('NEGOTIATION') });
      expect(inline.errors?.[0]?.message).toMatch(/SUBSCRIPTION_POLLER_SHARE/);
      expect(stack.gateway.live!.stats().feeds).toBe(2);

      const b = hold(stack, B, ['WON', 'NEGOTIATION']);
      try {
        await expect.poll(() => stack.gateway.live!.stats().feeds === 4, { timeout: 15_000, interval: 20, message: 'credential B polling its two feeds' }).toBe(true);
        expect(stack.gateway.live!.stats().subscribers).toBe(4);
      } finally {
        b.dispose();
      }
    } finally {
      a.dispose();
      await stack.close();
    }
  });

  it('counts MAX_SUBSCRIPTIONS_PER_CREDENTIAL per credential', async () => {
    const stack = await startLiveStack({ apiUrl: proxy.apiUrl, apiKey: undefined, subscriptions: { maxPerCredential: 1 } }, sandbox);
    const a = hold(stack, A, ['WON']);
    try {
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 1, { timeout: 15_000, interval: 20, message: 'credential A subscribed' }).toBe(true);
      const second = await refusal(stack.url, A, { query: DEALS, variables: { stage: 'WON' } });
      expect(second.errors?.[0]?.message).toMatch(/MAX_SUBSCRIPTIONS_PER_CREDENTIAL/);
      const b = hold(stack, B, ['WON']);
      try {
        await expect.poll(() => stack.gateway.live!.stats().subscribers === 2, { timeout: 15_000, interval: 20, message: 'credential B subscribed' }).toBe(true);
      } finally {
        b.dispose();
      }
    } finally {
      a.dispose();
      await stack.close();
    }
  });
});
