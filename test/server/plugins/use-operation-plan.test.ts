import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import type { Gateway } from '../../../src/server/gateway.js';
import { cacheLookups, createObjectUpstream, graphql, upstreamTotal } from '../../helpers/gateway.js';
import { startStack } from '../../helpers/stack.js';

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  const stack = await startStack();
  ({ sandbox, gateway } = stack);
  return stack.close;
});

const planLookups = () => cacheLookups(gateway, 'clarify_graphql_operation_plans_total');

const DEALS = 'query Deals($first: Int!) { deals(first: $first) { totalCount nodes { name company { name } } } }';

describe('operation plans', () => {
  it('plans a repeated operation once, and again after the schema changed', async () => {
    const before = await planLookups();
    for (let i = 0; i < 3; i++) {
      const result = await graphql(gateway, DEALS, { variables: { first: 3 } });
      expect(result.body.errors).toBeUndefined();
      expect(result.body.extensions?.['cost']).toMatchObject({ predictedCalls: 1, maxCalls: 1, exact: true, actualCalls: 1 });
    }
    const repeated = await planLookups();
    expect(repeated.miss - before.miss).toBe(1);
    expect(repeated.hit - before.hit).toBe(2);

    const created = await createObjectUpstream(sandbox, { name: 'Parcel', plural: 'Parcels' });
    expect(created.status).toBe(201);
    expect(await gateway.reloadSchema()).toBe(true);
    await graphql(gateway, DEALS, { variables: { first: 3 } });
    const reloaded = await planLookups();
    expect(reloaded.miss - repeated.miss).toBe(1);
  });

  it('refuses first and last together in the plan, with no upstream call, and keeps sibling fields', async () => {
    const calls = await upstreamTotal(sandbox);
    const result = await graphql(gateway, '{ deals(first: 2, last: 2) { totalCount } }');
    expect(result.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0]?.message).toContain('not both');
    expect(result.body.extensions?.['cost']).toMatchObject({ predictedCalls: 0, actualCalls: 0 });
    expect(await upstreamTotal(sandbox)).toBe(calls);

    const mixed = await graphql(gateway, '{ bad: deals(first: 2, last: 2) { totalCount } good: deals(first: 1) { totalCount } }');
    expect(mixed.body.data).toMatchObject({ bad: null, good: { totalCount: expect.any(Number) } });
    expect(mixed.body.extensions?.['cost']).toMatchObject({ predictedCalls: 1, actualCalls: 1 });
  });

  it('first: 0 gives cursors that keep the position, so a cursor loop moves on', async () => {
    const page = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id }';
    const all = await graphql(gateway, `{ deals(first: 3) { nodes { id } } }`);
    const ids = (all.body.data?.['deals'] as { nodes: { id: string }[] }).nodes.map((n) => n.id);

    const empty = await graphql(gateway, `{ deals(first: 0) { ${page} } }`);
    const info = (empty.body.data?.['deals'] as { pageInfo: { hasNextPage: boolean; endCursor: string | null } }).pageInfo;
    expect(info.hasNextPage).toBe(true);
    expect(info.endCursor).not.toBeNull();
    const next = await graphql(gateway, `query($after: String) { deals(first: 3, after: $after) { nodes { id } } }`, {
      variables: { after: info.endCursor },
    });
    expect((next.body.data?.['deals'] as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toEqual(ids);

    // An empty page in the middle keeps its place too.
    const second = await graphql(gateway, `{ deals(first: 1) { pageInfo { endCursor } } }`);
    const after = (second.body.data?.['deals'] as { pageInfo: { endCursor: string } }).pageInfo.endCursor;
    const middle = await graphql(gateway, `query($after: String) { deals(first: 0, after: $after) { ${page} } }`, { variables: { after } });
    const middleInfo = (middle.body.data?.['deals'] as { pageInfo: { endCursor: string } }).pageInfo;
    const resumed = await graphql(gateway, `query($after: String) { deals(first: 2, after: $after) { nodes { id } } }`, {
      variables: { after: middleInfo.endCursor },
    });
    expect((resumed.body.data?.['deals'] as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toEqual(ids.slice(1, 3));
  });
});

describe('plans reused with other variable values', () => {
  interface Deal {
    id: string;
    name: string;
    company: { name: string } | null;
    people: { nodes: { id: string }[] };
  }
  const SELECTION = 'id name company { name } people { nodes { id } }';
  let reference: Deal[];

  beforeAll(async () => {
    const all = await graphql(gateway, `{ deals(first: 40) { nodes { ${SELECTION} } } }`);
    reference = (all.body.data?.['deals'] as { nodes: Deal[] }).nodes;
    expect(reference).toHaveLength(40);
  });

  /** Runs requests one after another and returns their bodies, with the plan lookups and upstream calls they made. */
  const run = async (requests: { query: string; variables: Record<string, unknown> }[]) => {
    const lookups = await planLookups();
    const calls = await upstreamTotal(sandbox);
    const bodies = [];
    for (const request of requests) {
      const result = await graphql(gateway, request.query, { variables: request.variables });
      expect(result.body.errors).toBeUndefined();
      bodies.push(result.body);
    }
    const after = await planLookups();
    return { bodies, misses: after.miss - lookups.miss, hits: after.hit - lookups.hit, upstream: (await upstreamTotal(sandbox)) - calls };
  };
  const cursor = (offset: number) => Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');

  it('plans a page once for a stream of cursors, each page the right one, one call each', async () => {
    const query = `query Page($first: Int!, $after: String) { deals(first: $first, after: $after) { nodes { ${SELECTION} } } }`;
    const offsets = [7, 0, 21, 3, 30, 7];
    const { bodies, misses, hits, upstream } = await run(offsets.map((offset) => ({ query, variables: { first: 5, after: cursor(offset) } })));
    bodies.forEach((body, i) => {
      expect((body.data?.['deals'] as { nodes: Deal[] }).nodes).toEqual(reference.slice(offsets[i]! + 1, offsets[i]! + 6));
      expect(body.extensions?.['cost']).toMatchObject({ predictedCalls: 1, actualCalls: 1 });
    });
    expect({ misses, hits, upstream }).toEqual({ misses: 1, hits: offsets.length - 1, upstream: offsets.length });
  });

  it('plans a record by id once for a stream of ids, each the right record, one call each', async () => {
    const query = `query One($id: ID!) { deal(id: $id) { ${SELECTION} } }`;
    const picks = [5, 17, 2, 39, 5];
    const { bodies, misses, hits, upstream } = await run(picks.map((i) => ({ query, variables: { id: reference[i]!.id } })));
    bodies.forEach((body, i) => {
      expect(body.data?.['deal']).toEqual(reference[picks[i]!]);
      expect(body.extensions?.['cost']).toMatchObject({ predictedCalls: 1, actualCalls: 1 });
    });
    expect({ misses, hits, upstream }).toEqual({ misses: 1, hits: picks.length - 1, upstream: picks.length });
  });

  it('root fields reading the same id share one call, different ids make two, from two plans', async () => {
    const query = `query Two($x: ID!, $y: ID!) { a: deal(id: $x) { id name company { name } } b: deal(id: $y) { id people { nodes { id } } } }`;
    const pairs: [number, number][] = [[1, 1], [2, 3], [4, 4], [6, 5], [8, 8], [9, 10]];
    const { bodies, misses, hits, upstream } = await run(pairs.map(([x, y]) => ({ query, variables: { x: reference[x]!.id, y: reference[y]!.id } })));
    let expectedCalls = 0;
    bodies.forEach((body, i) => {
      const [x, y] = pairs[i]!;
      const calls = x === y ? 1 : 2;
      expectedCalls += calls;
      expect(body.data).toEqual({
        a: { id: reference[x]!.id, name: reference[x]!.name, company: reference[x]!.company },
        b: { id: reference[y]!.id, people: reference[y]!.people },
      });
      expect(body.extensions?.['cost']).toMatchObject({ predictedCalls: calls, actualCalls: calls });
    });
    expect({ misses, hits, upstream }).toEqual({ misses: 2, hits: pairs.length - 2, upstream: expectedCalls });
  });

  it('compiles a filter from each request\'s variables with one plan', async () => {
    const query = 'query Named($q: String) { deals(first: 200, filter: { name: { contains: $q } }) { nodes { name } } }';
    const words = [...new Set(reference.slice(0, 6).map((deal) => deal.name.slice(0, 4)))];
    expect(words.length).toBeGreaterThan(2);
    const { bodies, misses, hits, upstream } = await run(words.map((q) => ({ query, variables: { q } })));
    bodies.forEach((body, i) => {
      const names = (body.data?.['deals'] as { nodes: { name: string }[] }).nodes.map((node) => node.name);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(name.toLowerCase()).toContain(words[i]!.toLowerCase());
      expect(body.extensions?.['cost']).toMatchObject({ predictedCalls: 1, actualCalls: 1 });
    });
    expect({ misses, hits, upstream }).toEqual({ misses: 1, hits: words.length - 1, upstream: words.length });
  });
});
