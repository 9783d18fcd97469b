/**
 * The response cache under a repeated-read workload: 90% of operations repeat one already sent
 * (within the TTL), 10% ask for a deal not asked before. Measures upstream calls per operation
 * with one gateway and with three replicas sharing one Redis (same sequence, cold cache each),
 * and the latency of a cache hit next to bare Yoga answering the same constant.
 */
import { percentile, type Target } from './load.js';
import { DEAL_BY_ID, sequence, type Operation } from './queries.js';
import { sandboxCalls, type SandboxInfo } from './upstream.js';

export interface CacheResult {
  operations: number;
  /** Share of operations that repeat an earlier one. */
  repeatShare: number;
  /** Share of operations that ask for a deal not asked before: the fewest calls per operation possible. */
  newShare: number;
  concurrency: number;
  single: { upstreamCalls: number; failures: number };
  replicas: { upstreamCalls: number; failures: number };
  /** Latencies in ms over `latencyRequests` sequential requests each, interleaved. */
  latencyRequests: number;
  hit: { p50: number; p95: number };
  bareYoga: { p50: number; p95: number };
  uncached: { p50: number; p95: number };
}

export interface CacheBenchInput {
  sandbox: SandboxInfo;
  ids: string[];
  /** One gateway with the shared cache (cold, its own key prefix). */
  single: Target;
  /** Three gateways sharing another key prefix (cold). */
  replicas: Target[];
  /** A gateway without a cache, for the uncached latency. */
  uncached: Target;
  /** Bare Yoga answering `hitOperation`'s answer as a constant. */
  bareYoga: Target;
  hitOperation: Operation;
  operations: number;
  concurrency: number;
  latencyRequests: number;
  log: (line: string) => void;
}

export const REPEAT_SHARE = 0.9;

/** The workload: the i-th call gives the same operation for every run. */
export function repeatedReads(ids: string[], operations: number): Operation[] {
  const random = sequence(11);
  const used: string[] = [];
  let fresh = 0;
  const list: Operation[] = [];
  for (let i = 0; i < operations; i++) {
    let id: string;
    if (used.length === 0 || random() >= REPEAT_SHARE) {
      id = ids[fresh++ % ids.length]!;
      used.push(id);
    } else {
      id = used[Math.floor(random() * used.length)]!;
    }
    list.push({ query: DEAL_BY_ID, operationName: 'DealById', variables: { id } });
  }
  return list;
}

async function run(targets: Target[], operations: Operation[], concurrency: number): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < operations.length) {
      const i = next++;
      const reply = await targets[i % targets.length]!.post(operations[i]!).catch(() => ({ status: 0, body: '' }));
      if (reply.status !== 200 || reply.body.includes('"errors":')) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
}

async function latencies(target: Target, operation: Operation, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await target.post(operation);
    into.push(performance.now() - started);
  }
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

export async function measureCache(input: CacheBenchInput): Promise<CacheResult> {
  const operations = repeatedReads(input.ids, input.operations);
  const newShare = new Set(operations.map((operation) => JSON.stringify(operation.variables))).size / operations.length;
  input.log(`cache: ${input.operations} reads, ${REPEAT_SHARE * 100}% repeated, one gateway …`);
  let before = await sandboxCalls(input.sandbox);
  const singleFailures = await run([input.single], operations, input.concurrency);
  const singleCalls = (await sandboxCalls(input.sandbox)) - before;
  input.log(`cache: the same reads over three replicas sharing Redis …`);
  before = await sandboxCalls(input.sandbox);
  const replicaFailures = await run(input.replicas, operations, input.concurrency);
  const replicaCalls = (await sandboxCalls(input.sandbox)) - before;

  input.log('cache: latency of a hit, bare Yoga and an uncached read …');
  await input.single.post(input.hitOperation);
  const hit: number[] = [];
  const yoga: number[] = [];
  const uncached: number[] = [];
  const rounds = 5;
  const perRound = Math.max(1, Math.floor(input.latencyRequests / rounds));
  // Warm-up, then interleaved rounds so a change in machine load touches every server alike.
  await latencies(input.single, input.hitOperation, 50, []);
  await latencies(input.bareYoga, input.hitOperation, 50, []);
  await latencies(input.uncached, input.hitOperation, 20, []);
  for (let round = 0; round < rounds; round++) {
    await latencies(input.single, input.hitOperation, perRound, hit);
    await latencies(input.bareYoga, input.hitOperation, perRound, yoga);
    await latencies(input.uncached, input.hitOperation, Math.max(1, Math.floor(perRound / 4)), uncached);
  }
  return {
    operations: input.operations,
    repeatShare: REPEAT_SHARE,
    newShare,
    concurrency: input.concurrency,
    single: { upstreamCalls: singleCalls, failures: singleFailures },
    replicas: { upstreamCalls: replicaCalls, failures: replicaFailures },
    latencyRequests: perRound * rounds,
    hit: summary(hit),
    bareYoga: summary(yoga),
    uncached: summary(uncached),
  };
}
