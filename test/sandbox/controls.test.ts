import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Api, REAL_API, firstError, type ListDoc, type SingleDoc } from './target.js';

interface Stats {
  total: number;
  byRoute: Record<string, number>;
}

let api: Api;
beforeAll(async () => {
  if (!REAL_API) api = await Api.open();
});
afterAll(async () => {
  await api?.close();
});
afterEach(async () => {
  if (!REAL_API) await api.reset();
});

const stats = async (): Promise<Stats> => (await api.control('GET', '/stats')).json<Stats>();
const fault = async (body: unknown): Promise<void> => {
  const response = await api.control('POST', '/faults', body);
  expect(response.status).toBe(200);
};

describe.skipIf(REAL_API)('GET /__sandbox/stats', () => {
  it('counts every /v1 request by method and route template, and none of its own', async () => {
    await api.reset();
    const person = (await api.list('/objects/person/resources?page[limit]=1')).data[0]!;
    await api.get(`/objects/person/resources/${person.id}`);
    await api.get(`/objects/person/records/${person.id}/relationships/deals`);
    await api.get('/schemas', { authorization: null });
    await api.post('/objects/deal/records/bulk', { data: [] });
    await stats();
    expect(await stats()).toEqual({
      total: 5,
      byRoute: {
        'GET /objects/:object/resources': 1,
        'GET /objects/:object/resources/:id': 1,
        'GET /objects/:object/records/:id/relationships/:rel': 1,
        'GET /schemas': 1,
        'POST /objects/:object/records/bulk': 1,
      },
      rateLimited: 0,
    });
  });
});

describe.skipIf(REAL_API)('POST /__sandbox/reset', () => {
  it('restores the seed data and zeroes the counters', async () => {
    const before = await api.list('/objects/company/resources');
    const created = await api.post('/objects/company/records', { data: { type: 'company', attributes: { name: 'Reset Me' } } });
    const id = created.json<SingleDoc>().data.id;
    await api.delete(`/objects/company/records/${before.data[0]!.id}`);
    const reset = await api.control('POST', '/reset');
    expect(reset.status).toBe(200);
    expect(await stats()).toEqual({ total: 0, byRoute: {}, rateLimited: 0 });
    expect((await api.get(`/objects/company/resources/${id}`)).status).toBe(404);
    expect((await api.list('/objects/company/resources')).data).toEqual(before.data);
  });

  it('is deterministic from the seed and differs between seeds', async () => {
    const again = await Api.open({ seed: 42 });
    const other = await Api.open({ seed: 7 });
    try {
      const mine = await api.list('/objects/person/resources?page[limit]=20');
      expect((await again.list('/objects/person/resources?page[limit]=20')).data).toEqual(mine.data);
      expect((await other.list('/objects/person/resources?page[limit]=20')).data.map((r) => r.id)).not.toEqual(mine.data.map((r) => r.id));
    } finally {
      await again.close();
      await other.close();
    }
  });
});

