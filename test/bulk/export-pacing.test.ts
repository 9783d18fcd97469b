import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { graphql, upstreamCount } from '../helpers/gateway.js';
import { startStack, type TestStack } from '../helpers/stack.js';
import { postExport } from './helpers.js';

// The bulk share of the rate budget inside a real export, on a fake clock: 4 upstream calls a
// minute per endpoint, of which bulk work may take half (2 a minute, both at once, then one
// every 30 s). An export of four pages waits 30 s before its third page and 30 s before its
// fourth, while interactive queries made meanwhile still find their half of the budget.

const LIST = 'GET /objects/:object/resources';
const READ = 'GET /objects/:object/resources/:id';
const DEALS = 1_800;

/** A short request deadline: a query that would have to wait for the budget is refused at once. */
const OPTIONS = { rateLimitPerMinute: 4, bulk: { budgetShare: 50 }, requestTimeoutMs: 5_000 };

let stack: TestStack;
let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  stack = await startStack(OPTIONS, { objectCounts: { deal: DEALS } });
  ({ sandbox, gateway } = stack);
  return stack.close;
});

async function metricValue(name: string, labels: Record<string, string>, from = gateway): Promise<number> {
  const metric = await from.metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))?.value ?? 0;
}

describe('POST /export within its share of the rate budget', () => {
  it('waits for its share between pages, makes one upstream call a page, and leaves interactive queries their half', async () => {
    const before = await upstreamCount(sandbox, LIST);
    let text = '';
    // Only the clock the budget reads and the timers that wait for it are faked; I/O stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const response = await postExport(gateway, '{ deals { nodes { id } } }');
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const lines = () => text.split('\n').length - 1;
      const readUntil = async (count: number) => {
        while (lines() < count) {
          const { done, value } = await reader.read();
          if (done) return;
          text += decoder.decode(value, { stream: true });
        }
      };

      // Pages 1 and 2 (500 and 499 records) use the share's two calls at once. The third page's
      // wait for the share began before the second was written (it is read while one is written).
      await readUntil(999);
      expect(lines()).toBe(999);
      expect(await upstreamCount(sandbox, LIST)).toBe(before + 2);

      // Meanwhile interactive queries take the two calls bulk work leaves them, at once: neither
      // waits (a wait would pass the deadline and be refused with RATE_LIMITED).
      for (const first of [3, 4]) {
        const interactive = await graphql(gateway, `{ deals(first: ${first}) { nodes { id } } }`);
        expect(interactive.body.errors, interactive.text).toBeUndefined();
        expect((interactive.body.data?.['deals'] as { nodes: unknown[] }).nodes).toHaveLength(first);
      }
      expect(await upstreamCount(sandbox, LIST)).toBe(before + 4);

      // Just short of the share's next call nothing more is read; at 30 s the third page is.
      await vi.advanceTimersByTimeAsync(29_999);
      expect(await upstreamCount(sandbox, LIST)).toBe(before + 4);
      await vi.advanceTimersByTimeAsync(1);
      await readUntil(1_498);
      expect(lines()).toBe(1_498);
      expect(await upstreamCount(sandbox, LIST)).toBe(before + 5);

      // The fourth page waits another 30 s.
      await vi.advanceTimersByTimeAsync(30_000);
      await readUntil(Number.POSITIVE_INFINITY);
    } finally {
      vi.useRealTimers();
    }
    const all = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const trailer = all.pop()!;
    expect(all).toHaveLength(DEALS);
    expect(new Set(all.map((line) => line['id'])).size).toBe(DEALS);
    expect(trailer['errors']).toBeUndefined();
    expect(trailer['extensions']).toMatchObject({ count: DEALS, actualCalls: 4 });
    // Four pages, one upstream call each, and the interactive queries' one each.
    expect(await upstreamCount(sandbox, LIST)).toBe(before + 6);
    expect(await metricValue('clarify_graphql_bulk_pacing_wait_seconds_total', { endpoint: 'export' })).toBe(60);
    expect(await metricValue('clarify_graphql_bulk_requests_total', { endpoint: 'export', outcome: 'ok' })).toBe(1);
  });
});

describe('POST /export to a caller that goes away while it waits for its share', () => {
  it('reads no further page, and counts the export as cancelled', async () => {
    // A gateway of its own: its share and budget are untouched by the test above.
    const fresh = await stack.gatewayOver(OPTIONS);
    const before = await upstreamCount(sandbox, LIST);
    const readsBefore = await upstreamCount(sandbox, READ);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const response = await postExport(fresh, '{ deals { nodes { id } } }');
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (text.split('\n').length <= 999) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the export ended early');
        text += decoder.decode(value, { stream: true });
      }
      // Two pages read; the third waits for the share. The caller goes away, and the wait is over.
      expect(await upstreamCount(sandbox, LIST)).toBe(before + 2);
      await reader.cancel();
      await vi.advanceTimersByTimeAsync(60_000);
      expect({
        running: await metricValue('clarify_graphql_bulk_in_progress', { endpoint: 'export' }, fresh),
        cancelled: await metricValue('clarify_graphql_bulk_requests_total', { endpoint: 'export', outcome: 'cancelled' }, fresh),
      }).toEqual({ running: 0, cancelled: 1 });
      // A marker read through the gateway now is the only call the sandbox sees: the page whose
      // wait ended would have gone out first.
      const marker = await graphql(fresh, '{ company(id: "00000000-0000-4000-8000-000000000000") { name } }');
      expect(marker.body.errors, marker.text).toBeUndefined();
      expect(await upstreamCount(sandbox, LIST)).toBe(before + 2);
      expect(await upstreamCount(sandbox, READ)).toBe(readsBefore + 1);
    } finally {
      vi.useRealTimers();
    }
  });
});
