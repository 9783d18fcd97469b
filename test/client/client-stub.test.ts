import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallLog } from '../../src/client/call-log.js';
import { ClarifyClient, type ClarifyClientOptions } from '../../src/client/clarify-client.js';
import type { ListPage } from '../../src/client/types.js';
import { RecordingClientLogger } from '../helpers/client-logger.js';
import { rejection } from '../helpers/sandbox-control.js';
import { listBody, sendJson, startStub, type Stub } from '../helpers/stub-server.js';

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

/** The request paths a stub received, in arrival order. */
const paths = (s: Stub): string[] => s.requests.map((r) => new URL(r.url, 'http://x').pathname);
const USERS = '/v1/workspaces/demo/users';
const DEALS = '/v1/workspaces/demo/objects/deal/resources';
const USER_MARKER = '/v1/workspaces/demo/users/marker';

const deal = (id: string): { type: string; id: string; attributes: Record<string, unknown> } => ({ type: 'deal', id, attributes: { _id: id, name: id } });

afterEach(async () => {
  vi.useRealTimers();
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
    // Only timers are faked: a marker call on another route, sent while the retry waits, must
    // reach the stub before the retry, and the retry goes out once the clock passes 1 s.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const upstream = await stub((req, res, index) => {
      if (req.url === USER_MARKER) sendJson(res, 200, { data: { type: 'user', id: 'marker', attributes: {} } });
      else if (index === 0) sendJson(res, 429, { errors: [{ status: '429', title: 'Too many requests' }] }, { 'retry-after': '1' });
      else sendJson(res, 200, listBody([], { total_records: 0, limit: 500, offset: 0 }));
    });
    const log = new CallLog();
    const logger = new RecordingClientLogger();
    const c = client(upstream, { connections: 1, logger });
    const listed = c.list('deal', {}, { credential, recorder: log });
    expect((await logger.next('retrying Clarify call')).fields).toMatchObject({ status: 429, delayMs: 1000 });
    await vi.advanceTimersByTimeAsync(999);
    await c.getUser('marker', { credential });
    expect(paths(upstream)).toEqual([DEALS, USER_MARKER]);
    await vi.advanceTimersByTimeAsync(1);
    await listed;
    expect(paths(upstream)).toEqual([DEALS, USER_MARKER, DEALS]);
    expect(log.entries).toMatchObject([{ method: 'GET', route: 'GET /objects/:object/resources', status: 200, attempts: 2 }]);
  });

  it('does not wait for a Retry-After that would pass the deadline', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 429, {}, { 'retry-after': '5' }));
    const logger = new RecordingClientLogger();
    const error = await rejection(client(upstream, { logger }).list('deal', {}, { credential, deadline: Date.now() + 1000 }));
    // Waiting would have ended at the deadline with UPSTREAM_TIMEOUT; it fails at once instead.
    expect(error).toMatchObject({ code: 'RATE_LIMITED', attempts: 1, retryAfterMs: 5000 });
    expect(logger.withMessage('retrying Clarify call')).toEqual([]);
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
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const upstream = await stub((req, res, index) => {
      if (req.url === USER_MARKER) sendJson(res, 200, { data: { type: 'user', id: 'marker', attributes: {} } });
      else
        sendJson(res, 200, listBody([], { total_records: 0 }), {
          'x-ratelimit-limit': '3000',
          'x-ratelimit-remaining': index === 0 ? '0' : '2999',
          'x-ratelimit-reset': '1',
        });
    });
    const logger = new RecordingClientLogger();
    const c = client(upstream, { connections: 1, logger });
    await c.listUsers({}, { credential });
    const second = c.listUsers({}, { credential });
    const pacing = await logger.next('pacing Clarify call');
    expect(pacing.fields).toMatchObject({ route: 'GET /users' });
    expect(pacing.fields['waitMs']).toBeGreaterThan(0);
    expect(pacing.fields['waitMs']).toBeLessThanOrEqual(1000);
    // The paced call is held until the reset; a call on another route is not.
    await c.getUser('marker', { credential });
    expect(paths(upstream)).toEqual([USERS, USER_MARKER]);
    await vi.advanceTimersByTimeAsync(1000);
    await second;
    expect(paths(upstream)).toEqual([USERS, USER_MARKER, USERS]);
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
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1));
    expect(upstream.open).toBe(1);
    controller.abort();
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    await expect.poll(() => upstream.open).toBe(0);
    expect(upstream.closedEarly).toBe(1);
    await expect.poll(() => c.stats()).toMatchObject({ running: 0, pending: 0 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('cancels a pending retry when the caller aborts during backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const upstream = await stub((req, res) => {
      if (req.url === USER_MARKER) sendJson(res, 200, { data: { type: 'user', id: 'marker', attributes: {} } });
      else sendJson(res, 503, {}, { 'retry-after': '5' });
    });
    const logger = new RecordingClientLogger();
    const c = client(upstream, { connections: 1, logger });
    const controller = new AbortController();
    const pending = c.list('deal', {}, { credential, signal: controller.signal });
    expect((await logger.next('retrying Clarify call')).fields).toMatchObject({ status: 503, delayMs: 5000 });
    controller.abort();
    const error = await rejection(pending);
    expect(error).toMatchObject({ code: 'ABORTED', attempts: 1 });
    // Past the Retry-After, a retry that was still scheduled would be sent before the marker.
    await vi.advanceTimersByTimeAsync(10_000);
    await c.getUser('marker', { credential });
    expect(paths(upstream)).toEqual([DEALS, USER_MARKER]);
  });

  it('does not send at all when the signal is already aborted', async () => {
    const upstream = await stub((_req, res) => sendJson(res, 200, {}));
    const error = await rejection(client(upstream).getUser('u1', { credential, signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(upstream.requests).toHaveLength(0);
  });
});
