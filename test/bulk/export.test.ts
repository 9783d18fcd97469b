import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { cacheLookups, gatewayOver, graphql, serveOverHttp } from '../helpers/gateway.js';
import { counting, exportOf, postExport } from './helpers.js';

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', records: 20_000, rateLimitPerMinute: 1_000_000 });
  // Quick retries, so that an upstream outage ends an export in milliseconds.
  gateway = await gatewayOver(sandbox, { client: { retryBaseMs: 1, maxAttempts: 2 } });
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

/**
 * Upstream reads of a whole export: the first page reads 500 records; each later one starts at
 * the key cursor's value and skips the one record seen there, so it reads 500 and adds 499.
 */
const exportPages = (total: number): number => (total <= 500 ? 1 : 1 + Math.ceil((total - 500) / 499));

const ids = (lines: Record<string, unknown>[]) => lines.map((line) => line['id'] as string);

async function totalDeals(filter?: Record<string, unknown>): Promise<number> {
  const answer = await graphql(gateway, 'query($filter: DealFilter) { deals(first: 1, filter: $filter) { totalCount } }', { variables: { filter } });
  return (answer.body.data?.['deals'] as { totalCount: number }).totalCount;
}

describe('POST /export', () => {
  it('writes every deal once, in the connection order, in one upstream read per page of 500', async () => {
    const total = await totalDeals();
    expect(total).toBeGreaterThan(2_000);
    const plans = await cacheLookups(gateway, 'clarify_graphql_operation_plans_total');
    const { result: answer, calls, byRoute } = await counting(sandbox, () => exportOf(gateway, '{ deals { nodes { id name createdAt company { name } people { nodes { id } } } } }'));
    // Planned for the first page (500 records) and for the pages after a cursor (499); reused after that.
    const planned = await cacheLookups(gateway, 'clarify_graphql_operation_plans_total');
    expect(planned.miss - plans.miss).toBe(2);
    expect(planned.hit - plans.hit).toBe(calls - 2);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(answer.lines).toHaveLength(total);
    expect(new Set(ids(answer.lines)).size).toBe(total);
    const created = answer.lines.map((line) => line['createdAt'] as string);
    expect([...created].sort()).toEqual(created);
    // The nested relationships come with each page (include), as for /graphql.
    expect(answer.lines.every((line) => typeof (line['company'] as { name?: unknown } | null)?.name === 'string')).toBe(true);
    expect(calls).toBe(exportPages(total));
    expect(calls).toBeLessThanOrEqual(Math.ceil(total / 500) + 2);
    expect(byRoute).toEqual({ 'GET /objects/:object/resources': calls });
    expect(answer.trailer.extensions).toMatchObject({ count: total, actualCalls: calls });
    expect(typeof answer.trailer.extensions['endCursor']).toBe('string');
    expect(answer.trailer.errors).toBeUndefined();
    const exported = await gateway.metrics.registry.getSingleMetric('clarify_graphql_bulk_lines_total')?.get();
    expect(exported?.values.find((value) => value.labels['endpoint'] === 'export')?.value).toBe(total);

    // The same order as /graphql's own pages.
    const first = await graphql(gateway, '{ deals(first: 500) { nodes { id } } }');
    expect(ids(answer.lines).slice(0, 500)).toEqual(ids((first.body.data?.['deals'] as { nodes: Record<string, unknown>[] }).nodes));
  });

  it('writes the records a filter and order select, as /graphql gives them', async () => {
    const filter = { stage: { in: ['WON', 'NEGOTIATION'] }, amount: { gte: 50_000 } };
    const query = 'query($filter: DealFilter) { deals(filter: $filter, orderBy: { field: AMOUNT, direction: DESC }) { nodes { id amount stage } } }';
    const answer = await exportOf(gateway, query, { filter });
    const viaGraphql = await graphql(
      gateway,
      'query($filter: DealFilter) { deals(filter: $filter, orderBy: { field: AMOUNT, direction: DESC }, first: 5000) { totalCount nodes { id amount stage } } }',
      { variables: { filter } },
    );
    const expected = viaGraphql.body.data?.['deals'] as { totalCount: number; nodes: Record<string, unknown>[] };
    expect(expected.totalCount).toBeGreaterThan(500);
    expect(answer.lines).toEqual(expected.nodes);
    expect(answer.trailer.extensions['count']).toBe(expected.totalCount);
  });

  it('caps the lines at the document’s first, and resumes after a cursor with no gap and no duplicate', async () => {
    const total = await totalDeals();
    const whole = await exportOf(gateway, '{ deals { nodes { id } } }');
    const query = 'query($after: String) { deals(after: $after) { edges { cursor node { id } } } }';

    // A reader that goes away after 1,000 lines, keeping the last cursor it saw.
    const response = await postExport(gateway, query);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const seen: { cursor: string; node: { id: string } }[] = [];
    let buffer = '';
    while (seen.length < 1_000) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (seen.length < 1_000) seen.push(JSON.parse(line) as (typeof seen)[number]);
    }
    await reader.cancel();
    expect(seen).toHaveLength(1_000);

    const rest = await exportOf(gateway, query, { after: seen.at(-1)!.cursor });
    const resumed = [...seen, ...(rest.lines as typeof seen)].map((edge) => edge.node.id);
    expect(resumed).toHaveLength(total);
    expect(resumed).toEqual(ids(whole.lines));
    expect(rest.trailer.extensions['count']).toBe(total - 1_000);

    const capped = await exportOf(gateway, 'query($after: String) { deals(first: 1000, after: $after) { edges { cursor node { id } } } }', { after: seen[99]!.cursor });
    expect((capped.lines as typeof seen).map((edge) => edge.node.id)).toEqual(ids(whole.lines).slice(100, 1_100));
    expect(capped.trailer.extensions['endCursor']).toBe((capped.lines.at(-1) as (typeof seen)[number]).cursor);

    // `first` and `after` as variables: given, or left to their declared defaults.
    const declared = `query($n: Int = 250, $after: String = "${seen[99]!.cursor}") { deals(first: $n, after: $after) { edges { cursor node { id } } } }`;
    const byDefault = await exportOf(gateway, declared);
    expect((byDefault.lines as typeof seen).map((edge) => edge.node.id)).toEqual(ids(whole.lines).slice(100, 350));
    const given = await exportOf(gateway, declared, { n: 3, after: seen[999]!.cursor });
    expect((given.lines as typeof seen).map((edge) => edge.node.id)).toEqual(ids(whole.lines).slice(1_000, 1_003));
  });

  it.each([
    ['a syntax error', '{ deals { nodes { id }', 'GRAPHQL_PARSE_FAILED'],
    ['a mutation', 'mutation { deleteDeal(id: "x") { deletedId } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['two root fields', '{ deals { nodes { id } } people { nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a connection’s totalCount', '{ deals { totalCount nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a single record', '{ deal(id: "x") { id } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a field the schema lacks', '{ deals { nodes { id nope } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an invalid filter value', '{ deals(filter: { stage: { in: [] } }) { nodes { id } } }', 'BAD_USER_INPUT'],
    ['a cursor it never gave out', '{ deals(after: "bm90LWEtY3Vyc29y") { nodes { id } } }', 'BAD_USER_INPUT'],
    ['last', '{ deals(last: 5) { nodes { id } } }', 'GRAPHQL_VALIDATION_FAILED'],
  ])('refuses %s with 400 and a coded error, before any upstream call', async (_name, query, code) => {
    const { result: answer, calls } = await counting(sandbox, () => exportOf(gateway, query));
    expect(answer.status).toBe(400);
    expect(answer.json?.errors?.[0]?.extensions?.['code']).toBe(code);
    expect(calls).toBe(0);
  });

  it('ends with the coded errors and the last cursor written when Clarify fails mid-stream', async () => {
    const response = await postExport(gateway, '{ deals { edges { cursor node { id } } } }');
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    // The first page is written (and the second may be read ahead); then Clarify goes down.
    let text = (await reader.read()).value ?? '';
    await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ route: 'GET /objects/:object/resources', status: 503 }) });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += value;
      }
    } finally {
      await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ clear: true }) });
    }
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const trailer = lines.pop() as { errors?: { extensions: { code: string } }[]; extensions: Record<string, unknown> };
    expect([500, 999]).toContain(lines.length);
    expect(trailer.errors?.map((error) => error.extensions.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(trailer.extensions['count']).toBe(lines.length);
    expect(trailer.extensions['endCursor']).toBe(lines.at(-1)!['cursor']);
  });
});

