import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.js';
import { collect, DELETED_ROUTE, LIST_ROUTE, rest, sandboxCalls, startLiveStack, TEST_INTERVAL_MS, waitFor, type LiveStack } from './helpers.js';

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
  await waitFor(
    async () => {
      if (child?.exitCode !== null) throw new Error(`the replica process exited:\n${childOutput}`);
      try {
        return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
      } catch {
        return false;
      }
    },
    'the replica process to serve',
    45_000,
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
      await waitFor(async () => [...(await leases()).values()].filter((token) => pidOf(token) === child!.pid).length === 2, 'the process replica to hold both leases');
      const onStacks = stacks.flatMap((stack) => [subscribe(stack.url), subscribe(stack.url), subscribe(stack.url)]);
      await waitFor(() => stacks.every((stack) => stack.gateway.live!.stats().subscribers === 3), 'subscribers on both in-process replicas');
      // Subscribed on every replica: the channel has a listener per replica.
      const channel = `clarify-graphql:live:events:${[...(await leases()).keys()].find((key) => !key.endsWith(':deleted'))!.slice('clarify-graphql:live:lease:'.length)}`;
      await waitFor(async () => Number(((await inspector.pubsub('NUMSUB', channel)) as unknown[])[1]) === 3, 'three replicas listening');

      // One poll per interval in total: the in-process replicas do not poll while the process
      // replica holds the leases, and the sandbox sees no more list reads than one feed makes.
      const polls0 = stacks.map((stack) => stack.gateway.live!.stats());
      const before = await sandboxCalls(sandbox);
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, TEST_INTERVAL_MS * 8));
      const after = await sandboxCalls(sandbox);
      const elapsed = Date.now() - started;
      const lists = (after[LIST_ROUTE] ?? 0) - (before[LIST_ROUTE] ?? 0);
      const deletions = (after[DELETED_ROUTE] ?? 0) - (before[DELETED_ROUTE] ?? 0);
      expect(lists).toBeGreaterThan(0);
      expect(lists).toBeLessThanOrEqual(Math.floor(elapsed / TEST_INTERVAL_MS) + 2);
      expect(deletions).toBeLessThanOrEqual(Math.floor(elapsed / TEST_INTERVAL_MS) + 2);
      stacks.forEach((stack, i) => {
        expect(stack.gateway.live!.stats().polls).toBe(polls0[i]!.polls);
        expect(stack.gateway.live!.stats().deletionPolls).toBe(polls0[i]!.deletionPolls);
      });

      // A change reaches every subscriber on every replica exactly once, with its nested selection.
      const first = await dealIn('Negotiation');
      await moveDeal(first, 'Won');
      const all = [...onChild, ...onStacks];
      await waitFor(() => all.every((stream) => stream.items.length >= 1), 'the first change on every replica');
      await new Promise((resolve) => setTimeout(resolve, TEST_INTERVAL_MS * 3));
      for (const stream of all) {
        expect(stream.items).toHaveLength(1);
        expect(stream.items[0]!.errors).toBeUndefined();
        expect(stream.items[0]!.data!.dealChanged).toMatchObject({ kind: 'UPDATED', id: first, record: { stage: 'WON' } });
      }

      // Kill the holder outright. Changes made right after it died are not lost: whoever takes
      // the lease resumes from the watermark in Redis.
      const leasesBefore = await leases();
      child!.kill('SIGKILL');
      const killedAt = Date.now();
      const moved: string[] = [];
      for (const stage of ['Negotiation', 'Proposal', 'Qualification']) {
        const id = await dealIn(stage);
        await moveDeal(id, 'Won');
        moved.push(id);
      }
      await waitFor(
        async () => {
          const now = await leases();
          return now.size === 2 && [...now.values()].every((token) => pidOf(token) === process.pid);
        },
        'another replica to take both leases',
        4 * LEASE_MS,
      );
      const takeoverMs = Date.now() - killedAt;
      expect(takeoverMs).toBeLessThanOrEqual(2 * LEASE_MS + 500);
      for (const [key, token] of await leases()) expect(token).not.toBe(leasesBefore.get(key));

      // Every subscriber of the surviving replicas receives each of these changes exactly once:
      // no loss and no repeat is allowed (the new holder resumes after the last published poll,
      // and a replica drops an event it has already delivered).
      await waitFor(() => onStacks.every((stream) => stream.items.length >= 1 + moved.length), 'the changes made after the kill', 15_000);
      await new Promise((resolve) => setTimeout(resolve, TEST_INTERVAL_MS * 4));
      for (const stream of onStacks) {
        const ids = stream.items.slice(1).map((item) => item.data!.dealChanged.id);
        expect(ids.sort()).toEqual([...moved].sort());
        for (const item of stream.items.slice(1)) expect(item.data!.dealChanged).toMatchObject({ kind: 'UPDATED', record: { stage: 'WON' } });
      }
      // The survivors run one poller per lease between them (changes and deletions), not one each.
      expect(stacks.reduce((sum, stack) => sum + stack.gateway.live!.stats().pollers, 0)).toBe(2);
    } finally {
      for (const client of clients) client.dispose();
    }
    // Everyone left: the leases are given up and the watermark forgotten.
    await waitFor(async () => (await inspector.keys('clarify-graphql:live:*')).length === 0, 'every lease and watermark to go', 10_000);
  }, 120_000);
});
