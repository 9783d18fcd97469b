/**
 * Benchmark settings: `--name=value` flags, else `BENCH_NAME` environment variables, else the
 * defaults below (sized for the whole run to finish in about five minutes on two cores).
 */
export interface BenchOptions {
  /** Seeded sandbox records. */
  records: number;
  /** Requests per server and shape for the CPU measurement (closed loop). */
  cpuRequests: number;
  /** Concurrency of the CPU measurement. */
  cpuConcurrency: number;
  /** Interleaved rounds of the CPU and latency measurement (every server once per round). */
  rounds: number;
  /** Requests per server and shape before measuring (JIT warm-up, first round only). */
  warmup: number;
  /** Open-loop request rate for the latency measurement, requests per second. */
  rate: number;
  /** Open-loop duration per server and shape, seconds. */
  seconds: number;
  /** Requests held in flight for the memory measurement. */
  inflight: number;
  /**
   * Sandbox delay per call while the requests are held, ms: long enough for all of them to
   * arrive, shorter than the client's 10 s per-attempt deadline.
   */
  delayMs: number;
  /** Requests of the leak check. */
  leakRequests: number;
  /** Concurrency of the leak check. */
  leakConcurrency: number;
  /** Heap samples taken during the leak check. */
  leakSamples: number;
  /** Gateway log level (`npm start` default: info). */
  logLevel: string;
  /** Operations of the repeated-read cache workload (per run: one gateway, then three replicas). */
  cacheOps: number;
  /**
   * NODE_ENV of every child process (default production, as a deployment sets it). graphql-js
   * reads it once: anything but `production` adds a cross-realm check to each failed type test.
   */
  nodeEnv: string;
  /** Starts of `npm start` (and of `node dist/cli/main.js`) timed by the start-up phase. */
  startupRuns: number;
  /** Deals seeded for the export phase (a sandbox of its own). */
  exportRecords: number;
  /** Phases to run: cpu, memory, calls, cache, startup, export. */
  only: Set<string>;
  /** `compiled` (graphql-jit where bounded, the default) or `standard` (graphql-js for everything). */
  executor: 'compiled' | 'standard';
  /** Write bench/results.md. */
  write: boolean;
}

const PHASES = ['cpu', 'memory', 'calls', 'cache', 'startup', 'export'];

function raw(name: string): string | undefined {
  const prefix = `--${name}=`;
  const flag = process.argv.slice(2).find((arg) => arg.startsWith(prefix));
  if (flag !== undefined) return flag.slice(prefix.length);
  if (process.argv.includes(`--${name}`)) return 'true';
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  return env === undefined || env.trim() === '' ? undefined : env.trim();
}

function whole(name: string, fallback: number, min = 1): number {
  const value = raw(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number >= ${min}, got "${value}"`);
  return n;
}

function executorOf(value: string): BenchOptions['executor'] {
  if (value !== 'compiled' && value !== 'standard') throw new Error(`--executor takes compiled or standard; got "${value}"`);
  return value;
}

export function readOptions(): BenchOptions {
  const only = new Set((raw('only') ?? PHASES.join(',')).split(',').map((p) => p.trim()).filter(Boolean));
  for (const phase of only) {
    if (!PHASES.includes(phase)) throw new Error(`--only takes a comma list of ${PHASES.join(', ')}; got "${phase}"`);
  }
  return {
    records: whole('records', 12_000),
    cpuRequests: whole('cpu-requests', 600),
    cpuConcurrency: whole('cpu-concurrency', 8),
    rounds: whole('rounds', 3),
    warmup: whole('warmup', 150, 0),
    rate: whole('rate', 50),
    seconds: whole('seconds', 6),
    inflight: whole('inflight', 1_000),
    delayMs: whole('delay-ms', 8_000),
    leakRequests: whole('leak-requests', 50_000),
    leakConcurrency: whole('leak-concurrency', 16),
    leakSamples: whole('leak-samples', 12, 3),
    cacheOps: whole('cache-ops', 3000),
    startupRuns: whole('startup-runs', 3),
    exportRecords: whole('export-records', 100_000),
    logLevel: raw('log-level') ?? 'info',
    nodeEnv: raw('node-env') ?? 'production',
    only,
    executor: executorOf(raw('executor') ?? 'compiled'),
    write: raw('no-write') === undefined,
  };
}
