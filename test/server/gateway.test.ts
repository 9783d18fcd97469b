import { parse, validate } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { GRAPHIQL_EXAMPLE_TABS } from '../../src/server/graphiql-examples.js';
import { gatewayOver, graphql, upstreamTotal } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

const NESTED = /* GraphQL */ `
  query Nested {
    deals(first: 3) {
      nodes {
        name
        company { name }
        people(first: 2) { nodes { name { fullName } } }
      }
    }
  }
`;

let sandbox: RunningSandbox;
let gateway: Gateway;
const TOKEN = 'test-token-0123456789';
const ADMIN = 'admin-token-0123456789';

beforeAll(async () => {
  const stack = await startStack({
    tokens: [TOKEN],
    allowUnauthenticated: false,
    adminToken: ADMIN,
    limits: { depth: 8, aliases: 4, bodyBytes: 2048, cost: 20 },
  });
  ({ sandbox, gateway } = stack);
  return stack.close;
});

const auth = { authorization: `Bearer ${TOKEN}` };

/** Runs a query and asserts the sandbox saw no request at all while it ran. */
async function withoutUpstream<T>(run: () => Promise<T>): Promise<T> {
  const before = await upstreamTotal(sandbox);
  const result = await run();
  expect(await upstreamTotal(sandbox)).toBe(before);
  return result;
}

