import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { gatewayOver, graphql, type GraphQLResponse } from '../helpers/gateway.js';
import { startStack, type TestStack } from '../helpers/stack.js';
import { redisAvailable } from '../helpers/redis-availability.js';

// Two gateway replicas over one sandbox and one real Redis, with Redis killed or frozen
// (SIGSTOP): relationship edits never report a success another replica may undo, and requests
// keep their deadline: they are answered while Redis still does not, each Redis step given up
// (and counted) or refused with its code. How soon is measured by `npm run bench`, not here.

const REQUEST_TIMEOUT_MS = 1500;
const LINK = 'PATCH /objects/:object/records/:id/relationships/:rel';
const ADD = 'mutation($id: ID!, $ids: [ID!]!) { addDealPeople(id: $id, ids: $ids) { userErrors { code } } }';

let redis: TestRedis;
let stack: TestStack;
let sandbox: RunningSandbox;
let replicas: Gateway[];

/** Redis commands a replica gave up on and answered without, by component. */
async function redisFallbacks(gateway: Gateway): Promise<Record<string, number>> {
  const metric = await gateway.metrics.registry.getSingleMetric('clarify_graphql_redis_fallbacks_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((value) => [String(value.labels['component']), value.value]));
}

/** Fallbacks counted while `run` ran, by component. */
async function fallbacksDuring<T>(gateway: Gateway, run: () => Promise<T>): Promise<{ result: T; fallbacks: Record<string, number> }> {
  const before = await redisFallbacks(gateway);
  const result = await run();
  const after = await redisFallbacks(gateway);
  return { result, fallbacks: Object.fromEntries(Object.entries(after).filter(([component, n]) => n > (before[component] ?? 0)).map(([component, n]) => [component, n - (before[component] ?? 0)])) };
}

/** Upstream calls a response says it made (each one took its rate budget). */
const actualCalls = (response: GraphQLResponse): number => (response.body.extensions?.['cost'] as { actualCalls: number }).actualCalls;

async function linkRequests(): Promise<number> {
  const stats = (await (await fetch(`${sandbox.origin}/__sandbox/stats`)).json()) as { byRoute: Record<string, number> };
  return stats.byRoute[LINK] ?? 0;
}

async function linkedPeople(deal: string): Promise<string[]> {
  const response = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}/objects/deal/records/${deal}/relationships/people?page[limit]=500`, {
    headers: { authorization: `api-key ${sandbox.apiKey}` },
  });
  return ((await response.json()) as { data: { id: string }[] }).data.map((item) => item.id);
}

async function ids(plural: string, count: number): Promise<string[]> {
  const result = await graphql(replicas[0]!, `{ ${plural}(first: ${count}) { nodes { id: clarifyId } } }`);
  if (!result.body.data) throw new Error(result.text);
  return (result.body.data?.[plural] as { nodes: { id: string }[] }).nodes.map((node) => node.id);
}

/** 16 concurrent adds of one person each to one deal, alternating between the two replicas. */
async function sixteenAdds(deal: string, people: string[]): Promise<{ person: string; result: GraphQLResponse }[]> {
  return Promise.all(
    people.map(async (person, index) => ({ person, result: await graphql(replicas[index % 2]!, ADD, { variables: { id: deal, ids: [person] } }) })),
  );
}

/**
 * Waits until both replicas' edits get the lock: Redis that starts empty grants none for
 * REQUEST_TIMEOUT_MS and a little more, as an edit may still hold a lock it forgot.
 */
async function lockGranted(): Promise<void> {
  const [deal] = await ids('deals', 1);
  for (const replica of replicas) {
    await vi.waitFor(
      async () => {
        const result = await graphql(replica, ADD, { variables: { id: deal, ids: [] } });
        expect(result.body.errors?.[0]?.extensions?.['code'] ?? 'granted', result.text).toBe('granted');
      },
      { timeout: 15_000, interval: 100 },
    );
  }
}

const succeeded = (result: GraphQLResponse): boolean =>
  result.body.errors === undefined && (result.body.data?.['addDealPeople'] as { userErrors: unknown[] } | undefined)?.userErrors.length === 0;

beforeAll(async () => {
  redis = await startRedis();
  const options = { redis: { url: redis.url, keyPrefix: 'faults:' }, cache: { ttlSeconds: 60 }, requestTimeoutMs: REQUEST_TIMEOUT_MS };
  stack = await startStack(options);
  sandbox = stack.sandbox;
  replicas = [stack.gateway, await stack.gatewayOver(options)];
  await redisAvailable(replicas.map((r) => r.redis), true);
});

afterAll(async () => {
  redis?.resume();
  await stack?.close();
  await redis?.stop();
});

beforeEach(async () => {
  await fetch(`${sandbox.origin}/__sandbox/reset`, { method: 'POST' });
});

describe('relationship edits on two replicas with Redis killed', () => {
  beforeAll(lockGranted);

  it('refuse all 16 concurrent adds with WRITE_LOCK_UNAVAILABLE before any PATCH; once Redis is back, all 16 land', async () => {
    const [deal] = await ids('deals', 1);
    const before = await linkedPeople(deal!);
    const people = (await ids('people', 80)).filter((id) => !before.includes(id)).slice(0, 32);
    expect(people).toHaveLength(32);

    await redis.kill();
    await redisAvailable(replicas.map((r) => r.redis), false);
    const patchesBefore = await linkRequests();
    const down = await sixteenAdds(deal!, people.slice(0, 16));
    for (const { result } of down) {
      expect(result.body.errors?.[0]?.extensions, result.text).toEqual({ code: 'WRITE_LOCK_UNAVAILABLE', retryAfter: 1 });
    }
    expect(await linkRequests()).toBe(patchesBefore);
    // No reported success was lost (there was none), and nothing was linked.
    expect(await linkedPeople(deal!)).toEqual(before);

    await redis.start();
    await redisAvailable(replicas.map((r) => r.redis), true);
    await lockGranted();
    const up = await sixteenAdds(deal!, people.slice(16));
    expect(up.filter(({ result }) => succeeded(result))).toHaveLength(16);
    const linked = await linkedPeople(deal!);
    expect(up.map(({ person }) => person).filter((person) => !linked.includes(person))).toEqual([]);
  });

  it('never reports a lost link as added when Redis is killed while 16 concurrent adds run', async () => {
    const [deal] = await ids('deals', 1);
    const before = await linkedPeople(deal!);
    const people = (await ids('people', 80)).filter((id) => !before.includes(id)).slice(0, 16);
    const patchesBefore = await linkRequests();
    const running = sixteenAdds(deal!, people);
    await expect.poll(linkRequests).toBeGreaterThan(patchesBefore);
    await redis.kill();
    const results = await running;
    await redis.start();
    await redisAvailable(replicas.map((r) => r.redis), true);
    const linked = await linkedPeople(deal!);
    const reported = results.filter(({ result }) => succeeded(result)).map(({ person }) => person);
    expect(reported.filter((person) => !linked.includes(person))).toEqual([]);
    for (const { result } of results.filter(({ result }) => !succeeded(result))) {
      expect(['WRITE_LOCK_UNAVAILABLE', 'OUTCOME_UNKNOWN', 'CONFLICT'], result.text).toContain(result.body.errors?.[0]?.extensions?.['code']);
    }
    // Redis came back empty: edits are refused until any edit that held a forgotten lock is over.
    const [late] = people.slice(-1);
    const refused = await graphql(replicas[1]!, ADD, { variables: { id: deal, ids: [late] } });
    expect(refused.body.errors?.[0]?.extensions, refused.text).toMatchObject({ code: 'WRITE_LOCK_UNAVAILABLE' });
    expect(refused.body.errors?.[0]?.extensions?.['retryAfter']).toBeGreaterThanOrEqual(1);
    await lockGranted();
  });
});

describe('deadlines with Redis frozen (SIGSTOP)', () => {
  beforeAll(lockGranted);

  async function frozen<T>(run: () => Promise<T>): Promise<T> {
    redis.pause();
    try {
      return await run();
    } finally {
      redis.resume();
      await redisAvailable(replicas.map((r) => r.redis), true);
    }
  }

  it('addDealPeople refuses with WRITE_LOCK_UNAVAILABLE while Redis stays frozen, and writes nothing', async () => {
    const [deal] = await ids('deals', 1);
    const before = await linkedPeople(deal!);
    const person = (await ids('people', 80)).find((id) => !before.includes(id))!;
    const patchesBefore = await linkRequests();
    const { result, fallbacks } = await frozen(() => fallbacksDuring(replicas[0]!, () => graphql(replicas[0]!, ADD, { variables: { id: deal, ids: [person] } })));
    expect(result.body.errors?.[0]?.extensions, result.text).toEqual({ code: 'WRITE_LOCK_UNAVAILABLE', retryAfter: 1 });
    expect(fallbacks).toMatchObject({ 'write-lock': 1 });
    expect(await linkRequests()).toBe(patchesBefore);
  });

  it('a query the cache has not seen is answered from Clarify while Redis stays frozen, inline and with variables, each Redis step given up', async () => {
    const inline = await frozen(() => fallbacksDuring(replicas[1]!, () => graphql(replicas[1]!, '{ deals(first: 3) { nodes { id name people(first: 2, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { id } } } } }')));
    expect(inline.result.body.errors, inline.result.text).toBeUndefined();
    expect((inline.result.body.data?.['deals'] as { nodes: unknown[] }).nodes).toHaveLength(3);
    expect(inline.fallbacks).toEqual({ cache: 1, 'rate-budget': actualCalls(inline.result) });

    const withVariables = await frozen(() =>
      fallbacksDuring(replicas[0]!, () => graphql(replicas[0]!, 'query($n: Int!) { companies(first: $n) { nodes { id people(first: 2, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { id } } } } }', { variables: { n: 4 } })),
    );
    expect(withVariables.result.body.errors, withVariables.result.text).toBeUndefined();
    expect((withVariables.result.body.data?.['companies'] as { nodes: unknown[] }).nodes).toHaveLength(4);
    expect(withVariables.fallbacks).toEqual({ cache: 1, 'rate-budget': actualCalls(withVariables.result) });
  });
});

/**
 * A TCP relay in front of Redis that can be cut: while cut it forwards nothing either way and
 * closes nothing, as a network partition that drops packets does.
 */
async function startRelay(port: number): Promise<{ url: string; cut(): void; heal(): void; close(): Promise<void> }> {
  const pairs = new Set<[Socket, Socket]>();
  let cut = false;
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (cut) for (const socket of pair) socket.pause();
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      cut = true;
      for (const pair of pairs) for (const socket of pair) socket.pause();
    },
    heal() {
      cut = false;
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('deadlines with the replicas cut off from Redis by a partition', () => {
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let cutOff: Gateway;

  beforeAll(async () => {
    relay = await startRelay(redis.port);
    cutOff = await gatewayOver(sandbox, { redis: { url: relay.url, keyPrefix: 'faults:' }, cache: { ttlSeconds: 60 }, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    await redisAvailable([cutOff.redis], true);
  });
  afterAll(async () => {
    relay?.heal();
    await cutOff?.close();
    await relay?.close();
  });

  it('refuses addDealPeople and answers a new query while cut, giving up each Redis step, and edits again once healed', async () => {
    const [deal] = await ids('deals', 1);
    const before = await linkedPeople(deal!);
    const person = (await ids('people', 80)).find((id) => !before.includes(id))!;
    relay.cut();
    try {
      const refused = await fallbacksDuring(cutOff, () => graphql(cutOff, ADD, { variables: { id: deal, ids: [person] } }));
      expect(refused.result.body.errors?.[0]?.extensions, refused.result.text).toEqual({ code: 'WRITE_LOCK_UNAVAILABLE', retryAfter: 1 });
      expect(refused.fallbacks).toMatchObject({ 'write-lock': 1 });
      const read = await fallbacksDuring(cutOff, () => graphql(cutOff, '{ companies(first: 2) { nodes { id people(first: 1, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { id } } } } }'));
      expect(read.result.body.errors, read.result.text).toBeUndefined();
      expect(read.fallbacks).toEqual({ cache: 1, 'rate-budget': actualCalls(read.result) });
    } finally {
      relay.heal();
    }
    await redisAvailable([cutOff.redis], true);
    const added = await graphql(cutOff, ADD, { variables: { id: deal, ids: [person] } });
    expect(added.body.errors, added.text).toBeUndefined();
    expect(await linkedPeople(deal!)).toContain(person);
  });
});
