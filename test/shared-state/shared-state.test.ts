import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { createGateway, type Gateway } from '../../src/server/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { collectIds, startTenantProxy, type TenantProxy } from '../helpers/tenant-proxy.js';
import { gatewayOver, graphql, silentLogger, type GraphQLResponse } from '../helpers/gateway.js';
import { redisAvailable } from '../helpers/redis-availability.js';

// Three gateway replicas, one sandbox, one real Redis. The replicas run in this process, each a
// createGateway of its own: its own Clarify client and pool, response cache, rate budget and
// Redis connection; they share only what they share through Redis.

/** The sandbox's budget per endpoint and minute, low so the tests overrun it in seconds. */
const BUDGET = 30;

interface SandboxStats {
  total: number;
  byRoute: Record<string, number>;
  rateLimited: number;
}

async function stats(sandbox: RunningSandbox): Promise<SandboxStats> {
  return (await (await fetch(`${sandbox.origin}/__sandbox/stats`)).json()) as SandboxStats;
}

async function metricValue(gateway: Gateway, line: string): Promise<number> {
  const text = await gateway.metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : 0;
}

function costOf(response: GraphQLResponse): { actualCalls: number } {
  return response.body.extensions?.['cost'] as { actualCalls: number };
}

const READS = [
  '{ people(first: 5) { nodes { id name { fullName } company { name } } } }',
  '{ companies(first: 5) { nodes { id name people(first: 3) { nodes { id name { fullName } } } } } }',
  '{ deals(first: 5) { nodes { id name company { name people(first: 2) { nodes { id } } } } } }',
  '{ people(first: 3, orderBy: { field: CREATED_AT, direction: DESC }) { totalCount nodes { id jobTitle company { id name } } } }',
];