describe('gateway', () => {
  it('answers a nested query and reports its cost', async () => {
    const before = await upstreamTotal(sandbox);
    const { status, body, headers } = await graphql(gateway, NESTED, { headers: auth });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const deals = (body.data?.['deals'] as { nodes: unknown[] }).nodes;
    expect(deals).toHaveLength(3);
    const cost = body.extensions?.['cost'] as { predictedCalls: number; actualCalls: number; limit: number };
    expect(cost.limit).toBe(20);
    expect(cost.actualCalls).toBe((await upstreamTotal(sandbox)) - before);
    expect(cost.actualCalls).toBeGreaterThan(0);
    expect(headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports retried upstream requests beside the logical calls', async () => {
    await fetch(`${sandbox.origin}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'GET /objects/:object/resources', status: 503, retryAfter: 0, count: 1 }),
    });
    const before = await upstreamTotal(sandbox);
    const { body } = await graphql(gateway, '{ deals(first: 2) { totalCount } }', { headers: auth });
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.['cost']).toMatchObject({ predictedCalls: 1, actualCalls: 1, upstreamRequests: 2 });
    expect((await upstreamTotal(sandbox)) - before).toBe(2);
  });

  it('echoes a sane caller request id', async () => {
    const { headers } = await graphql(gateway, '{ __typename }', { headers: { ...auth, 'x-request-id': 'req-42' } });
    expect(headers.get('x-request-id')).toBe('req-42');
  });

  describe('auth (server key with tokens)', () => {
    it('answers 401 UNAUTHENTICATED without a token, with a wrong one, or with an api-key', async () => {
      const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-000000000' }, { authorization: 'api-key sandbox-key' }];
      for (const headers of attempts) {
        const { status, body, text } = await withoutUpstream(() => graphql(gateway, NESTED, { headers }));
        expect(status).toBe(401);
        expect(body.data).toBeUndefined();
        expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
        expect(text).not.toContain('sandbox-key');
      }
    });

    it('refuses a server key without tokens unless explicitly allowed', async () => {
      await expect(gatewayOver(sandbox, { allowUnauthenticated: false })).rejects.toThrow(/tokens/);
    });
  });

  describe('limits, each rejected before any upstream call', () => {
    it('depth', async () => {
      const deep = '{ deals { nodes { company { people { nodes { deals { nodes { company { name } } } } } } } } }';
      const { body } = await withoutUpstream(() => graphql(gateway, deep, { headers: auth }));
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/depth limit/i);
    });

    it('aliases', async () => {
      const aliased = `{ ${[1, 2, 3, 4, 5, 6].map((i) => `a${i}: deals(first: 1) { totalCount }`).join(' ')} }`;
      const { body } = await withoutUpstream(() => graphql(gateway, aliased, { headers: auth }));
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/aliases/i);
    });

    it('body size (413), declared or streamed', async () => {
      const query = `{ deals(first: 1) { nodes { name } } } # ${'x'.repeat(4096)}`;
      await withoutUpstream(async () => {
        const declared = await gateway.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body: JSON.stringify({ query }),
        });
        expect(declared.status).toBe(413);
        const streamed = await gateway.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...auth },
          body: new Blob([JSON.stringify({ query })]).stream(),
          duplex: 'half',
        } as RequestInit);
        expect(streamed.status).toBe(413);
        expect(((await streamed.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
          'PAYLOAD_TOO_LARGE',
        );
      });
    });

    it('tokens and directives', async () => {
      const tight = await gatewayOver(sandbox, { limits: { tokens: 40, directives: 2 } });
      try {
        const many = `{ deals(first: 1) { nodes { ${'name '.repeat(40)} } } }`;
        const tokens = await withoutUpstream(() => graphql(tight, many));
        expect(tokens.body.errors?.[0]?.message).toMatch(/token limit/i);
        const directives = '{ deals(first: 1) @include(if: true) @skip(if: false) { totalCount @include(if: true) } }';
        const rejected = await withoutUpstream(() => graphql(tight, directives));
        expect(rejected.body.errors?.[0]?.message).toMatch(/directives/i);
      } finally {
        await tight.close();
      }
    });

    it('cost', async () => {
      const costly = `{ ${['a', 'b', 'c'].map((a) => `${a}: deals(first: 5000) { nodes { name } }`).join(' ')} }`;
      const { body } = await withoutUpstream(() => graphql(gateway, costly, { headers: auth }));
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.['code']).toBe('COST_LIMIT_EXCEEDED');
      expect(body.extensions?.['cost']).toMatchObject({ actualCalls: 0, limit: 20 });
    });
  });

  describe('browser safety', () => {
    it('sends no CORS headers to other origins by default', async () => {
      const preflight = await gateway.fetch('http://localhost/graphql', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('allows configured origins', async () => {
      const open = await gatewayOver(sandbox, { corsOrigins: ['https://app.example'] });
      try {
        const preflight = await open.fetch('http://localhost/graphql', {
          method: 'OPTIONS',
          headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
        });
        expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
      } finally {
        await open.close();
      }
    });

    it('refuses form posts a foreign page could send without a preflight', async () => {
      const response = await withoutUpstream(async () =>
        gateway.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
          body: 'query=%7B%20deals%20%7B%20totalCount%20%7D%20%7D',
        }),
      );
      expect(response.status).toBe(415);
    });
  });

  describe('error masking', () => {
    it('maps an upstream failure to its code without stack, key or upstream URL', async () => {
      await fetch(`${sandbox.origin}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ route: 'GET /objects/:object/resources', status: 503, count: 10 }),
      });
      try {
        const { body, text } = await graphql(gateway, '{ deals(first: 1) { nodes { name } } }', { headers: auth });
        expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
        expect(text).not.toMatch(/sandbox-key|127\.0\.0\.1|stack|at .*\.ts/);
      } finally {
        await fetch(`${sandbox.origin}/__sandbox/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clear: true }),
        });
      }
    });
  });

  describe('service routes', () => {
    it('/health and /ready', async () => {
      expect((await gateway.fetch('http://localhost/health')).status).toBe(200);
      const ready = await gateway.fetch('http://localhost/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, schemaLoaded: true, upstreamReachable: true });
    });

    it('/metrics counts operations, errors by code and upstream calls by route and status', async () => {
      expect((await gateway.fetch('http://localhost/metrics')).status).toBe(401);
      const text = await (await gateway.fetch('http://localhost/metrics', { headers: auth })).text();
      expect(text).toMatch(/clarify_graphql_operations_total\{type="query",outcome="ok"\} \d+/);
      expect(text).toMatch(/clarify_graphql_errors_total\{code="UNAUTHENTICATED"\} \d+/);
      expect(text).toMatch(/clarify_graphql_errors_total\{code="COST_LIMIT_EXCEEDED"\} \d+/);
      expect(text).toMatch(/clarify_graphql_upstream_calls_total\{route="GET \/objects\/:object\/resources",status="200"\} \d+/);
      expect(text).toContain('clarify_graphql_upstream_call_duration_seconds_bucket');
      expect(text).toContain('clarify_graphql_rate_limit_waits_total');
    });

    it('/admin/reload-schema needs the admin token', async () => {
      const post = (headers: Record<string, string>) =>
        gateway.fetch('http://localhost/admin/reload-schema', { method: 'POST', headers });
      expect((await post({})).status).toBe(401);
      expect((await post(auth)).status).toBe(401);
      const ok = await post({ authorization: `Bearer ${ADMIN}` });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ changed: false, version: 1 });
    });
  });

  it('turns introspection off when configured', async () => {
    const closed = await gatewayOver(sandbox, { introspection: false });
    try {
      const { body } = await graphql(closed, '{ __schema { types { name } } }');
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/introspection/i);
    } finally {
      await closed.close();
    }
  });
});

describe('GraphiQL example tabs', () => {
  it('all run against the demo workspace without errors', async () => {
    for (const tab of GRAPHIQL_EXAMPLE_TABS) {
      if (/^subscription /m.test(tab.query)) {
        // A subscription streams until stopped: it must validate and start an event stream.
        expect(validate(gateway.getSchema()!, parse(tab.query))).toEqual([]);
        const abort = new AbortController();
        const response = await gateway.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...auth },
          body: JSON.stringify({ query: tab.query }),
          signal: abort.signal,
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/event-stream');
        abort.abort();
        await response.body?.cancel().catch(() => undefined);
        continue;
      }
      const { status, body } = await graphql(gateway, tab.query, { headers: auth });
      expect(body.errors, tab.query).toBeUndefined();
      expect(status).toBe(200);
    }
  });
});
