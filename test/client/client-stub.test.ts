import { afterEach, describe, expect, it } from 'vitest';
import { CallLog } from '../../src/client/call-log.js';
import { ClarifyClient, type ClarifyClientOptions } from '../../src/client/clarify-client.js';
import type { ListPage } from '../../src/client/types.js';
import { rejection } from './sandbox-helpers.js';
import { listBody, sendJson, startStub, type Stub } from './stub-server.js';

const credential = 'api-key stub-key';
const stubs: Stub[] = [];
const clients: ClarifyClient[] = [];

async function stub(handler: Parameters<typeof startStub>[0]): Promise<Stub> {
  const s = await startStub(handler);
  stubs.push(s);
  return s;
}

function client(s: Stub, options: Partial<ClarifyClientOptions> = {}): ClarifyClient {
  const c = new ClarifyClient({ apiUrl: s.apiUrl, workspace: 'demo', retryBaseMs: 5, callTimeoutMs: 2000, ...options });
  clients.push(c);
  return c;
}

async function collect(iterable: AsyncIterable<ListPage>): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('condition not reached'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

const deal = (id: string): { type: string; id: string; attributes: Record<string, unknown> } => ({ type: 'deal', id, attributes: { _id: id, name: id } });

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(stubs.splice(0).map((s) => s.close()));
});

describe('paging rules', () => {
  it('refuses an off-origin links.next without sending anything to it', async () => {
    const elsewhere = await stub((_req, res) => sendJson(res, 200, listBody([], {})));
    const upstream = await stub((_req, res) =>
      sendJson(
        res,
        200,
        listBody([deal('d1')], { total_records: 2, limit: 1, offset: 0 }, { next: `${elsewhere.apiUrl}/workspaces/demo/objects/deal/resources?page[offset]=1`, prev: null }),
      ),
    );
    const iterator = client(upstream).listAll('deal', { limit: 1 }, { credential })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const error = await rejection(iterator.next());
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).not.toContain(elsewhere.origin);
    expect(upstream.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses a links.next into another workspace on the same origin', async () => {
    const upstream = await stub((_req, res) =>
      sendJson(res, 200, listBody([deal('d1')], { total_records: 2, limit: 1, offset: 0 }, { next: '/v1/workspaces/other/objects/deal/resources?page[offset]=1' })),
    );
    const pages = collect(client(upstream).listAll('deal', { limit: 1 }, { credential }));
    expect((await rejection(pages)).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses a links.next to another endpoint of the same workspace', async () => {
    const upstream = await stub((_req, res) =>
      sendJson(res, 200, listBody([deal('d1')], { total_records: 2, limit: 1, offset: 0 }, { next: '/v1/workspaces/demo/objects/person/resources?page[offset]=1' })),
    );
    const pages = collect(client(upstream).listAll('deal', { limit: 1 }, { credential }));
    const error = await rejection(pages);
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('another endpoint');
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses a links.next that asks for more than the page size', async () => {
    const upstream = await stub((_req, res) =>
      sendJson(res, 200, listBody([deal('d1')], { total_records: 2, limit: 1, offset: 0 }, { next: '/v1/workspaces/demo/objects/deal/resources?page[limit]=1000&page[offset]=1' })),
    );
    expect((await rejection(collect(client(upstream).listAll('deal', {}, { credential })))).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(upstream.requests).toHaveLength(1);
  });

  it('pages by offset arithmetic when links are absent (docs-site shape)', async () => {
    const upstream = await stub((req, res) => {
      const url = new URL(req.url, 'http://x');
      const offset = Number(url.searchParams.get('page[offset]'));
      const limit = Number(url.searchParams.get('page[limit]'));
      const ids = Array.from({ length: Math.max(0, Math.min(limit, 1200 - offset)) }, (_v, i) => deal(`d${offset + i}`));
      sendJson(res, 200, { data: ids, meta: { total_records: 1200, limit, offset } });
    });
    const pages = await collect(client(upstream).listAll('deal', {}, { credential }));
    expect(pages.map((p) => p.data.length)).toEqual([500, 500, 200]);
    expect(pages[2]?.meta.totalPages).toBe(3);
    expect(upstream.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('page[offset]'))).toEqual(['0', '500', '1000']);
    expect(upstream.requests.every((r) => new URL(r.url, 'http://x').searchParams.get('page[limit]') === '500')).toBe(true);
  });

  it('follows /schemas links.next on the configured workspace', async () => {
    const upstream = await stub((req, res) => {
      if (req.url.endsWith('/schemas')) sendJson(res, 200, { data: [{ id: 'a' }], links: { next: '/v1/workspaces/demo/schemas?page=2', prev: null } });
      else sendJson(res, 200, { data: [{ id: 'b' }], links: { next: null } });
    });
    expect(await client(upstream).listSchemas({ credential })).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(upstream.requests.map((r) => r.url)).toEqual(['/v1/workspaces/demo/schemas', '/v1/workspaces/demo/schemas?page=2']);
  });

  it('returns identifier-only relationship items flagged, with meta.count trusted', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 200, { data: [{ type: 'task', id: 't1' }, { type: 'task', id: 't2' }], meta: { total_records: 7 } }));
    const page = await client(upstream).listRelationship('deal', 'd1', 'tasks', {}, { credential });
    expect(page.data.map((r) => [r.id, r.identifierOnly])).toEqual([
      ['t1', true],
      ['t2', true],
    ]);
    expect(page.meta).toEqual({ totalRecords: 7, totalPages: 1, offset: 0, limit: 500 });
    expect(upstream.requests[0]?.url).toBe('/v1/workspaces/demo/objects/deal/records/d1/relationships/tasks?page%5Blimit%5D=500&page%5Boffset%5D=0');
  });
});

