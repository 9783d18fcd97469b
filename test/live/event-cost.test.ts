import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, rest, sandboxCalls, startLiveStack, type LiveStack } from '../helpers/live-stack.js';
import { encodeGlobalId } from '../../src/plan/global-id.js';

// Every change event carries `extensions.cost`, over each transport: Yoga's Server-Sent Events
// (a plain `fetch`), graphql-sse and graphql-ws.

let stack: LiveStack;

beforeAll(async () => {
  stack = await startLiveStack({ limits: { cost: 3 } });
});

afterAll(async () => {
  await stack?.close();
});

// The owner is a user reference: the poll cannot include it, so each event reads it with one call,
// shared by every subscriber with this selection.
const SUBSCRIPTION = 'subscription DealOwners { dealChanged { kind id record { name owner { email } } } }';

interface Event {
  data?: { dealChanged: { kind: string; id: string } };
  errors?: unknown[];
  extensions?: { cost?: Record<string, unknown> };
}

/** The `next` events of a Server-Sent Events response, as they arrive. */
async function* sseEvents(response: Response): AsyncGenerator<Event> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return;
    buffered += decoder.decode(chunk.value, { stream: true });
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (!block.split('\n').includes('event: next')) continue;
      const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
      yield JSON.parse(data) as Event;
    }
  }
}

describe('subscription events', () => {
  it('each carry extensions.cost over SSE, graphql-sse and graphql-ws: the plan per event and the calls the event made', async () => {
    const abort = new AbortController();
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIPTION }),
      signal: abort.signal,
    });
    const sse = createSseClient({ url: stack.url, retryAttempts: 0 });
    const ws = createWsClient({ url: stack.wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    const viaFetch = collect(sseEvents(response));
    const viaSse = collect(sse.iterate<Event['data']>({ query: SUBSCRIPTION }) as AsyncIterableIterator<Event>);
    const viaWs = collect(ws.iterate<Event['data']>({ query: SUBSCRIPTION }) as AsyncIterableIterator<Event>);
    viaFetch.done.catch(() => undefined);
    try {
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 3 && stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
      const users = await rest(stack.sandbox, 'GET', '/users?page[limit]=1');
      const owner = (users?.data as { id: string }[])[0]!.id;
      const before = await sandboxCalls(stack.sandbox);
      const created = await rest(stack.sandbox, 'POST', '/objects/deal/records', {
        data: { type: 'deal', attributes: { name: 'Costed live deal', owner_id: owner } },
      });
      const id = (created?.data as { id: string }).id;
      await expect.poll(() => [viaFetch, viaSse, viaWs].every((results) => results.items.length >= 1), { timeout: 15_000, interval: 20, message: 'the event on every transport' }).toBe(true);
      const after = await sandboxCalls(stack.sandbox);
      // One read of the owner for all three subscribers (polls aside).
      expect((after['GET /users/:id'] ?? 0) - (before['GET /users/:id'] ?? 0)).toBe(1);
      for (const results of [viaFetch.items, viaSse.items, viaWs.items]) {
        expect(results[0]!.errors).toBeUndefined();
        expect(results[0]!.data!.dealChanged).toMatchObject({ kind: 'CREATED', id: encodeGlobalId('deal', id) });
        expect(results[0]!.extensions?.cost).toEqual({ predictedCalls: 1, maxCalls: 1, exact: false, actualCalls: 1, upstreamRequests: 1, limit: 3 });
      }
    } finally {
      abort.abort();
      sse.dispose();
      await ws.dispose();
    }
  });
});
