import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClarifyResource } from '../../src/client/types.js';
import { readSince, type CursorPageRequest } from '../../src/live/cursor.js';
import { collect, rest, startLiveStack, type LiveStack } from '../helpers/live-stack.js';

const PEOPLE = /* GraphQL */ `
  subscription { personChanged { kind id: clarifyId changedAt record { id: clarifyId jobTitle } } }
`;

interface Result {
  data?: { personChanged: { kind: string; id: string; changedAt: string; record: { id: string; jobTitle: string | null } | null } } | null;
  errors?: unknown;
}

let stack: LiveStack;

beforeAll(async () => {
  // Pages of 20, so 50 records sharing one `_updated_at` span three pages.
  stack = await startLiveStack({ subscriptions: { pageSize: 20 } });
});

afterAll(async () => {
  await stack?.close();
});

describe('watermark ties', () => {
  it('delivers 50 updates that share one _updated_at exactly once each, across page boundaries and later polls', async () => {
    const list = await rest(stack.sandbox, 'GET', '/objects/person/resources?page[limit]=60');
    const ids = (list?.data as { id: string }[]).map((p) => p.id);
    const sse = createSseClient({ url: stack.url });
    const stream = collect(sse.iterate<Result['data']>({ query: PEOPLE })) as unknown as { items: Result[] };
    try {
      await expect.poll(() => stack.gateway.live!.stats().polls >= 2, { timeout: 15_000, interval: 20, message: 'the feed to start' }).toBe(true);
      const batch = ids.slice(0, 50);
      await rest(stack.sandbox, 'PATCH', '/objects/person/records', {
        data: batch.map((id) => ({ type: 'person', id, attributes: { job_title: 'Tied' } })),
      });
      await expect.poll(() => stream.items.length >= 50, { timeout: 15_000, interval: 20, message: '50 events' }).toBe(true);
      const times = new Set(stream.items.map((r) => r.data!.personChanged.changedAt));
      expect(times.size).toBe(1);
      // More polls pass with the watermark sitting on the tied timestamp: nothing repeats.
      const polls = stack.gateway.live!.stats().polls;
      await expect.poll(() => stack.gateway.live!.stats().polls >= polls + 3, { timeout: 15_000, interval: 20, message: 'three more polls' }).toBe(true);
      const last = ids[55]!;
      await rest(stack.sandbox, 'PATCH', `/objects/person/records/${last}`, { data: { type: 'person', id: last, attributes: { job_title: 'After' } } });
      await expect.poll(() => stream.items.length >= 51, { timeout: 15_000, interval: 20, message: 'the later update' }).toBe(true);
      await expect.poll(() => stack.gateway.live!.stats().polls >= polls + 6, { timeout: 15_000, interval: 20, message: 'three more polls' }).toBe(true);
      const delivered = stream.items.map((r) => r.data!.personChanged);
      expect(delivered).toHaveLength(51);
      expect(new Set(delivered.map((c) => c.id)).size).toBe(51);
      expect(delivered.slice(0, 50).map((c) => c.id).sort()).toEqual([...batch].sort());
      expect(delivered.every((c) => c.kind === 'UPDATED')).toBe(true);
      expect(delivered[50]).toMatchObject({ id: last, record: { jobTitle: 'After' } });
    } finally {
      sse.dispose();
    }
  });
});

function record(id: string, at: string): ClarifyResource {
  return { type: 'deal', id, attributes: { _updated_at: at, _created_at: '2026-01-01T00:00:00.000Z' }, relationships: {} };
}

/** A list read the way Clarify answers `filter[_updated_at][Is on or after]` sorted ascending. */
function reader(records: ClarifyResource[]): (request: CursorPageRequest) => Promise<{ data: ClarifyResource[] }> {
  return async (request) => {
    const sorted = [...records]
      .filter((r) => request.onOrAfter === undefined || Date.parse(String(r.attributes._updated_at)) >= Date.parse(request.onOrAfter))
      .sort((a, b) => Date.parse(String(a.attributes._updated_at)) - Date.parse(String(b.attributes._updated_at)));
    return { data: sorted.slice(request.offset, request.offset + request.limit) };
  };
}

describe('readSince', () => {
  it('reads records tied with the watermark once, when the ties arrive over two polls', async () => {
    const t = '2026-11-29T04:00:00.000Z';
    const first = [record('a', t), record('b', t)];
    const one = await readSince('_updated_at', undefined, reader(first), 2, 10);
    expect(one.records.map((r) => r.id)).toEqual(['a', 'b']);
    // Two more records get the same millisecond after the first poll read it.
    const second = [...first, record('c', t), record('d', t), record('e', '2026-11-29T04:00:00.001Z')];
    const two = await readSince('_updated_at', one.watermark, reader(second), 2, 10);
    expect(two.records.map((r) => r.id)).toEqual(['c', 'd', 'e']);
    const three = await readSince('_updated_at', two.watermark, reader(second), 2, 10);
    expect(three.records).toEqual([]);
  });

  it('stops at the page limit and continues from there on the next read', async () => {
    const records = Array.from({ length: 9 }, (_, i) => record(`r${i}`, `2026-11-29T04:00:00.00${i}Z`));
    const first = await readSince('_updated_at', undefined, reader(records), 2, 2);
    expect(first.more).toBe(true);
    const rest = await readSince('_updated_at', first.watermark, reader(records), 2, 10);
    expect([...first.records, ...rest.records].map((r) => r.id)).toEqual(records.map((r) => r.id));
  });
});
