/**
 * Measurement 1: server CPU per query and latency at a fixed rate, for the gateway, a bare Yoga
 * server answering a constant, and the hand-written `node:http` + undici server.
 */
import { closedLoop, openLoop, percentile, Target } from './load.js';
import type { BenchOptions } from './options.js';
import { sequence, type Shape } from './queries.js';
import { sandboxCalls, type SandboxInfo } from './upstream.js';

export interface ServerUnderTest {
  name: 'gateway' | 'bare Yoga' | 'hand-written';
  target: Target;
}

export interface ServerRun {
  server: ServerUnderTest['name'];
  /** Server CPU per query over the closed-loop run, µs. */
  cpuUs: number;
  /** Server CPU per query over the open-loop run, µs. */
  cpuUsAtRate: number;
  throughput: number;
  upstreamCallsPerQuery: number;
  /** Sandbox CPU per query over the closed-loop run, µs (the upstream's share, not the server's). */
  sandboxCpuUs: number;
  p50: number;
  p99: number;
  achievedRate: number;
  failures: number;
  firstFailure?: string;
}

export interface ShapeRun {
  shape: string;
  responseBytes: Record<string, number>;
  sameData: boolean;
  /** One entry per interleaved round, each with one run per server. */
  rounds: ServerRun[][];
}

const MEASURE_SEED = 7;
const WARMUP_SEED = 99;
const LATENCY_SEED = 13;

function dataOf(body: string): string {
  return JSON.stringify((JSON.parse(body) as { data?: unknown }).data);
}

/** CPU time of the sandbox process so far, µs. */
export type SandboxCpu = () => Promise<number>;

async function measureServer(server: ServerUnderTest, shape: Shape, sandbox: SandboxInfo, sandboxCpu: SandboxCpu, options: BenchOptions): Promise<ServerRun> {
  const { target } = server;
  if (options.warmup > 0) {
    const random = sequence(WARMUP_SEED);
    await closedLoop(target, options.warmup, options.cpuConcurrency, () => shape.operation(random));
  }
  const random = sequence(MEASURE_SEED);
  const callsBefore = await sandboxCalls(sandbox);
  const sandboxBefore = await sandboxCpu();
  const before = await target.usage();
  const closed = await closedLoop(target, options.cpuRequests, options.cpuConcurrency, () => shape.operation(random));
  const after = await target.usage();
  const sandboxAfter = await sandboxCpu();
  const callsAfter = await sandboxCalls(sandbox);

  const latencyRandom = sequence(LATENCY_SEED);
  const beforeOpen = await target.usage();
  const open = await openLoop(target, options.rate, options.seconds, () => shape.operation(latencyRandom));
  const afterOpen = await target.usage();
  return {
    server: server.name,
    cpuUs: (after.cpuUs - before.cpuUs) / closed.requests,
    cpuUsAtRate: (afterOpen.cpuUs - beforeOpen.cpuUs) / open.requests,
    throughput: closed.requests / (closed.elapsedMs / 1000),
    upstreamCallsPerQuery: (callsAfter - callsBefore) / closed.requests,
    sandboxCpuUs: (sandboxAfter - sandboxBefore) / closed.requests,
    p50: percentile(open.latencies, 50),
    p99: percentile(open.latencies, 99),
    achievedRate: open.achievedRate,
    failures: closed.failures + open.failures,
    firstFailure: closed.firstFailure,
  };
}

/**
 * Measures every shape in `options.rounds` interleaved rounds: within a shape each round runs
 * every server once, in an order rotated from round to round, so slow drift of the machine (other
 * work, thermal state) spreads over all servers instead of landing on whichever ran last.
 */
export async function measureCpu(
  servers: ServerUnderTest[],
  shapes: Shape[],
  sandbox: SandboxInfo,
  sandboxCpu: SandboxCpu,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ShapeRun[]> {
  const results: ShapeRun[] = [];
  for (const shape of shapes) {
    const probe = shape.operation(sequence(1));
    const responseBytes: Record<string, number> = {};
    const data: Record<string, string> = {};
    for (const server of servers) {
      const reply = await server.target.post(probe);
      responseBytes[server.name] = Buffer.byteLength(reply.body);
      data[server.name] = dataOf(reply.body);
    }
    const rounds: ServerRun[][] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
      const runs: ServerRun[] = [];
      for (const server of order) {
        log(`  ${shape.name} round ${round + 1}/${options.rounds}: ${server.name} …`);
        runs.push(await measureServer(server, shape, sandbox, sandboxCpu, { ...options, warmup: round === 0 ? options.warmup : 0 }));
      }
      rounds.push(runs);
    }
    results.push({ shape: shape.name, responseBytes, sameData: data['gateway'] === data['hand-written'], rounds });
  }
  return results;
}