describe('three replicas sharing one Redis', () => {
  let redis: TestRedis;
  let sandbox: RunningSandbox;
  let replicas: Gateway[];

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: BUDGET });
    replicas = await Promise.all(
      [0, 1, 2].map(() =>
        gatewayOver(sandbox, {
          redis: { url: redis.url, keyPrefix: 'replicas:' },
          cache: { ttlSeconds: 120 },
          rateLimitPerMinute: BUDGET,
          requestTimeoutMs: 3000,
        }),
      ),
    );
    await redisAvailable(replicas.map((r) => r.redis), true);
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await sandbox?.close();
    await redis?.stop();
  });

  it('serves repeated nested reads whose uncached cost is 3x the budget within the budget: no RATE_LIMITED, no upstream 429', async () => {
    const before = await stats(sandbox);
    const hitsBefore = await Promise.all(replicas.map((r) => metricValue(r, 'clarify_graphql_response_cache_total{result="hit"}')));
    // The first read of each shape fills the shared cache and tells its uncached cost.
    const costs = await Promise.all(READS.map(async (query, i) => costOf(await graphql(replicas[i % 3]!, query)).actualCalls));
    const uncachedPerRound = costs.reduce((a, b) => a + b, 0);
    expect(uncachedPerRound).toBeGreaterThanOrEqual(READS.length);
    const rounds = Math.ceil((3 * BUDGET) / uncachedPerRound);
    const problems: string[] = [];
    let requests = READS.length;
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        READS.map(async (query, i) => {
          const replica = replicas[(round + i) % 3]!;
          const response = await graphql(replica, query);
          requests++;
          if (response.status !== 200 || response.body.errors) problems.push(response.text.slice(0, 300));
        }),
      );
    }
    const after = await stats(sandbox);
    const hits =
      (await Promise.all(replicas.map((r) => metricValue(r, 'clarify_graphql_response_cache_total{result="hit"}')))).reduce((a, b) => a + b, 0) -
      hitsBefore.reduce((a, b) => a + b, 0);
    const hitRatio = hits / requests;
    const uncachedCost = (rounds + 1) * uncachedPerRound;
    console.info(`shared cache: ${requests} reads over 3 replicas, uncached cost ${uncachedCost} calls, ${after.total - before.total} upstream calls, hit ratio ${hitRatio.toFixed(3)}`);
    expect(uncachedCost).toBeGreaterThanOrEqual(3 * BUDGET);
    expect(problems).toEqual([]);
    expect(after.rateLimited - before.rateLimited).toBe(0);
    for (const [route, count] of Object.entries(after.byRoute)) expect(count, route).toBeLessThanOrEqual(BUDGET);
    expect(after.total - before.total).toBe(uncachedPerRound);
    expect(hits).toBe(requests - READS.length);
  });

  it('a mutation acknowledged by replica A is seen by the next read on B and C', async () => {
    const list = await graphql(replicas[0]!, '{ people(first: 1) { nodes { id } } }');
    const id = (list.body.data?.['people'] as { nodes: { id: string }[] }).nodes[0]!.id;
    const read = 'query($id: ID!) { person(id: $id) { id jobTitle } }';
    for (const replica of replicas) await graphql(replica, read, { variables: { id } });
    const cached = await graphql(replicas[2]!, read, { variables: { id } });
    expect(costOf(cached).actualCalls).toBe(0);

    for (const [n, title] of ['Shared Write One', 'Shared Write Two'].entries()) {
      const write = await graphql(
        replicas[0]!,
        'mutation($id: ID!, $title: String) { updatePerson(id: $id, input: { jobTitle: $title }) { userErrors { message } } }',
        { variables: { id, title } },
      );
      expect(write.body.data, `write ${n}`).toEqual({ updatePerson: { userErrors: [] } });
      for (const replica of [replicas[1]!, replicas[2]!]) {
        const seen = await graphql(replica, read, { variables: { id } });
        expect(seen.body.data).toEqual({ person: { id, jobTitle: title } });
      }
    }
  });

  it('keeps answering when Redis is killed mid-run, counts the fallback, and shares again once Redis is back', async () => {
    await redis.kill();
    await redisAvailable(replicas.map((r) => r.redis), false);
    const problems: string[] = [];
    for (let i = 0; i < 24; i++) {
      const response = await graphql(replicas[i % 3]!, READS[i % READS.length]!);
      if (response.status !== 200 || response.body.errors) problems.push(response.text.slice(0, 300));
    }
    expect(problems).toEqual([]);
    for (const replica of replicas) {
      expect(await metricValue(replica, 'clarify_graphql_redis_up')).toBe(0);
      expect(await metricValue(replica, 'clarify_graphql_redis_fallbacks_total{component="cache"}')).toBeGreaterThan(0);
    }
    const ready = await replicas[0]!.fetch('http://localhost/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, redis: { reachable: false } });

    await redis.start();
    await redisAvailable(replicas.map((r) => r.redis), true);
    const query = '{ tasks(first: 4) { nodes { id } } }';
    const first = await graphql(replicas[0]!, query);
    expect(costOf(first).actualCalls).toBeGreaterThan(0);
    for (const replica of [replicas[1]!, replicas[2]!]) expect(costOf(await graphql(replica, query)).actualCalls).toBe(0);
    expect(await metricValue(replicas[1]!, 'clarify_graphql_redis_up')).toBe(1);
    const readyAgain = await replicas[1]!.fetch('http://localhost/ready');
    expect(await readyAgain.json()).toMatchObject({ ready: true, redis: { reachable: true } });
  });
});

describe('a rate budget shared by three replicas (cache off)', () => {
  let redis: TestRedis;
  let sandbox: RunningSandbox;
  let replicas: Gateway[];
  const budget = 12;

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: budget });
    replicas = await Promise.all(
      [0, 1, 2].map(() =>
        gatewayOver(sandbox, { redis: { url: redis.url, keyPrefix: 'budget:' }, rateLimitPerMinute: budget, requestTimeoutMs: 1500 }),
      ),
    );
    await redisAvailable(replicas.map((r) => r.redis), true);
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await sandbox?.close();
    await redis?.stop();
  });

  it('never lets the replicas together overrun Clarify: the excess fails fast with RATE_LIMITED and retryAfter', async () => {
    const ids = ((await (await fetch(`${sandbox.apiUrl}/workspaces/demo/objects/person/resources?page[limit]=30`, { headers: { authorization: `api-key ${sandbox.apiKey}` } })).json()) as { data: { id: string }[] }).data.map((r) => r.id);
    const route = 'GET /objects/:object/resources/:id';
    const before = await stats(sandbox);
    const answers = await Promise.all(
      ids.map((id, i) => graphql(replicas[i % 3]!, 'query($id: ID!) { person(id: $id) { id } }', { variables: { id } })),
    );
    const after = await stats(sandbox);
    const ok = answers.filter((a) => a.body.data?.['person'] !== null && a.body.data?.['person'] !== undefined);
    const limited = answers.filter((a) => a.body.errors?.[0]?.extensions?.['code'] === 'RATE_LIMITED');
    expect(ok.length + limited.length).toBe(ids.length);
    expect(after.rateLimited - before.rateLimited).toBe(0);
    expect((after.byRoute[route] ?? 0) - (before.byRoute[route] ?? 0)).toBe(ok.length);
    expect(ok.length).toBeLessThanOrEqual(budget);
    expect(ok.length).toBeGreaterThan(0);
    expect(limited.length).toBeGreaterThanOrEqual(ids.length - budget);
    for (const answer of limited) expect(answer.body.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThanOrEqual(1);
  });
});

