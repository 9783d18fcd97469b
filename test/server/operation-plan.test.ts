import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { cacheLookups, gatewayOver, graphql, startTestSandbox, upstreamTotal } from './helpers.js';

let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  gateway = await gatewayOver(sandbox);
});

afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
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

    const created = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}/schemas/objects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `api-key ${sandbox.apiKey}` },
      body: JSON.stringify({ name: 'Parcel', plural: 'Parcels' }),
    });
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