describe('POST /export to a caller that goes away', () => {
  it('stops reading pages, and counts the export as cancelled', async () => {
    const served = await serveOverHttp(await gatewayOver(sandbox));
    const metrics = async () => {
      const text = await (await fetch(`${served.origin}/metrics`)).text();
      const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
      return { running: value(/^clarify_graphql_bulk_in_progress\{endpoint="export"\} (\d+)/m), cancelled: value(/^clarify_graphql_bulk_requests_total\{endpoint="export",outcome="cancelled"\} (\d+)/m) };
    };
    try {
      const leaving = new AbortController();
      const response = await fetch(`${served.origin}/export`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ deals { nodes { id name } } }' }),
        signal: leaving.signal,
      });
      const reader = response.body!.getReader();
      await reader.read();
      leaving.abort();
      await expect.poll(metrics, { timeout: 5_000 }).toEqual({ running: 0, cancelled: 1 });
      // Nothing more is read once it has stopped: a marker read sent now is the only call the
      // sandbox sees, where a page loop still running would have sent its next page first.
      const marker = () => fetch(`${served.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ company(id: "00000000-0000-4000-8000-000000000000") { name } }' }),
      }).then((answer) => answer.text());
      const { byRoute } = await counting(sandbox, marker);
      expect(byRoute).toEqual({ 'GET /objects/:object/resources/:id': 1 });
    } finally {
      await served.close();
    }
  });
});

describe('POST /export under the rate limit', () => {
  it('waits out a RATE_LIMITED page and goes on, instead of ending', async () => {
    // Three 429s in a row: the client's two attempts fail, the export waits and asks again.
    await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ route: 'GET /objects/:object/resources', status: 429, retryAfter: 1, count: 3 }) });
    try {
      const { result: answer, calls } = await counting(sandbox, () => exportOf(gateway, '{ deals(first: 10) { nodes { id } } }'));
      expect(answer.status).toBe(200);
      expect(answer.lines).toHaveLength(10);
      expect(answer.trailer.errors).toBeUndefined();
      expect(calls).toBe(4);
      expect(answer.trailer.extensions['actualCalls']).toBe(2);
    } finally {
      await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ clear: true }) });
    }
  });
});

describe('POST /export, refused', () => {
  it('refuses a caller without credentials as /graphql does, before any upstream call', async () => {
    const guarded = await gatewayOver(sandbox, { tokens: ['export-test-token-0001'], allowUnauthenticated: false });
    try {
      const { result, calls } = await counting(sandbox, async () => ({
        exported: await exportOf(guarded, '{ deals { nodes { id } } }'),
        graphql: await graphql(guarded, '{ deals { nodes { id } } }'),
        wrongToken: await exportOf(guarded, '{ deals { nodes { id } } }', {}, { authorization: 'Bearer not-the-token-at-all' }),
      }));
      expect(result.exported.status).toBe(401);
      expect(result.graphql.status).toBe(401);
      expect(result.exported.json?.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(result.graphql.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
      expect(result.exported.headers.get('www-authenticate')).toBe('Bearer');
      expect(result.wrongToken.status).toBe(401);
      expect(calls).toBe(0);
      const allowed = await exportOf(guarded, '{ deals(first: 3) { nodes { id } } }', {}, { authorization: 'Bearer export-test-token-0001' });
      expect(allowed.lines).toHaveLength(3);
    } finally {
      await guarded.close();
    }
  });

  it('answers 406 to an Accept without NDJSON and 415 to a body that is not JSON', async () => {
    const notAcceptable = await exportOf(gateway, '{ deals { nodes { id } } }', {}, { accept: 'text/html' });
    expect(notAcceptable.status).toBe(406);
    const wildcard = await exportOf(gateway, '{ deals(first: 1) { nodes { id } } }', {}, { accept: '*/*' });
    expect(wildcard.lines).toHaveLength(1);
    const form = await exportOf(gateway, '{ deals { nodes { id } } }', {}, { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
  });
});
