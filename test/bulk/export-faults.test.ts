import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { upstreamCount } from '../helpers/gateway.js';
import { startStack, type TestStack } from '../helpers/stack.js';
import { exportOf, postExport } from './helpers.js';

// /export when Clarify refuses its pages with 429: past the retries the gateway allows, and now and
// then on different pages.

const LIST = 'GET /objects/:object/resources';
const DEALS = 1_800;
const EDGES = 'query($after: String) { deals(after: $after) { edges { cursor node { id } } } }';

let stack: TestStack;
let sandbox: RunningSandbox;
let gateway: Gateway;

beforeAll(async () => {
  // One attempt per upstream call and two retries per page: each refused page costs three calls.
  stack = await startStack({ client: { maxAttempts: 1 }, bulk: { rateLimitedRetries: 2 } }, { objectCounts: { deal: DEALS } });
  ({ sandbox, gateway } = stack);
  return stack.close;
});

async function fault(script: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify(script) });
  if (!response.ok) throw new Error(`fault answered ${response.status}: ${await response.text()}`);
}

async function metricValue(name: string, labels: Record<string, string>, from = gateway): Promise<number> {
  const metric = await from.metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))?.value ?? 0;
}

type Edge = { cursor: string; node: { id: string } };

/** Reads an export's body as text, running `between` once `lines` lines have arrived. */
async function readExport(response: Response, lines: number, between: () => Promise<void>): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ran = false;
  for (;;) {
    if (!ran && text.split('\n').length > lines) {
      ran = true;
      await between();
    }
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

describe('POST /export with Clarify refusing every page with 429', () => {
  it('ends, after the last retry, with RATE_LIMITED and the last cursor written, from which it resumes with no gap and no duplicate', async () => {
    const whole = await exportOf(gateway, EDGES);
    expect(whole.lines).toHaveLength(DEALS);
    const before = await upstreamCount(sandbox, LIST);

    const response = await postExport(gateway, EDGES);
    expect(response.status).toBe(200);
    let text: string;
    try {
      // The first page is written, and the second is read ahead as it goes out. From the third
      // page on, Clarify refuses every call.
      text = await readExport(response, 500, async () => {
        await expect.poll(() => upstreamCount(sandbox, LIST), { timeout: 5_000, interval: 10 }).toBe(before + 2);
        await fault({ route: LIST, status: 429, retryAfter: 1 });
      });
    } finally {
      await fault({ clear: true });
    }
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const trailer = lines.pop()!;
    const edges = lines as Edge[];
    expect(edges.map((edge) => edge.node.id)).toEqual((whole.lines as Edge[]).slice(0, 999).map((edge) => edge.node.id));
    expect(trailer).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'RATE_LIMITED', retryAfter: 1 } }],
      extensions: { count: 999, endCursor: edges.at(-1)!.cursor, actualCalls: 5 },
    });
    // Two pages, then the third asked three times: once and after each of the two waits.
    expect(await upstreamCount(sandbox, LIST)).toBe(before + 5);
    expect(await metricValue('clarify_graphql_bulk_requests_total', { endpoint: 'export', outcome: 'failed' })).toBe(1);
    expect(await metricValue('clarify_graphql_bulk_in_progress', { endpoint: 'export' })).toBe(0);

    const rest = await exportOf(gateway, EDGES, { after: (trailer['extensions'] as { endCursor: string }).endCursor });
    expect(rest.trailer.errors).toBeUndefined();
    expect(rest.trailer.extensions['count']).toBe(DEALS - 999);
    expect([...edges, ...(rest.lines as Edge[])].map((edge) => edge.node.id)).toEqual((whole.lines as Edge[]).map((edge) => edge.node.id));
  });
});

describe('POST /export with pages refused with 429 now and then', () => {
  it('counts the retries of each page apart: refusals spread over pages never end it', async () => {
    // One retry per page, and two pages each refused once.
    const strict = await stack.gatewayOver({ client: { maxAttempts: 1 }, bulk: { rateLimitedRetries: 1 } });
    const before = await upstreamCount(sandbox, LIST);
    await fault({ route: LIST, status: 429, retryAfter: 1, count: 1 });
    const response = await postExport(strict, EDGES);
    expect(response.status).toBe(200);
    let text: string;
    try {
      // The first page was refused once, then read; the second is read ahead. The third is refused once.
      text = await readExport(response, 500, async () => {
        await expect.poll(() => upstreamCount(sandbox, LIST), { timeout: 5_000, interval: 10 }).toBe(before + 3);
        await fault({ route: LIST, status: 429, retryAfter: 1, count: 1 });
      });
    } finally {
      await fault({ clear: true });
    }
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const trailer = lines.pop()!;
    expect(trailer).toEqual({ extensions: { count: DEALS, endCursor: (lines.at(-1) as Edge).cursor, actualCalls: 6 } });
    expect(new Set(lines.map((line) => (line as Edge).node.id)).size).toBe(DEALS);
    // Four pages, two of them sent twice.
    expect(await upstreamCount(sandbox, LIST)).toBe(before + 6);
    expect(await metricValue('clarify_graphql_bulk_requests_total', { endpoint: 'export', outcome: 'ok' }, strict)).toBe(1);
  });
});
