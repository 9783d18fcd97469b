/**
 * Measurement 2: memory per request held in flight against a slowed sandbox, and a leak check
 * (heap after forced GC sampled between sequential batches against a fast sandbox).
 */
import { closedLoop, isFailure, type Target } from './load.js';
import type { BenchOptions } from './options.js';
import { sequence, type Operation, type Shape } from './queries.js';
import { sandboxCalls, scriptFault, type SandboxInfo } from './upstream.js';

export interface InflightResult {
  requests: number;
  shape: string;
  delayMs: number;
  /** From the first request sent to the last one reaching the sandbox, ms. */
  arrivalMs: number;
  heldAtSample: number;
  baseline: { rss: number; heapUsed: number };
  held: { rss: number; heapUsed: number };
  rssPerRequest: number;
  heapPerRequest: number;
  failures: number;
}

export interface LeakSample {
  requests: number;
  heapUsed: number;
  rss: number;
}

export interface LeakResult {
  samples: LeakSample[];
  /** Least-squares slope of heapUsed over the last third of the samples, bytes per 1,000 requests. */
  lastThirdSlope: number;
  /** Heap change over the last third, bytes. */
  lastThirdDelta: number;
  grows: boolean;
  failures: number;
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Holds `options.inflight` requests in the gateway while the sandbox sits on every call. */
export async function measureInflight(
  gateway: Target,
  control: Target,
  sandbox: SandboxInfo,
  shape: Shape,
  options: BenchOptions,
): Promise<InflightResult> {
  const random = sequence(5);
  const baseline = await control.usage(true);
  await scriptFault(sandbox, { delayMs: options.delayMs });
  let failures = 0;
  try {
    const callsBefore = await sandboxCalls(sandbox);
    const sent = performance.now();
    const replies = Array.from({ length: options.inflight }, () =>
      gateway.post(shape.operation(random)).then(
        (reply) => {
          if (isFailure(reply)) failures += 1;
        },
        () => {
          failures += 1;
        },
      ),
    );
    // Every request has reached the sandbox, so each is parsed, planned and waiting upstream.
    await waitUntil(async () => (await sandboxCalls(sandbox)) - callsBefore >= options.inflight, options.delayMs + 30_000, 'all requests to reach the sandbox');
    const arrivalMs = performance.now() - sent;
    const held = await control.usage(true);
    await Promise.all(replies);
    return {
      requests: options.inflight,
      shape: shape.name,
      delayMs: options.delayMs,
      arrivalMs,
      heldAtSample: held.inflight,
      baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed },
      held: { rss: held.rss, heapUsed: held.heapUsed },
      rssPerRequest: (held.rss - baseline.rss) / options.inflight,
      heapPerRequest: (held.heapUsed - baseline.heapUsed) / options.inflight,
      failures,
    };
  } finally {
    await scriptFault(sandbox, { clear: true });
  }
}

function slope(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY);
    den += (p.x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Growth above this over the last third of the run (after GC) counts as a leak. */
export const LEAK_THRESHOLD_BYTES = 1024 * 1024;

/**
 * Runs `options.leakRequests` requests in batches and samples the heap after a forced GC. Every
 * tenth request is a deals page, the rest single records (the sandbox's cheaper call).
 */
export async function leakCheck(gateway: Target, control: Target, page: Shape, single: Shape, options: BenchOptions): Promise<LeakResult> {
  const random = sequence(2024);
  let turn = 0;
  const next = (): Operation => (turn++ % 10 === 0 ? page : single).operation(random);
  const batch = Math.ceil(options.leakRequests / options.leakSamples);
  const first = await control.usage(true);
  const samples: LeakSample[] = [{ requests: 0, heapUsed: first.heapUsed, rss: first.rss }];
  let done = 0;
  let failures = 0;
  const started = performance.now();
  while (done < options.leakRequests) {
    const count = Math.min(batch, options.leakRequests - done);
    const result = await closedLoop(gateway, count, options.leakConcurrency, next);
    failures += result.failures;
    done += count;
    const usage = await control.usage(true);
    samples.push({ requests: done, heapUsed: usage.heapUsed, rss: usage.rss });
  }
  const tail = samples.slice(Math.floor((samples.length * 2) / 3));
  const perRequest = slope(tail.map((s) => ({ x: s.requests, y: s.heapUsed })));
  const lastThirdDelta = perRequest * (tail.at(-1)!.requests - tail[0]!.requests);
  return {
    samples,
    lastThirdSlope: perRequest * 1000,
    lastThirdDelta,
    grows: lastThirdDelta > LEAK_THRESHOLD_BYTES,
    failures,
    elapsedMs: performance.now() - started,
  };
}
