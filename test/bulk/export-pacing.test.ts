import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { graphql, upstreamCount } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

// The bulk share of the rate budget inside a real export, on a fake clock: 4 upstream calls a
// minute per endpoint, of which bulk work may take half (2 a minute, both at once, then one
// every 30 s). An export of four pages waits 30 s before its third page and 30 s before its
// fourth, while interactive queries made meanwhile still find their half of the budget.

const LIST = 'GET /objects/:object/resources';
const DEALS = 1_800;

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  // A short request deadline: a query that would have to wait for the budget is refused at once.
  const stack = await startStack({ rateLimitPerMinute: 4, bulk: { budgetShare: 50 }, requestTimeoutMs: 5_000 }, { objectCounts: { deal: DEALS } });
  ({ sandbox, gateway } = stack);
  return stack.close;
});

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await gateway.metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))?.value ?? 0;
}

describe('POST /export within its share of the rate budget', () => {
  it('waits for its share between pages, makes one upstream call a page, and leaves interactive queries their half', async () => {
    const before = await upstreamCount(sandbox, LIST);
    let text = '';
    // Only the clock the budget reads and the timers that wait for it are faked; I/O stays real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const response = await gateway.fetch('http://localhost/export', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
        body: JSON.stringify({ query: '{ deals { nodes { id } } }' }),
      });
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