describe('pass-through callers sharing the cache across replicas', () => {
  let redis: TestRedis;
  let tenants: RunningSandbox[];
  let proxy: TenantProxy;
  let replicas: Gateway[];
  const keys = ['api-key tenant-one', 'api-key tenant-two'];
  const idsOf: Set<string>[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    tenants = await Promise.all([1, 2].map((seed) => startSandbox({ port: 0, host: '127.0.0.1', seed, rateLimitPerMinute: 1_000_000 })));
    proxy = await startTenantProxy({ [keys[0]!]: tenants[0]!, [keys[1]!]: tenants[1]! });
    replicas = await Promise.all(
      [0, 1, 2].map(() =>
        createGateway({
          apiUrl: proxy.apiUrl,
          workspace: 'demo',
          logger: silentLogger,
          processMetrics: false,
          schemaReloadIntervalSeconds: 60,
          redis: { url: redis.url, keyPrefix: 'tenants:' },
          cache: { ttlSeconds: 120 },
        }),
      ),
    );
    await redisAvailable(replicas.map((r) => r.redis), true);
    for (const tenant of tenants) {
      const ids = new Set<string>();
      for (const object of ['person', 'company']) {
        const response = await fetch(`${tenant.apiUrl}/workspaces/demo/objects/${object}/resources?page[limit]=500`, {
          headers: { authorization: `api-key ${tenant.apiKey}` },
        });
        for (const record of ((await response.json()) as { data: { id: string }[] }).data) ids.add(record.id);
      }
      idsOf.push(ids);
    }
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await proxy?.close();
    await Promise.all((tenants ?? []).map((t) => t.close()));
    await redis?.stop();
  });

  it('never serves one credential an answer cached for the other, over thousands of interleaved requests', async () => {
    expect([...idsOf[0]!].filter((id) => idsOf[1]!.has(id))).toEqual([]);
    const total = 2000;
    const failures: string[] = [];
    let next = 0;
    let cachedAnswers = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const tenant = i % 2;
        // The same document and variables for both tenants: only the credential tells them apart.
        const after = i % 5 === 0 ? null : Buffer.from(`offset:${(i % 5) - 1}`).toString('base64url');
        const response = await graphql(replicas[i % 3]!, 'query($after: String) { people(first: 3, after: $after) { nodes { id: clarifyId company { id: clarifyId } } } }', {
          headers: { authorization: keys[tenant]! },
          variables: { after },
        });
        const ids = collectIds(response.body.data);
        const strangers = ids.filter((id) => !idsOf[tenant]!.has(id));
        if (costOf(response)?.actualCalls === 0) cachedAnswers++;
        if (response.status !== 200 || response.body.errors || ids.length === 0 || strangers.length > 0) {
          failures.push(`#${i} tenant ${tenant}: ${response.status} strangers=${strangers.join(',')} ${response.text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    expect(failures).toEqual([]);
    expect(cachedAnswers).toBeGreaterThan(total * 0.9);
    const refused = await graphql(replicas[0]!, '{ people(first: 3) { nodes { id } } }', { headers: { authorization: 'api-key tenant-three' } });
    expect(refused.status).toBe(401);
  }, 120_000);
});
