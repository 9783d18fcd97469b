import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import { createGateway, type Gateway } from '../../../src/server/gateway.js';
import { startHoldProxy, type HoldProxy } from '../../helpers/hold-proxy.js';
import { gatewayOver, graphql, silentLogger, upstreamTotal } from '../../helpers/gateway.js';
import { startStack } from '../../helpers/stack.js';

// The response cache without Redis: one process, its in-memory store.

const PEOPLE = '{ people(first: 3) { totalCount nodes { id name { fullName } jobTitle company { name } } } }';
const PERSON = 'query($id: ID!) { person(id: $id) { id jobTitle } }';

let sandbox: RunningSandbox;
let gateway: Gateway;

async function metric(g: Gateway, name: string): Promise<string> {
  const text = await g.metrics.registry.metrics();
  return text.split('\n').filter((line) => line.startsWith(name)).join('\n');
}

async function upstreamCallsOf(run: () => Promise<unknown>): Promise<number> {
  const before = await upstreamTotal(sandbox);
  await run();
  return (await upstreamTotal(sandbox)) - before;
}

beforeAll(async () => {
  const stack = await startStack({ cache: { ttlSeconds: 60 } });
  ({ sandbox, gateway } = stack);
  return stack.close;
});

describe('response cache (in process)', () => {
  it('answers a repeated read from the cache with 0 upstream calls and cost 0', async () => {
    const first = await graphql(gateway, PEOPLE);
    expect(first.body.errors).toBeUndefined();
    const firstCost = first.body.extensions?.['cost'] as { actualCalls: number };
    expect(firstCost.actualCalls).toBeGreaterThan(0);
    let second: Awaited<ReturnType<typeof graphql>> | undefined;
    expect(await upstreamCallsOf(async () => (second = await graphql(gateway, PEOPLE)))).toBe(0);
    expect(second?.body.data).toEqual(first.body.data);
    expect(second?.body.extensions?.['cost']).toEqual({ predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit: 50 });
    expect(await metric(gateway, 'clarify_graphql_response_cache_total{result="hit"}')).toMatch(/ [1-9]\d*$/);
    expect(await metric(gateway, 'clarify_graphql_response_cache_total{result="miss"}')).toMatch(/ [1-9]\d*$/);
  });

  it('keys entries by variables: another id is a miss', async () => {
    const list = await graphql(gateway, '{ people(first: 2) { nodes { id } } }');
    const [a, b] = (list.body.data?.['people'] as { nodes: { id: string }[] }).nodes;
    await graphql(gateway, PERSON, { variables: { id: a!.id } });
    expect(await upstreamCallsOf(() => graphql(gateway, PERSON, { variables: { id: a!.id } }))).toBe(0);
    expect(await upstreamCallsOf(() => graphql(gateway, PERSON, { variables: { id: b!.id } }))).toBe(1);
  });

  it('an update invalidates the entries holding that record and every list of its type, not other records', async () => {
    const list = await graphql(gateway, PEOPLE);
    const nodes = (list.body.data?.['people'] as { nodes: { id: string }[] }).nodes;
    const target = nodes[0]!.id;
    const other = nodes[1]!.id;
    await graphql(gateway, PERSON, { variables: { id: target } });
    await graphql(gateway, PERSON, { variables: { id: other } });

    const update = await graphql(
      gateway,
      'mutation($id: ID!) { updatePerson(id: $id, input: { jobTitle: "Cache Buster" }) { userErrors { message } } }',
      { variables: { id: target } },
    );
    expect(update.body.data).toEqual({ updatePerson: { userErrors: [] } });

    let after: Awaited<ReturnType<typeof graphql>> | undefined;
    expect(await upstreamCallsOf(async () => (after = await graphql(gateway, PERSON, { variables: { id: target } })))).toBe(1);
    expect(after?.body.data).toEqual({ person: { id: target, jobTitle: 'Cache Buster' } });
    expect(await upstreamCallsOf(() => graphql(gateway, PERSON, { variables: { id: other } }))).toBe(0);
    const listAfter = await graphql(gateway, PEOPLE);
    expect((listAfter.body.extensions?.['cost'] as { actualCalls: number }).actualCalls).toBeGreaterThan(0);
  });

  it('an update by Clarify id invalidates the entry filed under the global id, and the reverse', async () => {
    const list = await graphql(gateway, '{ people(first: 4) { nodes { id clarifyId } } }');
    const nodes = (list.body.data?.['people'] as { nodes: { id: string; clarifyId: string }[] }).nodes;
    for (const [index, [read, write]] of [['id', 'clarifyId'], ['clarifyId', 'id']].entries()) {
      const person = nodes[index + 2]!;
      await graphql(gateway, PERSON, { variables: { id: person[read as 'id'] } });
      const title = `Either id ${index}`;
      await graphql(gateway, 'mutation($id: ID!, $t: String) { updatePerson(id: $id, input: { jobTitle: $t }) { userErrors { message } } }', {
        variables: { id: person[write as 'id'], t: title },
      });
      let after: Awaited<ReturnType<typeof graphql>> | undefined;
      expect(await upstreamCallsOf(async () => (after = await graphql(gateway, PERSON, { variables: { id: person[read as 'id'] } })))).toBe(1);
      expect(after?.body.data).toEqual({ person: { id: person.id, jobTitle: title } });
    }
  });

  it('a create drops the cached lists of its type, so the new record is listed at once', async () => {
    const query = '{ people(first: 100, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount nodes { id } } }';
    const before = await graphql(gateway, query);
    expect(await upstreamCallsOf(() => graphql(gateway, query))).toBe(0);
    const created = await graphql(
      gateway,
      'mutation { createPerson(input: { name: { fullName: "Listed At Once" } }) { record { id } userErrors { message } } }',
    );
    const id = (created.body.data?.['createPerson'] as { record: { id: string } }).record.id;
    const after = await graphql(gateway, query);
    const totalBefore = (before.body.data?.['people'] as { totalCount: number }).totalCount;
    expect((after.body.data?.['people'] as { totalCount: number }).totalCount).toBe(totalBefore + 1);
    expect((after.body.data?.['people'] as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toContain(id);
  });

  it('never caches a mutation, an error, or a request without a valid credential', async () => {
    const tokened = await gatewayOver(sandbox, { cache: { ttlSeconds: 60 }, tokens: ['t'.repeat(16)], allowUnauthenticated: false });
    try {
      const ok = { authorization: `Bearer ${'t'.repeat(16)}` };
      await graphql(tokened, PEOPLE, { headers: ok });
      const refused = await graphql(tokened, PEOPLE, { headers: { authorization: `Bearer ${'x'.repeat(16)}` } });
      expect(refused.status).toBe(401);
      expect(refused.body.data ?? undefined).toBeUndefined();
      const anonymous = await graphql(tokened, PEOPLE);
      expect(anonymous.status).toBe(401);
      const bad = await graphql(tokened, '{ person(id: "00000000-0000-4000-8000-000000000000") { id } }', { headers: ok });
      const again = await upstreamCallsOf(() => graphql(tokened, '{ person(id: "00000000-0000-4000-8000-000000000000") { id } }', { headers: ok }));
      expect(bad.body.errors ?? bad.body.data).toBeDefined();
      expect(again).toBe(bad.body.errors ? 1 : 0);
    } finally {
      await tokened.close();
    }
  });

  it('never stores an answer holding a type whose TTL is 0, and stores the others', async () => {
    const perType = await gatewayOver(sandbox, { cache: { ttlSeconds: 60, ttlPerType: { Task: 0 } } });
    try {
      const tasks = '{ tasks(first: 2) { nodes { id title } } }';
      await graphql(perType, tasks);
      expect(await upstreamCallsOf(() => graphql(perType, tasks))).toBe(1);
      const noTask = '{ tasks(first: 0) { totalCount } deals(first: 2) { nodes { id } } }';
      await graphql(perType, noTask);
      expect(await upstreamCallsOf(() => graphql(perType, noTask))).toBe(0);
      await graphql(perType, PEOPLE);
      expect(await upstreamCallsOf(() => graphql(perType, PEOPLE))).toBe(0);
    } finally {
      await perType.close();
    }
  });

  it('is off with a TTL of 0: every read goes upstream', async () => {
    const uncached = await gatewayOver(sandbox);
    try {
      await graphql(uncached, PEOPLE);
      expect(await upstreamCallsOf(() => graphql(uncached, PEOPLE))).toBeGreaterThan(0);
    } finally {
      await uncached.close();
    }
  });

  it('keeps pass-through callers apart: a cached answer is never served to another credential', async () => {
    const passThrough = await createGateway({
      apiUrl: sandbox.apiUrl,
      workspace: sandbox.workspace,
      logger: silentLogger,
      processMetrics: false,
      schemaReloadIntervalSeconds: 60,
      cache: { ttlSeconds: 60 },
    });
    try {
      const good = { authorization: `api-key ${sandbox.apiKey}` };
      const first = await graphql(passThrough, PEOPLE, { headers: good });
      expect(first.body.errors).toBeUndefined();
      expect(await upstreamCallsOf(() => graphql(passThrough, PEOPLE, { headers: good }))).toBe(0);
      const stranger = await graphql(passThrough, PEOPLE, { headers: { authorization: 'api-key someone-else' } });
      expect(stranger.status).toBe(401);
      expect(stranger.body.data ?? undefined).toBeUndefined();
    } finally {
      await passThrough.close();
    }
  });
});

describe('response cache (in process): concurrency', () => {
  let proxy: HoldProxy;
  let held: Gateway;

  beforeAll(async () => {
    proxy = await startHoldProxy(sandbox.origin);
    held = await gatewayOver(sandbox, { apiUrl: `${proxy.origin}/v1`, cache: { ttlSeconds: 60 } });
  });

  afterAll(async () => {
    await held?.close();
    await proxy?.close();
  });

  it('does not store a read whose answer arrives after a write it raced', async () => {
    const list = await graphql(held, '{ people(first: 3) { nodes { id: clarifyId } } }');
    const id = (list.body.data?.['people'] as { nodes: { id: string }[] }).nodes[2]!.id;
    const read = `{ person(id: "${id}") { id: clarifyId jobTitle } }`;
    await graphql(held, `mutation { updatePerson(id: "${id}", input: { jobTitle: "First" }) { userErrors { message } } }`);
    const hold = proxy.holdNext((method, path) => method === 'GET' && path.includes(`/person/resources/${id}`));
    const reading = graphql(held, read);
    await hold.answered;
    await graphql(held, `mutation { updatePerson(id: "${id}", input: { jobTitle: "Second" }) { userErrors { message } } }`);
    hold.release();
    expect((await reading).body.data).toEqual({ person: { id, jobTitle: 'First' } });
    expect((await graphql(held, read)).body.data).toEqual({ person: { id, jobTitle: 'Second' } });
  });

  it('makes one upstream read for concurrent misses of one key', async () => {
    const list = await graphql(held, '{ people(first: 4) { nodes { id: clarifyId } } }');
    const id = (list.body.data?.['people'] as { nodes: { id: string }[] }).nodes[3]!.id;
    const before = await upstreamTotal(sandbox);
    const answers = await Promise.all(Array.from({ length: 5 }, () => graphql(held, 'query($id: ID!) { person(id: $id) { id: clarifyId jobTitle } }', { variables: { id } })));
    expect((await upstreamTotal(sandbox)) - before).toBe(1);
    for (const answer of answers) expect(answer.body.data).toEqual(answers[0]!.body.data);
  });
});
