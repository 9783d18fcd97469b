import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.js';
import { collect, LIST_ROUTE, rest, sandboxCalls, startLiveStack, TEST_INTERVAL_MS, type LiveStack } from '../helpers/live-stack.js';

// Three replicas over one Redis and one sandbox: one is a separate `npm start` process so that
// it can be killed outright (SIGKILL: no lease released, no goodbye); two run in this process.

const root = fileURLToPath(new URL('../..', import.meta.url));
const LEASE_MS = 2000;

const BY_STAGE = /* GraphQL */ `
  subscription ByStage($stage: DealStage!) {
    dealChanged(filter: { stage: { is: $stage } }) {
      kind
      id: clarifyId
      changedAt
      record { name stage company { name } }
    }
  }
`;

interface Item {
  data?: { dealChanged: { kind: string; id: string; changedAt: string; record: { name: string; stage: string; company: { name: string } | null } | null } } | null;
  errors?: unknown;
}

let redis: TestRedis;
let sandbox: RunningSandbox;
let child: ChildProcess | undefined;
let childOutput = '';
let childUrl = '';
const stacks: LiveStack[] = [];
let inspector: Redis;

async function startChild(): Promise<void> {
  const port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      CLARIFY_API_URL: sandbox.apiUrl,
      CLARIFY_WORKSPACE: sandbox.workspace,
      CLARIFY_API_KEY: sandbox.apiKey,
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      SUBSCRIPTION_MIN_INTERVAL_MS: String(TEST_INTERVAL_MS),
      SUBSCRIPTION_POLLS_PER_MINUTE: '1000000',
      SUBSCRIPTION_LEASE_MS: String(LEASE_MS),
      SCHEMA_RELOAD_INTERVAL_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (childOutput = (childOutput + chunk.toString()).slice(-8000)));
  child.stderr?.on('data', (chunk: Buffer) => (childOutput = (childOutput + chunk.toString()).slice(-8000)));
  childUrl = `http://127.0.0.1:${port}/graphql`;
  await vi.waitFor(
    async () => {
      if (child?.exitCode !== null) throw new Error(`the replica process exited:\n${childOutput}`);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).ok, 'the replica process to serve').toBe(true);
    },
    { timeout: 45_000, interval: 20 },
  );
}

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
  inspector = new Redis(redis.url, { lazyConnect: false });
  await startChild();
  for (let i = 0; i < 2; i++) {
    stacks.push(await startLiveStack({ redis: { url: redis.url }, subscriptions: { leaseMs: LEASE_MS, maxPerCredential: 200 } }, sandbox));
  }
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const stack of stacks) await stack.close();
  inspector?.disconnect();
  await sandbox?.close();
  await redis?.stop();
});

/** The holder of every lease there is: the token (host/pid/random) of each `live:lease:*` key. */
async function leases(): Promise<Map<string, string>> {
  const keys = await inspector.keys('clarify-graphql:live:lease:*');
  const holders = new Map<string, string>();
  for (const key of keys) {
    const token = await inspector.get(key);
    if (token) holders.set(key, token);
  }
  return holders;
}

/** A metric of the process replica, read from its /metrics. */
async function childMetric(name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', childUrl))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.slice(name.length + 1));
}

function pidOf(token: string): number {
  return Number(token.split('/')[1]);
}

async function dealIn(stage: string): Promise<string> {
  const list = await rest(sandbox, 'GET', `/objects/deal/resources?filter[stage]=${stage}&page[limit]=1`);
  return (list?.data as { id: string }[])[0]!.id;
}

async function moveDeal(id: string, stage: string): Promise<void> {
  await rest(sandbox, 'PATCH', `/objects/deal/records/${id}`, { data: { type: 'deal', id, attributes: { stage } } });
}

