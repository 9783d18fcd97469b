import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay.js';
import { startTenantProxy, type TenantProxy } from '../helpers/tenant-proxy.js';
import { gatewayOver, graphql, silentLogger, type GraphQLResponse } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';
import { redisAvailable } from '../helpers/redis-availability.js';

// The response cache shared through one real redis-server: whose answers it shares (one read per
// key, never across upstreams or tenants), what it never stores, and what a partition leaves.

const BY_ID = 'GET /objects/:object/resources/:id';

let redis: TestRedis;

const calls = (response: GraphQLResponse): number => (response.body.extensions?.['cost'] as { actualCalls: number }).actualCalls;

async function routeCount(sandbox: RunningSandbox, route: string): Promise<number> {
  const stats = (await (await fetch(`${sandbox.origin}/__sandbox/stats`)).json()) as { byRoute: Record<string, number> };
  return stats.byRoute[route] ?? 0;
}

async function firstIds(sandbox: RunningSandbox, object: string, count: number): Promise<string[]> {
  const response = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}/objects/${object}/resources?page[limit]=${count}`, {
    headers: { authorization: `api-key ${sandbox.apiKey}` },
  });
  return ((await response.json()) as { data: { id: string }[] }).data.map((record) => record.id);
}

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

describe('concurrent misses of one key', () => {
  let sandbox: RunningSandbox;
  let replicas: Gateway[];

  beforeAll(async () => {
    const options = { redis: { url: redis.url, keyPrefix: 'flight:' }, cache: { ttlSeconds: 120 } };
    const stack = await startStack(options);
    sandbox = stack.sandbox;
    replicas = [stack.gateway, await stack.gatewayOver(options)];
    await redisAvailable(replicas.map((r) => r.redis), true, 10_000);
    return stack.close;
  });

  it('make one upstream read on one replica, all answered alike', async () => {
    const [id] = await firstIds(sandbox, 'deal', 1);
    const before = await routeCount(sandbox, BY_ID);
    const answers = await Promise.all(Array.from({ length: 6 }, () => graphql(replicas[0]!, 'query($id: ID!) { deal(id: $id) { id name } }', { variables: { id } })));
    expect((await routeCount(sandbox, BY_ID)) - before).toBe(1);
    for (const answer of answers) expect(answer.body.data).toEqual(answers[0]!.body.data);
    expect(answers.map(calls).sort()).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('make one upstream read over two replicas', async () => {
    const [, id] = await firstIds(sandbox, 'deal', 2);
    const before = await routeCount(sandbox, BY_ID);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => graphql(replicas[i % 2]!, `{ deal(id: "${id}") { id name amount } }`)));
    expect((await routeCount(sandbox, BY_ID)) - before).toBe(1);
    for (const answer of answers) expect(answer.body.data).toEqual(answers[0]!.body.data);
  });
});

describe('two upstreams with the same workspace slug sharing one Redis', () => {
  let sandboxes: RunningSandbox[];
  let gateways: Gateway[];

  beforeAll(async () => {
    // Same seed: the same ids and values, until one of them is written.
    sandboxes = await Promise.all([0, 1].map(() => startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 })));
    gateways = await Promise.all(sandboxes.map((sandbox) => gatewayOver(sandbox, { redis: { url: redis.url, keyPrefix: 'upstreams:' }, cache: { ttlSeconds: 120 } })));
    await vi.waitFor(() => expect(gateways.every((g) => g.redis?.available())).toBe(true), { timeout: 10_000 });
  });

  afterAll(async () => {
    await Promise.all((gateways ?? []).map((g) => g.close()));
    await Promise.all((sandboxes ?? []).map((s) => s.close()));
  });

  it('never serve one upstream the answer cached for the other', async () => {
    const [id] = await firstIds(sandboxes[0]!, 'deal', 1);
    const [a, b] = gateways as [Gateway, Gateway];
    const read = 'query($id: ID!) { deal(id: $id) { id: clarifyId amount } }';
    const write = await graphql(a, 'mutation($id: ID!) { updateDeal(id: $id, input: { amount: 5 }) { record { amount } } }', { variables: { id } });
    expect(write.body.data).toEqual({ updateDeal: { record: { amount: 5 } } });
    const onB = await graphql(b, read, { variables: { id } });
    expect(calls(onB)).toBe(1);
    const onA = await graphql(a, read, { variables: { id } });
    expect(calls(onA)).toBe(1);
    expect(onA.body.data).toEqual({ deal: { id, amount: 5 } });
    expect((onB.body.data?.['deal'] as { amount: number }).amount).not.toBe(5);
    // Each is cached in its own scope.
    expect((await graphql(a, read, { variables: { id } })).body.data).toEqual({ deal: { id, amount: 5 } });
    expect((await graphql(b, read, { variables: { id } })).body.data).toEqual(onB.body.data);
  });
});

describe('ETags across pass-through tenants', () => {
  let tenants: RunningSandbox[];
  let proxy: TenantProxy;
  let gateway: Gateway;
  const keys = ['api-key tenant-one', 'api-key tenant-two'];
  const query = '{ deals(first: 3) { nodes { id name } } }';

  const send = (credential: string | undefined, etag?: string) =>
    gateway.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(credential ? { authorization: credential } : {}),
        ...(etag ? { 'if-none-match': etag } : {}),
      },
      body: JSON.stringify({ query }),
    });

  beforeAll(async () => {
    tenants = await Promise.all([1, 2].map((seed) => startSandbox({ port: 0, host: '127.0.0.1', seed, rateLimitPerMinute: 1_000_000 })));
    proxy = await startTenantProxy({ [keys[0]!]: tenants[0]!, [keys[1]!]: tenants[1]! });
    gateway = await createGateway({
      apiUrl: proxy.apiUrl,
      workspace: 'demo',
      logger: silentLogger,
      processMetrics: false,
      schemaReloadIntervalSeconds: 60,
      redis: { url: redis.url, keyPrefix: 'etags:' },
      cache: { ttlSeconds: 120 },
    });
    await vi.waitFor(() => expect(gateway.redis?.available()).toBe(true), { timeout: 10_000 });
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy?.close();
    await Promise.all((tenants ?? []).map((t) => t.close()));
  });

  it('answer 304 only to the caller whose entry the ETag names', async () => {
    const first = await send(keys[0]);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await send(keys[0], etag!);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const otherTenant = await send(keys[1], etag!);
    expect(otherTenant.status).toBe(200);
    const body = (await otherTenant.json()) as { data: { deals: { nodes: { id: string }[] } } };
    const firstIds = ((await (await send(keys[0])).json()) as { data: { deals: { nodes: { id: string }[] } } }).data.deals.nodes.map((n) => n.id);
    expect(body.data.deals.nodes.map((n) => n.id)).not.toEqual(firstIds);

    expect((await send(keys[0], '"never-issued"')).status).toBe(200);
    expect((await send(undefined, etag!)).status).toBe(401);
    expect((await send('api-key stranger', etag!)).status).toBe(401);
  });
});

describe('incremental answers', () => {
  let sandbox: RunningSandbox;
  let gateway: Gateway;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
    gateway = await gatewayOver(sandbox, { redis: { url: redis.url, keyPrefix: 'defer:' }, cache: { ttlSeconds: 120 } });
    await vi.waitFor(() => expect(gateway.redis?.available()).toBe(true), { timeout: 10_000 });
  });

  afterAll(async () => {
    await gateway?.close();
    await sandbox?.close();
  });

  it('are never cached: the same @defer or @stream operation goes upstream each time', async () => {
    const [id] = await firstIds(sandbox, 'deal', 1);
    for (const query of [
      'query($id: ID!) { deal(id: $id) { id ... @defer { name } } }',
      '{ deals(first: 3) { nodes @stream(initialCount: 1) { id } } }',
    ]) {
      for (let i = 0; i < 3; i++) {
        const before = (await routeCount(sandbox, BY_ID)) + (await routeCount(sandbox, 'GET /objects/:object/resources'));
        const response = await gateway.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
          body: JSON.stringify({ query, variables: { id } }),
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('multipart/mixed');
        await response.text();
        const after = (await routeCount(sandbox, BY_ID)) + (await routeCount(sandbox, 'GET /objects/:object/resources'));
        expect(after - before, query).toBe(1);
      }
    }
  });
});

describe('a partition between the replicas and Redis', () => {
  let relay: TcpRelay;
  let sandbox: RunningSandbox;
  let a: Gateway;
  let b: Gateway;

  beforeAll(async () => {
    relay = await startTcpRelay(redis.port);
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
    const options = { redis: { url: relay.url, keyPrefix: 'partition:' }, cache: { ttlSeconds: 120 } };
    [a, b] = await Promise.all([gatewayOver(sandbox, options), gatewayOver(sandbox, options)]);
    await vi.waitFor(() => expect(a.redis?.available() && b.redis?.available()).toBe(true), { timeout: 10_000 });
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await relay?.close();
    await sandbox?.close();
  });

  it('a write acknowledged while Redis was unreachable is seen on both replicas once it is back', async () => {
    const [id] = await firstIds(sandbox, 'person', 1);
    const read = 'query($id: ID!) { person(id: $id) { id jobTitle } }';
    const title = (response: GraphQLResponse) => (response.body.data?.['person'] as { jobTitle: string | null }).jobTitle;
    for (const replica of [a, b]) await graphql(replica, read, { variables: { id } });
    for (const replica of [a, b]) expect(calls(await graphql(replica, read, { variables: { id } }))).toBe(0);

    relay.cut();
    await vi.waitFor(() => expect(a.redis?.available() || b.redis?.available()).toBe(false), { timeout: 10_000 });
    const write = await graphql(a, 'mutation($id: ID!) { updatePerson(id: $id, input: { jobTitle: "Renamed in the dark" }) { userErrors { message } } }', { variables: { id } });
    expect(write.body.data).toEqual({ updatePerson: { userErrors: [] } });
    // Meanwhile neither replica answers from a cache that cannot know of the write.
    for (const replica of [a, b]) expect(title(await graphql(replica, read, { variables: { id } }))).toBe('Renamed in the dark');

    relay.restore();
    await vi.waitFor(() => expect(a.redis?.available() && b.redis?.available()).toBe(true), { timeout: 10_000 });
    for (const replica of [a, b]) {
      const seen = await graphql(replica, read, { variables: { id } });
      expect(title(seen)).toBe('Renamed in the dark');
    }
    // And the cache is shared again.
    expect(calls(await graphql(b, read, { variables: { id } }))).toBe(0);
  });
});
