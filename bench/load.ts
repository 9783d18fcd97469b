/** Load generation over undici: closed loop (fixed count at fixed concurrency) and open loop (fixed rate). */
import { Pool } from 'undici';
import type { Usage } from './processes/child-runtime.js';
import type { Operation } from './queries.js';

export interface Reply {
  status: number;
  body: string;
}

/** One server under test, reached over loopback. */
export class Target {
  private readonly pool: Pool;

  constructor(
    readonly origin: string,
    connections = 64,
  ) {
    this.pool = new Pool(origin, { connections, pipelining: 1, headersTimeout: 120_000, bodyTimeout: 120_000 });
  }

  async post(operation: Operation): Promise<Reply> {
    const response = await this.pool.request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(operation),
    });
    return { status: response.statusCode, body: await response.body.text() };
  }

  async usage(gc = false): Promise<Usage> {
    const response = await this.pool.request({ method: gc ? 'POST' : 'GET', path: gc ? '/__bench/gc' : '/__bench/usage' });
    return (await response.body.json()) as Usage;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A reply that is not a clean GraphQL answer. */
export function isFailure(reply: Reply): boolean {
  return reply.status !== 200 || reply.body.includes('"errors":');
}

export interface ClosedLoopResult {
  requests: number;
  failures: number;
  elapsedMs: number;
  firstFailure?: string;
}

/** Sends `count` requests keeping `concurrency` in flight. */
export async function closedLoop(target: Target, count: number, concurrency: number, next: () => Operation): Promise<ClosedLoopResult> {
  let sent = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (sent < count) {
      sent += 1;
      const reply = await target.post(next()).catch((error: unknown) => ({ status: 0, body: String(error) }));
      if (isFailure(reply)) {
        failures += 1;
        firstFailure ??= `${reply.status} ${reply.body.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { requests: count, failures, elapsedMs: performance.now() - started, firstFailure };
}

export interface OpenLoopResult {
  requests: number;
  failures: number;
  /** Latencies in ms, sorted, measured from each request's scheduled start. */
  latencies: number[];
  achievedRate: number;
}

/**
 * Sends requests on a fixed schedule (`rate` per second for `seconds`) whatever the answers
 * take; latency counts from the scheduled time, so a stalled server is not excused.
 */
export async function openLoop(target: Target, rate: number, seconds: number, next: () => Operation): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let failures = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let issued = 0;
  while (issued < total) {
    const now = performance.now();
    while (issued < total && started + issued * interval <= now) {
      const scheduled = started + issued * interval;
      issued += 1;
      pending.push(
        target.post(next()).then(
          (reply) => {
            latencies.push(performance.now() - scheduled);
            if (isFailure(reply)) failures += 1;
          },
          () => {
            latencies.push(performance.now() - scheduled);
            failures += 1;
          },
        ),
      );
    }
    const wait = started + issued * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.floor(wait))));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: total, failures, latencies, achievedRate: total / elapsed };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
