import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { ERROR_CODES } from '../../src/errors/codes.js';
import { graphql, upstreamCount } from '../helpers/gateway.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { redisAvailable } from '../helpers/redis-availability.js';
import { startStack, type TestStack } from '../helpers/stack.js';
import { exportOf, postExport } from './helpers.js';

// An export on a gateway whose shared state (the rate budget every page books) is in Redis,
// with Redis going away while the export runs.

const LIST = 'GET /objects/:object/resources';
const DEALS = 1_800;
const EDGES = '{ deals { edges { cursor node { id } } } }';

let redis: TestRedis;
let stack: TestStack;
let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  redis = await startRedis();
  stack = await startStack({ redis: { url: redis.url, keyPrefix: 'bulk-redis:' }, requestTimeoutMs: 1_500 }, { objectCounts: { deal: DEALS } });
  ({ sandbox, gateway } = stack);
  await redisAvailable([gateway.redis], true);
});

afterAll(async () => {
  redis?.resume();
  await stack?.close();
  await redis?.stop();
});

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await gateway.metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))?.value ?? 0;
}

/** Rate-budget bookings given up on Redis and made in this process. */
async function rateBudgetFallbacks(): Promise<number> {
  return metricValue('clarify_graphql_redis_fallbacks_total', { component: 'rate-budget' });
}

type Edge = { cursor: string; node: { id: string } };

/** `work`, or a failure saying what did not end within `ms` (real time, whatever the test fakes). */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts an export, reads its first page, runs `fault`, then reads the rest (bounded: an export must never hang). */
async function exportThrough(fault: () => Promise<void> | void): Promise<Exported> {
  return within(8_000, 'the export', readExport(fault));
}

interface Exported {
  edges: Edge[];
  trailer: { errors?: { message: string; extensions: { code: string } }[]; extensions: Record<string, unknown> };
}

async function readExport(fault: () => Promise<void> | void): Promise<Exported> {
  const response = await postExport(gateway, EDGES);
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.split('\n').length <= 500) {
    const { done, value } = await reader.read();
    if (done) throw new Error('the export ended early');
    text += decoder.decode(value, { stream: true });
  }
  await fault();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const trailer = lines.pop() as unknown as Exported['trailer'];
  return { edges: lines as unknown as Edge[], trailer };
}

/** What an export that ends, either way, must say: every line once, in order, and a trailer that accounts for them. */
function expectAccounted(result: Exported, whole: Edge[]): void {
  const { edges, trailer } = result;
  expect(edges.map((edge) => edge.node.id)).toEqual(whole.slice(0, edges.length).map((edge) => edge.node.id));
  expect(trailer.extensions['count']).toBe(edges.length);
  expect(trailer.extensions['endCursor']).toBe(edges.at(-1)!.cursor);
  if (trailer.errors === undefined) expect(edges).toHaveLength(DEALS);
  else for (const error of trailer.errors) expect(Object.keys(ERROR_CODES)).toContain(error.extensions.code);
}

/** The gateway answers the next export and query in full. */
async function expectHealthy(): Promise<void> {
  const next = await within(8_000, 'the next export', exportOf(gateway, '{ deals(first: 700) { nodes { id } } }'));
  expect(next.trailer.errors).toBeUndefined();
  expect(next.lines).toHaveLength(700);
  const query = await within(5_000, 'the next query', graphql(gateway, '{ deals(first: 2) { nodes { id } } }'));
  expect(query.body.errors, query.text).toBeUndefined();
  expect(await metricValue('clarify_graphql_bulk_in_progress', { endpoint: 'export' })).toBe(0);
}

describe('POST /export with Redis going away mid-export', () => {
  it('killed: the export ends with every line accounted for, and the next export and query are answered', async () => {
    const whole = (await exportOf(gateway, EDGES)).lines as unknown as Edge[];
    expect(whole).toHaveLength(DEALS);
    const before = await upstreamCount(sandbox, LIST);
    let fallbacks = 0;
    const result = await exportThrough(async () => {
      await redis.kill();
      await redisAvailable([gateway.redis], false);
      fallbacks = await rateBudgetFallbacks();
    });
    expectAccounted(result, whole);
    expect(result.trailer.errors).toBeUndefined();
    // The two pages read after Redis went each booked their rate budget in this process instead,
    // and no page was refused or sent twice.
    expect((await rateBudgetFallbacks()) - fallbacks).toBe(2);
    expect(await upstreamCount(sandbox, LIST)).toBe(before + 4);
    expect(result.trailer.extensions['actualCalls']).toBe(4);
    await expectHealthy();
    await redis.start();
    await redisAvailable([gateway.redis], true);
  });

  it('frozen (SIGSTOP): the export finishes without waiting for Redis, and the next export and query are answered', async () => {
    const whole = (await exportOf(gateway, EDGES)).lines as unknown as Edge[];
    const before = await upstreamCount(sandbox, LIST);
    let result: Exported;
    try {
      result = await exportThrough(() => redis.pause());
      expectAccounted(result, whole);
      // Each page's Redis steps give up within the command timeout and book locally: the export
      // finishes, one upstream call a page.
      expect(result.trailer.errors).toBeUndefined();
      expect(result.trailer.extensions['actualCalls']).toBe(4);
      expect((await upstreamCount(sandbox, LIST)) - before).toBe(4);
      await expectHealthy();
    } finally {
      redis.resume();
    }
    await redisAvailable([gateway.redis], true);
    await expectHealthy();
  });
});