describe('retries and deadlines', () => {
  it('sends no retry before Retry-After', async () => {
    let answeredAt = 0;
    const upstream = await stub((_req, res, index) => {
      if (index === 0) {
        answeredAt = Date.now();
        sendJson(res, 429, { errors: [{ status: '429', title: 'Too many requests' }] }, { 'retry-after': '1' });
      } else sendJson(res, 200, listBody([], { total_records: 0, limit: 500, offset: 0 }));
    });
    const log = new CallLog();
    await client(upstream).list('deal', {}, { credential, recorder: log });
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1]!.receivedAt - answeredAt).toBeGreaterThanOrEqual(1000);
    expect(log.entries).toMatchObject([{ method: 'GET', route: 'GET /objects/:object/resources', status: 200, attempts: 2 }]);
  });

  it('does not wait for a Retry-After that would pass the deadline', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 429, {}, { 'retry-after': '5' }));
    const started = Date.now();
    const error = await rejection(client(upstream).list('deal', {}, { credential, deadline: Date.now() + 1000 }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.attempts).toBe(1);
    expect(Date.now() - started).toBeLessThan(500);
    expect(upstream.requests).toHaveLength(1);
  });

  it('never sends when the deadline has already passed', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 200, {}));
    const log = new CallLog();
    const error = await rejection(client(upstream).get('deal', 'd1', {}, { credential, deadline: Date.now() - 1, recorder: log }));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(upstream.requests).toHaveLength(0);
    expect(log.count).toBe(0);
  });

  it('slows down when X-RateLimit-Remaining runs out instead of drawing a 429', async () => {
    const upstream = await stub((_req, res, index) =>
      sendJson(res, 200, listBody([], { total_records: 0 }), {
        'x-ratelimit-limit': '3000',
        'x-ratelimit-remaining': index === 0 ? '0' : '2999',
        'x-ratelimit-reset': '1',
      }),
    );
    const c = client(upstream);
    await c.listUsers({}, { credential });
    const firstDone = Date.now();
    await c.listUsers({}, { credential });
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1]!.receivedAt - firstDone).toBeGreaterThanOrEqual(950);
  });

  it('fails fast with RATE_LIMITED when the budget cannot recover before the deadline', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 200, listBody([], {}), { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' }));
    const c = client(upstream);
    await c.listUsers({}, { credential });
    const error = await rejection(c.listUsers({}, { credential, deadline: Date.now() + 2000 }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(upstream.requests).toHaveLength(1);
  });

  it('bounds concurrency by the connections option', async () => {
    const upstream = await stub((_req, res) => {
      setTimeout(() => sendJson(res, 200, { data: { type: 'deal', id: 'd', attributes: {} } }), 30);
    });
    const c = client(upstream, { connections: 2 });
    await Promise.all(Array.from({ length: 10 }, (_v, i) => c.get('deal', `d${i}`, {}, { credential })));
    expect(upstream.requests).toHaveLength(10);
    expect(upstream.maxOpen).toBe(2);
  });

  it('refuses a body over maxBodyBytes, declared or streamed, without retrying', async () => {
    const big = JSON.stringify({ data: { type: 'deal', id: 'd', attributes: { description: 'x'.repeat(4096) } } });
    const upstream = await stub((_req, res, index) => {
      if (index === 0) sendJson(res, 200, JSON.parse(big));
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(big.slice(0, 1000));
        setTimeout(() => res.end(big.slice(1000)), 20);
      }
    });
    const c = client(upstream, { maxBodyBytes: 1024 });
    const declared = await rejection(c.get('deal', 'd', {}, { credential }));
    expect(declared.code).toBe('UPSTREAM_BAD_RESPONSE');
    const streamed = await rejection(c.get('deal', 'd', {}, { credential }));
    expect(streamed.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(streamed.attempts).toBe(1);
    expect(upstream.requests).toHaveLength(2);
  });

  it('does not follow redirects', async () => {
    const upstream = await stub((_req, res) => {
      res.writeHead(302, { location: 'http://evil.example/steal' });
      res.end();
    });
    const error = await rejection(client(upstream).get('deal', 'd', {}, { credential }));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(upstream.requests).toHaveLength(1);
  });

  it('retries a non-idempotent create after a refused connection only', async () => {
    const c = new ClarifyClient({ apiUrl: 'http://127.0.0.1:9/v1', workspace: 'demo', retryBaseMs: 5 });
    clients.push(c);
    const log = new CallLog();
    const error = await rejection(c.create('task', { title: 'x' }, {}, { credential, recorder: log }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.attempts).toBe(3);
    expect(log.entries[0]).toMatchObject({ status: 0, attempts: 3 });
  });
});

describe('abort', () => {
  it('closes the in-flight upstream request when the caller aborts', async () => {
    const upstream = await stub(() => undefined); // never answers
    const c = client(upstream, { callTimeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = c.get('deal', 'd1', {}, { credential, signal: controller.signal });
    await waitFor(() => upstream.requests.length === 1);
    expect(upstream.open).toBe(1);
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    await waitFor(() => upstream.open === 0);
    expect(upstream.closedEarly).toBe(1);
    await waitFor(() => c.stats().running === 0 && c.stats().pending === 0);
    expect(upstream.requests).toHaveLength(1);
  });

  it('cancels a pending retry when the caller aborts during backoff', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 503, {}, { 'retry-after': '5' }));
    const controller = new AbortController();
    const started = Date.now();
    const pending = client(upstream).list('deal', {}, { credential, signal: controller.signal });
    await waitFor(() => upstream.requests.length === 1);
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.requests).toHaveLength(1);
  });

  it('does not send at all when the signal is already aborted', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 200, {}));
    const error = await rejection(client(upstream).getUser('u1', { credential, signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(upstream.requests).toHaveLength(0);
  });
});
