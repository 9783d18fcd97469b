import { describe, expect, it } from 'vitest';
import type { ClarifyResource, ListPage } from '../../src/client/types.js';
import { fetchWindow } from '../../src/loaders/fetch-window.js';

/** An offset-paged list of `total` records that serves at most `serverLimit` per page, recording each call. */
function list(total: number, serverLimit = 500): { fetchPage: (limit: number, offset: number) => Promise<ListPage>; calls: [number, number][] } {
  const calls: [number, number][] = [];
  const fetchPage = async (limit: number, offset: number): Promise<ListPage> => {
    calls.push([limit, offset]);
    const count = Math.max(0, Math.min(limit, serverLimit, total - offset));
    const data = Array.from({ length: count }, (_v, i) => ({ type: 'deal', id: `d${offset + i}`, attributes: {} }) as unknown as ClarifyResource);
    return { data, included: [], meta: { totalRecords: total, totalPages: 1, offset, limit } } as unknown as ListPage;
  };
  return { fetchPage, calls };
}

describe('fetchWindow', () => {
  it('reads a window in as few pages as the page limit allows', async () => {
    const upstream = list(2000);
    const result = await fetchWindow({ offset: 100, limit: 1200 }, upstream.fetchPage);
    expect(upstream.calls).toEqual([[500, 100], [500, 600], [200, 1100]]);
    expect(result.records.map((r) => r.id)).toEqual(Array.from({ length: 1200 }, (_v, i) => `d${100 + i}`));
    expect(result.totalCount).toBe(2000);
  });

  it('stops at the end of the list', async () => {
    const upstream = list(700);
    const result = await fetchWindow({ offset: 100, limit: 1200 }, upstream.fetchPage);
    expect(upstream.calls).toEqual([[500, 100], [500, 600]]);
    expect(result.records).toHaveLength(600);
  });

  it('stops at a short page even if the total says more', async () => {
    const upstream = list(2000, 300);
    const result = await fetchWindow({ offset: 0, limit: 800 }, upstream.fetchPage);
    expect(upstream.calls).toEqual([[500, 0]]);
    expect(result.records).toHaveLength(300);
  });

  it('asks for one record when the window is empty, for the total alone', async () => {
    const upstream = list(42);
    expect(await fetchWindow({ offset: 10, limit: 0 }, upstream.fetchPage)).toEqual({ records: [], included: [], totalCount: 42 });
    expect(upstream.calls).toEqual([[1, 10]]);
  });
});
