import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_EXAMPLE_TABS, SUBSCRIPTION_TAB_TRIGGER } from '../../src/server/graphiql-examples.js';
import { graphql } from '../helpers/gateway.js';
import { startLiveStack, type LiveStack } from '../helpers/live-stack.js';

// The subscription tab tells the user which mutation to run in a second tab; running it must
// deliver an event to the tab's subscription (first CREATED, then UPDATED).

let stack: LiveStack;

beforeAll(async () => {
  stack = await startLiveStack();
});

afterAll(async () => {
  await stack?.close();
});

interface Change {
  kind: string;
  id: string;
  record: { name: string; amount: number } | null;
}

async function readEvents(response: Response, into: Change[]): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (chunk.done) return;
    buffered += decoder.decode(chunk.value, { stream: true });
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data:'));
      if (!block.includes('event: next') || !data) continue;
      into.push((JSON.parse(data.slice(5)) as { data: { dealChanged: Change } }).data.dealChanged);
    }
  }
}

describe("GraphiQL's subscription tab", () => {
  it('names a mutation that, run from a second tab, reaches the subscription as CREATED and then UPDATED', async () => {
    const tab = GRAPHIQL_EXAMPLE_TABS.find((candidate) => /^subscription /m.test(candidate.query))!;
    expect(tab.query).toContain(SUBSCRIPTION_TAB_TRIGGER);
    const abort = new AbortController();
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: tab.query }),
      signal: abort.signal,
    });
    const events: Change[] = [];
    const reading = readEvents(response, events);
    try {
      await expect.poll(() => stack.gateway.live!.stats().subscribers === 1 && stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
      const created = await graphql(stack.gateway, SUBSCRIPTION_TAB_TRIGGER);
      expect(created.body.errors).toBeUndefined();
      const id = (created.body.data as { createDeal: { record: { id: string } } }).createDeal.record.id;
      await expect.poll(() => events.length >= 1, { timeout: 15_000, interval: 20, message: 'the CREATED event' }).toBe(true);
      expect(events[0]).toMatchObject({ kind: 'CREATED', id, record: { name: 'Live demo', amount: 1000 } });

      const updated = await graphql(stack.gateway, SUBSCRIPTION_TAB_TRIGGER.replace('amount: 1000', 'amount: 2000'));
      expect(updated.body.data).toMatchObject({ createDeal: { matched: true, record: { id } } });
      await expect.poll(() => events.length >= 2, { timeout: 15_000, interval: 20, message: 'the UPDATED event' }).toBe(true);
      expect(events[1]).toMatchObject({ kind: 'UPDATED', id, record: { amount: 2000 } });
    } finally {
      abort.abort();
      await reading;
    }
  });
});