describe('subscriptions across replicas', () => {
  it('poll once for the whole deployment, fan out to every replica once, and survive the death of the lease holder', async () => {
    const clients: SseClient[] = [];
    const subscribe = (url: string) => {
      const client = createSseClient({ url, retryAttempts: 0 });
      clients.push(client);
      const stream = collect(client.iterate<Item['data']>({ query: BY_STAGE, variables: { stage: 'WON' } })) as unknown as { items: Item[]; done: Promise<void> };
      // The killed replica's streams end with a network error; that is expected.
      stream.done.catch(() => undefined);
      return stream;
    };
    try {
      // The separate process subscribes first, so it takes the lease of the feed (and of the
      // object's deletions).
      const onChild = [subscribe(childUrl), subscribe(childUrl)];
      await expect.poll(async () => [...(await leases()).values()].filter((token) => pidOf(token) === child!.pid).length === 2, { timeout: 15_000, interval: 20, message: 'the process replica to hold both leases' }).toBe(true);
      const onStacks = stacks.flatMap((stack) => [subscribe(stack.url), subscribe(stack.url), subscribe(stack.url)]);
      await expect.poll(() => stacks.every((stack) => stack.gateway.live!.stats().subscribers === 3), { timeout: 15_000, interval: 20, message: 'subscribers on both in-process replicas' }).toBe(true);
      // Subscribed on every replica: the channel has a listener per replica.
      const channel = `clarify-graphql:live:events:${[...(await leases()).keys()].find((key) => !key.endsWith(':deleted'))!.slice('clarify-graphql:live:lease:'.length)}`;
      await expect.poll(async () => Number(((await inspector.pubsub('NUMSUB', channel)) as unknown[])[1]) === 3, { timeout: 15_000, interval: 20, message: 'three replicas listening' }).toBe(true);

      // One poller pair for the deployment: while the process replica holds the leases, the
      // in-process replicas make no poll of their own, and every list read the sandbox sees
      // while several polls go by is one of the process replica's, at its one feed's rate.
      const polls0 = stacks.map((stack) => stack.gateway.live!.stats());
      const before = await sandboxCalls(sandbox);
      await expect
        .poll(async () => ((await sandboxCalls(sandbox))[LIST_ROUTE] ?? 0) - (before[LIST_ROUTE] ?? 0), { timeout: 15_000, interval: 20 })
        .toBeGreaterThanOrEqual(4);
      stacks.forEach((stack, i) => {
        expect(stack.gateway.live!.stats().polls).toBe(polls0[i]!.polls);
        expect(stack.gateway.live!.stats().deletionPolls).toBe(polls0[i]!.deletionPolls);
        expect(stack.gateway.live!.stats().pollers).toBe(0);
      });
      // A change poller and a deletion poller, each once per interval.
      expect(await childMetric('clarify_graphql_subscription_polls_per_minute')).toBe(2 * (60_000 / TEST_INTERVAL_MS));

      // A change reaches every subscriber on every replica exactly once, with its nested selection:
      // by the time a later change (the marker) arrives, nothing else has.
      const all = [...onChild, ...onStacks];
      const first = await dealIn('Negotiation');
      await moveDeal(first, 'Won');
      await expect.poll(() => all.every((stream) => stream.items.length >= 1), { timeout: 15_000, interval: 20, message: 'the first change on every replica' }).toBe(true);
      const marker = await dealIn('Negotiation');
      await moveDeal(marker, 'Won');
      await expect.poll(() => all.every((stream) => stream.items.length >= 2), { timeout: 15_000, interval: 20, message: 'the marker change on every replica' }).toBe(true);
      for (const stream of all) {
        expect(stream.items.map((item) => item.data?.dealChanged.id)).toEqual([first, marker]);
        expect(stream.items[0]!.errors).toBeUndefined();
        expect(stream.items[0]!.data!.dealChanged).toMatchObject({ kind: 'UPDATED', id: first, record: { stage: 'WON' } });
      }

      // Kill the holder outright. Changes made right after it died are not lost: whoever takes
      // the lease resumes from the watermark in Redis.
      const leasesBefore = await leases();
      // A lease is a key Redis expires on its own: a holder that dies stops renewing it, and it is gone within LEASE_MS.
      for (const key of leasesBefore.keys()) {
        const ttl = await inspector.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(LEASE_MS);
      }
      child!.kill('SIGKILL');
      const moved: string[] = [];
      for (const stage of ['Negotiation', 'Proposal', 'Qualification']) {
        const id = await dealIn(stage);
        await moveDeal(id, 'Won');
        moved.push(id);
      }
      const takenOver = async () => {
        const now = await leases();
        return now.size === 2 && [...now.values()].every((token) => pidOf(token) === process.pid);
      };
      await expect.poll(takenOver, { timeout: 4 * LEASE_MS, interval: 20, message: 'another replica to take both leases' }).toBe(true);
      for (const [key, token] of await leases()) expect(token).not.toBe(leasesBefore.get(key));

      // Every subscriber of the surviving replicas receives each of these changes exactly once:
      // no loss and no repeat is allowed (the new holder resumes after the last published poll,
      // and a replica drops an event it has already delivered).
      await expect.poll(() => onStacks.every((stream) => stream.items.length >= 2 + moved.length), { timeout: 15_000, interval: 20, message: 'the changes made after the kill' }).toBe(true);
      // A later change marks the end: no repeat of the moved deals may arrive before it.
      const lastMarker = await dealIn('Negotiation');
      await moveDeal(lastMarker, 'Won');
      await expect.poll(() => onStacks.every((stream) => stream.items.length >= 3 + moved.length), { timeout: 15_000, interval: 20, message: 'the last marker change' }).toBe(true);
      for (const stream of onStacks) {
        const ids = stream.items.slice(2).map((item) => item.data!.dealChanged.id);
        expect(ids.slice(0, -1).sort()).toEqual([...moved].sort());
        expect(ids.at(-1)).toBe(lastMarker);
        for (const item of stream.items.slice(2)) expect(item.data!.dealChanged).toMatchObject({ kind: 'UPDATED', record: { stage: 'WON' } });
      }
      // The survivors run one poller per lease between them (changes and deletions), not one each.
      expect(stacks.reduce((sum, stack) => sum + stack.gateway.live!.stats().pollers, 0)).toBe(2);
    } finally {
      for (const client of clients) client.dispose();
    }
    // Everyone left: the leases are given up and the watermark forgotten.
    await expect.poll(async () => (await inspector.keys('clarify-graphql:live:*')).length === 0, { timeout: 10_000, interval: 20, message: 'every lease and watermark to go' }).toBe(true);
  }, 120_000);
});
