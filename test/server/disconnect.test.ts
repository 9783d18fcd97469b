import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { upstreamCount } from '../helpers/gateway.js';
import { startStack } from '../helpers/stack.js';

let sandbox: RunningSandbox;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  const stack = await startStack();
  ({ sandbox, gateway } = stack);
  ({ url } = await stack.serve());
  return stack.close;
});

/** List calls by final status (`0`: no response). */
async function upstreamCallsByStatus(): Promise<Record<string, number>> {
  const metric = await gateway.metrics.registry.getSingleMetric('clarify_graphql_upstream_calls_total')?.get();
  const counts: Record<string, number> = {};
  for (const value of metric?.values ?? []) {
    if (value.labels.route !== 'GET /objects/:object/resources') continue;
    counts[String(value.labels.status)] = (counts[String(value.labels.status)] ?? 0) + value.value;
  }
  return counts;
}

describe('a caller that goes away', () => {
  it('aborts the upstream call its request was waiting on', async () => {
    await fetch(`${sandbox.origin}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'GET /objects/:object/resources', delayMs: 5000, count: 1 }),
    });
    const controller = new AbortController();
    const request = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ deals(first: 2) { nodes { name } } }' }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    // The upstream call is out, held by the sandbox.
    await expect.poll(() => upstreamCount(sandbox, 'GET /objects/:object/resources')).toBe(1);
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
    // The upstream call ends with no response: had it run on, the sandbox would have answered 200 after 5 s.
    await expect.poll(upstreamCallsByStatus, { timeout: 10_000 }).not.toEqual({});
    expect(await upstreamCallsByStatus()).toEqual({ '0': 1 });
  });
});