describe.skipIf(REAL_API)('POST /__sandbox/faults', () => {
  it('scripts a status with Retry-After for the next N matching requests, counted in stats', async () => {
    await fault({ route: 'GET /objects/:object/resources', status: 429, retryAfter: 1, count: 2 });
    const first = await api.get('/objects/person/resources?page[limit]=1');
    const second = await api.get('/objects/person/resources?page[limit]=1');
    const third = await api.get('/objects/person/resources?page[limit]=1');
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(firstError(first).status).toBe('429');
    expect(first.headers.get('x-ratelimit-limit')).toBe('3000');
    expect((await api.get('/schemas')).status).toBe(200);
    expect((await stats()).byRoute['GET /objects/:object/resources']).toBe(3);
  });

  it('503 fault on a write does not apply the write', async () => {
    await fault({ route: 'POST /objects/:object/records', status: 503, retryAfter: 2, count: 1 });
    const response = await api.post('/objects/company/records', { data: { type: 'company', attributes: { name: 'Never Written' } } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect((await api.list('/objects/company/resources?filter[name]=Never%20Written')).meta.total_records).toBe(0);
  });

  it('drop destroys the socket after a write was applied', async () => {
    await fault({ route: 'POST /objects/:object/records', drop: true, count: 1 });
    await expect(api.post('/objects/company/records', { data: { type: 'company', attributes: { name: 'Dropped But Written' } } })).rejects.toThrow();
    expect((await api.list('/objects/company/resources?filter[name]=Dropped%20But%20Written')).meta.total_records).toBe(1);
  });

  it('malformed answers a truncated JSON body', async () => {
    await fault({ route: 'GET /schemas', malformed: true, count: 1 });
    const response = await api.get('/schemas');
    expect(response.status).toBe(200);
    expect(() => JSON.parse(response.text) as unknown).toThrow();
    const next = await api.get('/schemas');
    expect(() => JSON.parse(next.text) as unknown).not.toThrow();
  });

  it('delayMs holds the response back', async () => {
    await fault({ route: 'GET /users', delayMs: 150, count: 1 });
    // The sandbox runs in this process: with its timers faked, the answer waits for the clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let answered = false;
      const response = api.get('/users').then((r) => ((answered = true), r));
      await vi.waitFor(async () => expect((await stats()).byRoute['GET /users']).toBe(1));
      await vi.advanceTimersByTimeAsync(149);
      // A control round trip after the request arrived: a response that did not wait would be in by now.
      await stats();
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await response).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rate fires for a deterministic fraction of requests; omitted route matches every route', async () => {
    const run = async (): Promise<number[]> => {
      await fault({ status: 500, rate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await api.get('/users?page[limit]=1')).status);
      await api.reset();
      return statuses;
    };
    const first = await run();
    const second = await run();
    expect(first).toEqual(second);
    const failures = first.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
  });

  it('clear removes every fault; unknown routes and missing effects are 400', async () => {
    await fault({ route: 'GET /schemas', status: 500 });
    expect((await api.get('/schemas')).status).toBe(500);
    await fault({ clear: true });
    expect((await api.get('/schemas')).status).toBe(200);
    expect((await api.control('POST', '/faults', { route: 'GET /nowhere', status: 500 })).status).toBe(400);
    expect((await api.control('POST', '/faults', { route: 'GET /schemas' })).status).toBe(400);
  });
});

describe.skipIf(REAL_API)('rate limiting', () => {
  it('answers 429 with Retry-After once an endpoint spends its budget; other endpoints are unaffected', async () => {
    const limited = await Api.open({ rateLimitPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<Api['get']>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await limited.get('/objects/person/resources?page[limit]=1');
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(firstError(last!).status).toBe('429');
      const other = await limited.get('/objects/person/resources/00000000-0000-4000-8000-000000000000');
      expect(other.status).toBe(404);
      expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
      const bulk = await limited.post('/objects/deal/records/bulk', { data: [{ type: 'deal', attributes: { name: 'Counted once A' } }, { type: 'deal', attributes: { name: 'Counted once B' } }] });
      expect(bulk.headers.get('x-ratelimit-remaining')).toBe('2');
      const doc = bulk.json<ListDoc>();
      expect(doc.data).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });

  it('charges nothing to the workspace for requests to a workspace that does not exist', async () => {
    const limited = await Api.open({ rateLimitPerMinute: 3 });
    try {
      for (let i = 0; i < 3; i++) {
        const stranger = await limited.send('GET', `${limited.base.replace(/\/workspaces\/[^/]+$/, '/workspaces/elsewhere')}/objects/person/resources`);
        expect(stranger.status).toBe(404);
      }
      const own = await limited.get('/objects/person/resources?page[limit]=1');
      expect(own.status).toBe(200);
      expect(own.headers.get('x-ratelimit-remaining')).toBe('2');
    } finally {
      await limited.close();
    }
  });
});
