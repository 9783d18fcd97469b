import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';
import { afterHeldRequests, upstreamCount } from '../helpers/gateway.js';
import { pino } from 'pino';
import { startStack, type TestStack } from '../helpers/stack.js';
import { sandboxCalls } from './helpers.js';

// /import when Clarify refuses or holds a batch, and when the caller goes away mid-import.

const BULK = 'POST /objects/:object/records/bulk';
/** The timer functions before any test fakes them. */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

let stack: TestStack;
let sandbox: RunningSandbox;

beforeAll(async () => {
  stack = await startStack();
  sandbox = stack.sandbox;
  return stack.close;
});

afterAll(async () => {
  await clearFaults();
});

async function fault(script: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify(script) });
  if (!response.ok) throw new Error(`fault answered ${response.status}: ${await response.text()}`);
}

async function clearFaults(): Promise<void> {
  await fetch(`${sandbox.origin}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ clear: true }) });
}

/** Task lines numbered from `from`: tasks have no unique field, so each one creates a record. */
const taskLines = (from: number, count: number, label: string): string =>
  Array.from({ length: count }, (_, i) => `${JSON.stringify({ title: `${label} ${from + i}` })}\n`).join('');

/** A request body the test writes as it goes. */
function openBody(): { stream: ReadableStream<Uint8Array>; write(text: string): void; end(): void } {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { stream, write: (text) => controller.enqueue(encoder.encode(text)), end: () => controller.close() };
}

/** Reads NDJSON lines from a response body, as many as asked for at a time. */
function lineReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  let done = false;
  const more = async (): Promise<boolean> => {
    const read = await reader.read();
    if (read.done) {
      done = true;
      return false;
    }
    buffer += decoder.decode(read.value, { stream: true });
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) if (part !== '') lines.push(JSON.parse(part) as Record<string, unknown>);
    return true;
  };
  return {
    lines,
    /** Resolves once `count` lines in all have been read. */
    async until(count: number): Promise<void> {
      while (lines.length < count) if (!(await more())) throw new Error(`the answer ended after ${lines.length} lines, ${count} awaited`);
    },
    /** Reads to the end. */
    async rest(): Promise<void> {
      while (!done) await more();
    },
    cancel: () => reader.cancel(),
  };
}

async function metricValue(gateway: Gateway, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await gateway.metrics.registry.getSingleMetric(name)?.get();
  const found = metric?.values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted));
  return found?.value ?? 0;
}

/** `POST /import/task` in process with a body the test writes as it goes. */
function startImport(gateway: Gateway, body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<Response> {
  return Promise.resolve(gateway.fetch('http://localhost/import/task', {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', accept: 'application/x-ndjson' },
    body,
    duplex: 'half',
    signal,
  } as RequestInit));
}

describe('POST /import/{object} to a caller that goes away', () => {
  it('gives up the batch held upstream and sends no further one when the caller goes away, counts it cancelled, and the gauge returns to 0', async () => {
    const gateway = await stack.gatewayOver();
    const served = await stack.serve(gateway);
    const importMetrics = async () => ({
      running: await metricValue(gateway, 'clarify_graphql_bulk_in_progress', { endpoint: 'import' }),
      cancelled: await metricValue(gateway, 'clarify_graphql_bulk_requests_total', { endpoint: 'import', outcome: 'cancelled' }),
      other: (await Promise.all(['ok', 'failed', 'refused'].map((outcome) => metricValue(gateway, 'clarify_graphql_bulk_requests_total', { endpoint: 'import', outcome })))).reduce((a, b) => a + b, 0),
    });
    const HOLD_MS = 400;
    const leaving = new AbortController();
    const body = openBody();
    const before = await upstreamCount(sandbox, BULK);
    // The answer's head goes out with its first line: the first batch is written before it is awaited.
    body.write(taskLines(1, 25, 'Cancelled import'));
    const response = await fetch(`${served.origin}/import/task`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', accept: 'application/x-ndjson' },
      body: body.stream,
      duplex: 'half',
      signal: leaving.signal,
    } as RequestInit);
    expect(response.status).toBe(200);
    const answer = lineReader(response.body!);
    try {
      // The first batch is answered.
      await answer.until(25);
      expect(answer.lines.map((line) => line['line'])).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await importMetrics()).toEqual({ running: 1, cancelled: 0, other: 0 });

      // The second batch is held by Clarify; the lines of a third are already sent.
      await fault({ route: BULK, delayMs: HOLD_MS, count: 1 });
      body.write(taskLines(26, 50, 'Cancelled import'));
      await vi.waitFor(async () => expect(await upstreamCount(sandbox, BULK)).toBe(before + 2), { timeout: 5_000, interval: 10 });
      leaving.abort();
      await expect.poll(importMetrics, { timeout: 5_000, interval: 10 }).toEqual({ running: 0, cancelled: 1, other: 0 });
      // The held batch's call is given up rather than awaited: the gateway records it without a response.
      await expect.poll(() => metricValue(gateway, 'clarify_graphql_upstream_calls_total', { route: BULK, status: '0' }), { timeout: 5_000, interval: 10 }).toBe(1);

      // Once the held batch is answered upstream, a marker request sent through the gateway is
      // the only call the sandbox sees: an import still reading would have sent the third batch.
      await afterHeldRequests(sandbox, HOLD_MS);
      const { total: beforeMarker } = await sandboxCalls(sandbox);
      const marker = await fetch(`${served.url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ company(id: "00000000-0000-4000-8000-000000000000") { name } }' }),
      });
      await marker.text();
      const after = await sandboxCalls(sandbox);
      expect(after.total - beforeMarker).toBe(1);
      expect(await upstreamCount(sandbox, BULK)).toBe(before + 2);
      expect(await importMetrics()).toEqual({ running: 0, cancelled: 1, other: 0 });
      // The first batch answered, the second given up.
      const calls = await gateway.metrics.registry.getSingleMetric('clarify_graphql_upstream_calls_total')?.get();
      expect(Object.fromEntries((calls?.values ?? []).filter((value) => value.labels['route'] === BULK).map((value) => [value.labels['status'], value.value]))).toEqual({ '0': 1, '200': 1 });
    } finally {
      leaving.abort();
      await answer.cancel().catch(() => undefined);
      await clearFaults();
    }
  });
});

