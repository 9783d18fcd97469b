import { createServer } from 'node:net';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { gatewayOver, graphql, startTestSandbox } from '../helpers/gateway.js';

// What the logs and metrics say about each kind of answer.
type Line = Record<string, unknown>;

function capture(level: 'debug' | 'info' = 'info'): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const logger: Logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Line) });
  return { logger, lines };
}

async function operationsTotal(gateway: Gateway): Promise<string> {
  return (await gateway.metrics.registry.getSingleMetricAsString('clarify_graphql_operations_total')).split('\n').filter((l) => !l.startsWith('#')).join('\n');
}

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('operation lines and operations_total', () => {
  let gateway: Gateway;
  const { logger, lines } = capture();
  beforeAll(async () => {
    gateway = await gatewayOver(sandbox, { logger, cache: { ttlSeconds: 60 } });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('logs and counts a response cache hit as the query it answers, marked cached', async () => {
    const query = 'query CachedDeals($n: Int!) { deals(first: $n) { nodes { name } } }';
    await graphql(gateway, query, { variables: { n: 1 }, headers: { 'x-request-id': 'cache-miss-1' } });
    const hit = await graphql(gateway, query, { variables: { n: 1 }, headers: { 'x-request-id': 'cache-hit-1' } });
    expect(hit.body.errors).toBeUndefined();
    const line = lines.find((l) => l['requestId'] === 'cache-hit-1' && l['msg'] === 'graphql operation');
    expect(line).toMatchObject({ type: 'query', operation: 'CachedDeals', cached: true, upstreamCalls: 0 });
    const inline = '{ companies(first: 1) { nodes { name } } }';
    await graphql(gateway, inline);
    await graphql(gateway, inline, { headers: { 'x-request-id': 'cache-hit-2' } });
    expect(lines.find((l) => l['requestId'] === 'cache-hit-2')).toMatchObject({ type: 'query', cached: true });
    expect(await operationsTotal(gateway)).not.toContain('rejected');
  });

  it('logs and counts a subscription over SSE as a subscription with its name', async () => {
    const abort = new AbortController();
    const response = await gateway.fetch('http://localhost/graphql', {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-request-id': 'sub-1' },
      body: JSON.stringify({ query: 'subscription WatchDeals($filter: DealFilter) { dealChanged(filter: $filter) { kind id } }', variables: {} }),
    });
    expect(response.status).toBe(200);
    await expect.poll(() => lines.find((l) => l['requestId'] === 'sub-1')).toMatchObject({ type: 'subscription', operation: 'WatchDeals' });
    abort.abort();
    await response.body?.cancel().catch(() => undefined);
    expect(await operationsTotal(gateway)).toMatch(/type="subscription",outcome="ok"} 1/);
    expect(await operationsTotal(gateway)).not.toContain('rejected');
  });

  it('logs an incremental answer with its type and name, marked incremental', async () => {
    const response = await gateway.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', 'x-request-id': 'defer-1' },
      body: JSON.stringify({ query: 'query DeferredDeals { deals(first: 1) { nodes { name ... @defer { amount } } } }' }),
    });
    await response.text();
    expect(lines.find((l) => l['requestId'] === 'defer-1')).toMatchObject({ type: 'query', operation: 'DeferredDeals', incremental: true });
  });
});

describe('upstream failure lines', () => {
  it('carry the requestId of the request they serve', async () => {
    const { logger, lines } = capture('debug');
    const gateway = await gatewayOver(sandbox, { logger, client: { retryBaseMs: 1 } });
    try {
      await fetch(`${sandbox.origin}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ route: 'GET /objects/:object/resources', status: 503, count: 1 }),
      });
      const answer = await graphql(gateway, '{ companies(first: 1) { nodes { name } } }', { headers: { 'x-request-id': 'upstream-503' } });
      expect(answer.body.errors).toBeUndefined();
      const retry = lines.find((l) => l['msg'] === 'retrying Clarify call');
      expect(retry).toMatchObject({ requestId: 'upstream-503', status: 503 });
      const attempts = lines.filter((l) => l['msg'] === 'Clarify call attempt' && l['route'] === 'GET /objects/:object/resources');
      expect(attempts.map((l) => [l['requestId'], l['status']])).toEqual([['upstream-503', 503], ['upstream-503', 200]]);
    } finally {
      await gateway.close();
    }
  });
});

describe('CORS refusals', () => {
  it('are logged at info with the origin, once a minute per origin, and same-origin requests are not', async () => {
    const { logger, lines } = capture();
    const gateway = await gatewayOver(sandbox, { logger, corsOrigins: ['https://app.example.com'] });
    try {
      const preflight = () =>
        gateway.fetch('http://localhost/graphql', {
          method: 'OPTIONS',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'x-request-id': 'cors-1' },
        });
      expect((await preflight()).status).toBe(403);
      expect((await preflight()).status).toBe(403);
      const post = (origin: string, site?: string) =>
        gateway.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json', ...(site ? { 'sec-fetch-site': site } : {}) },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
      await post('https://other.example', 'cross-site');
      await post('http://localhost');
      await post('https://public.example', 'same-origin');
      await post('https://app.example.com', 'cross-site');
      const refusals = lines.filter((l) => typeof l['msg'] === 'string' && l['msg'].startsWith('CORS: refused'));
      expect(refusals.map((l) => [l['level'], l['origin'], l['preflight']])).toEqual([
        [30, 'https://evil.example', true],
        [30, 'https://other.example', false],
      ]);
      expect(refusals[0]).toMatchObject({ requestId: 'cors-1', method: 'POST' });
    } finally {
      await gateway.close();
    }
  });
});

describe('Redis unreachable at start', () => {
  it('is a warning at once, not only /ready and redis_up', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const { logger, lines } = capture();
    const gateway = await gatewayOver(sandbox, { logger, redis: { url: `redis://:secret-pass@127.0.0.1:${closed}` } });
    try {
      await expect.poll(() => lines.find((l) => l['level'] === 40 && String(l['msg']).startsWith('Redis unreachable at start'))).toMatchObject({
        redis: `127.0.0.1:${closed}`,
      });
      expect(lines.filter((l) => String(l['msg']).startsWith('Redis unreachable'))).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain('secret-pass');
    } finally {
      await gateway.close();
    }
  });
});