describe('POST /import/{object} under the rate limit', () => {
  it('waits the Retry-After of a batch refused with 429, sends it again, and reports every line once', async () => {
    // One attempt per call: the 429 reaches the import, which waits and sends the batch again.
    const logged: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) });
    const gateway = await stack.gatewayOver({ client: { maxAttempts: 1 }, logger });
    const before = await upstreamCount(sandbox, BULK);
    await fault({ route: BULK, status: 429, retryAfter: 7, count: 1 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Resolves when a timer of the Retry-After is set: the wait has begun.
    const fakeSetTimeout = globalThis.setTimeout;
    let waitSet!: () => void;
    const waiting = new Promise<void>((resolve) => (waitSet = resolve));
    const timers = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((handler: () => void, ms?: number, ...args: unknown[]) => {
      if (ms === 7_000) waitSet();
      return fakeSetTimeout(handler, ms, ...args);
    }) as typeof setTimeout);
    try {
      const running = startImport(gateway, new Response(taskLines(1, 30, 'Rate limited import')).body!).then(async (response) => ({
        status: response.status,
        text: await response.text(),
      }));
      // The first batch was refused, and the import waits the Retry-After it was given.
      let guard: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        waiting,
        new Promise((_, reject) => (guard = realSetTimeout(() => reject(new Error('no wait of the 429’s Retry-After (7 s) began within 5 s')), 5_000))),
      ]).finally(() => realClearTimeout(guard));
      expect(await upstreamCount(sandbox, BULK)).toBe(before + 1);
      expect(logged.filter((line) => line['msg'] === 'import waits for the rate limit')).toMatchObject([{ waitMs: 7_000, attempt: 1 }]);
      await vi.advanceTimersByTimeAsync(6_999);
      // A control round trip after the last moment of the wait: a batch sent early would be counted.
      expect(await upstreamCount(sandbox, BULK)).toBe(before + 1);
      await vi.advanceTimersByTimeAsync(1);
      const { status, text } = await running;
      expect(status).toBe(200);
      const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      const trailer = lines.pop()!;
      expect(lines.map((line) => line['line'])).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(lines.every((line) => typeof line['id'] === 'string' && line['matched'] === false)).toBe(true);
      expect(new Set(lines.map((line) => line['id'])).size).toBe(30);
      // The refused attempt counts as the operation's upstream call, as /graphql counts it.
      expect(trailer).toEqual({ extensions: { count: 30, created: 30, matched: 0, failed: 0, actualCalls: 3 } });
      expect(await upstreamCount(sandbox, BULK)).toBe(before + 3);
      expect(await metricValue(gateway, 'clarify_graphql_bulk_requests_total', { endpoint: 'import', outcome: 'ok' })).toBe(1);
    } finally {
      timers.mockRestore();
      vi.useRealTimers();
      await clearFaults();
    }
  });

  it('reports the lines of a batch still refused after the last retry as not written, and ends with RATE_LIMITED', async () => {
    const gateway = await stack.gatewayOver({ client: { maxAttempts: 1 }, bulk: { rateLimitedRetries: 1 } });
    const before = await upstreamCount(sandbox, BULK);
    const body = openBody();
    const response = await startImport(gateway, body.stream);
    expect(response.status).toBe(200);
    const answer = lineReader(response.body!);
    try {
      body.write(taskLines(1, 25, 'Exhausted import'));
      await answer.until(25);
      // From the second batch on Clarify refuses every call.
      await fault({ route: BULK, status: 429, retryAfter: 1 });
      body.write(taskLines(26, 35, 'Exhausted import'));
      body.end();
      await answer.rest();
    } finally {
      await clearFaults();
    }
    const trailer = answer.lines.pop()!;
    expect(answer.lines.slice(0, 25).every((line) => typeof line['id'] === 'string')).toBe(true);
    // The refused batch's 25 lines each say so with the failure's code; the 10 after it get no line.
    expect(answer.lines.slice(25)).toEqual(
      Array.from({ length: 25 }, (_, i) => ({ line: 26 + i, userErrors: [{ field: null, message: expect.stringMatching(/^Not written: /), code: 'RATE_LIMITED' }] })),
    );
    expect(trailer).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'RATE_LIMITED', retryAfter: 1 } }],
      extensions: { count: 50, created: 25, matched: 0, failed: 25, actualCalls: 3 },
    });
    // The first batch, and the second sent once and again once.
    expect(await upstreamCount(sandbox, BULK)).toBe(before + 3);
    expect(await metricValue(gateway, 'clarify_graphql_bulk_requests_total', { endpoint: 'import', outcome: 'failed' })).toBe(1);
    expect(await metricValue(gateway, 'clarify_graphql_bulk_lines_total', { endpoint: 'import', result: 'failed' })).toBe(25);
    expect(await metricValue(gateway, 'clarify_graphql_bulk_in_progress', { endpoint: 'import' })).toBe(0);
  });
});
