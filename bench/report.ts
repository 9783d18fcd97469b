/** Formats the measurements as markdown tables (printed, and written to bench/results.md). */
import os from 'node:os';
import type { CacheResult } from './cache.js';
import type { CallResult } from './calls.js';
import { exportSection, type ExportResult } from './export.js';
import type { ServerRun, ShapeRun } from './cpu.js';
import type { InflightResult, LeakResult } from './memory.js';
import type { BenchOptions } from './options.js';
import { STARTUP_TARGET_MS, type StartupResult } from './startup.js';

export interface Results {
  options: BenchOptions;
  startedAt: Date;
  durationS: number;
  /** One-minute load average of the machine before and after the run (other work shares it). */
  loadBefore: number;
  loadAfter: number;
  cpu?: ShapeRun[];
  inflight?: InflightResult;
  leak?: LeakResult;
  calls?: CallResult[];
  cache?: CacheResult;
  startup?: StartupResult;
  export?: ExportResult;
}

/** Gateway CPU per query ÷ (hand-written + bare Yoga): the gateway adds nothing beyond the framework. */
export const CPU_FLOOR_TARGET = 1.0;
/** Gateway p50 ÷ (hand-written p50 + bare Yoga p50). */
export const P50_FLOOR_TARGET = 1.0;
/** Heap per in-flight request before this work (no regression allowed). */
export const INFLIGHT_HEAP_TARGET_BYTES = 38 * 1024;

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${mb(os.totalmem())} RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** `median (min–max)` of a per-round value. */
function spread(values: number[], digits: number): string {
  if (values.length === 0) return 'n/a';
  return `${fixed(median(values), digits)} (${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)})`;
}

type ServerName = ServerRun['server'];

function runOf(round: ServerRun[], server: ServerName): ServerRun | undefined {
  return round.find((r) => r.server === server);
}

/** Per round: gateway ÷ (hand-written + bare Yoga) of one measure, for rounds that have all three. */
function floorRatios(rounds: ServerRun[][], measure: (run: ServerRun) => number): number[] {
  const ratios: number[] = [];
  for (const round of rounds) {
    const gateway = runOf(round, 'gateway');
    const hand = runOf(round, 'hand-written');
    const yoga = runOf(round, 'bare Yoga');
    if (gateway && hand && yoga) ratios.push(ratio(measure(gateway), measure(hand) + measure(yoga)));
  }
  return ratios;
}

export interface FloorSummary {
  shape: string;
  cpuRatios: number[];
  p50Ratios: number[];
}

export function floorSummaries(runs: ShapeRun[]): FloorSummary[] {
  return runs.map((shape) => ({
    shape: shape.shape,
    cpuRatios: floorRatios(shape.rounds, (r) => r.cpuUs),
    p50Ratios: floorRatios(shape.rounds, (r) => r.p50),
  }));
}

/** Median over the rounds of one server's measure in one shape. */
function medianOf(shape: ShapeRun, server: ServerName, measure: (run: ServerRun) => number): number {
  return median(
    shape.rounds.flatMap((round) => {
      const run = runOf(round, server);
      return run ? [measure(run)] : [];
    }),
  );
}

const verdict = (values: number[], target: number) => (median(values) <= target ? 'met' : 'missed');

function cpuSection(runs: ShapeRun[], options: BenchOptions): string[] {
  const lines: string[] = [
    '## CPU per query and latency',
    '',
    `Server-process CPU (user + system, \`process.cpuUsage()\` delta) over ${options.cpuRequests} requests at concurrency ${options.cpuConcurrency}; ` +
      `latency open-loop at ${options.rate} req/s for ${options.seconds} s, measured from each request's scheduled time. ` +
      `${options.rounds} interleaved rounds per shape (every server once per round, the order rotated each round; ${options.warmup} warm-up requests per server before the first). ` +
      'Each server runs compiled JavaScript under plain Node in its own process, as `npm start` does; the sandbox and the load generator run in processes of their own on the same machine. ' +
      'Values are the median over the rounds, with the lowest and highest in brackets.',
    '',
    '### The floor: gateway ÷ (hand-written + bare Yoga)',
    '',
    'Hand-written is the REST work alone (one undici call, the JSON written by hand); bare Yoga is the framework alone (a constant answer of the same shape). ' +
      `A ratio of 1.0 or less means the gateway adds nothing of its own beyond the two. Targets: CPU ≤ ${CPU_FLOOR_TARGET}, p50 ≤ ${P50_FLOOR_TARGET}.`,
    '',
    table(
      ['shape', 'CPU µs/query: gateway', 'hand-written', 'bare Yoga', 'CPU ratio', 'CPU target', 'p50 ms: gateway', 'hand-written', 'bare Yoga', 'p50 ratio', 'p50 target'],
      floorSummaries(runs).map((f, i) => {
        const shape = runs[i]!;
        const at = (server: ServerName, measure: (run: ServerRun) => number) => medianOf(shape, server, measure);
        return [
          f.shape,
          fixed(at('gateway', (r) => r.cpuUs)),
          fixed(at('hand-written', (r) => r.cpuUs)),
          fixed(at('bare Yoga', (r) => r.cpuUs)),
          spread(f.cpuRatios, 2),
          verdict(f.cpuRatios, CPU_FLOOR_TARGET),
          fixed(at('gateway', (r) => r.p50), 2),
          fixed(at('hand-written', (r) => r.p50), 2),
          fixed(at('bare Yoga', (r) => r.p50), 2),
          spread(f.p50Ratios, 2),
          verdict(f.p50Ratios, P50_FLOOR_TARGET),
        ];
      }),
    ),
    '',
    'Per-server values in this table are medians over the rounds; the ratios are per round (median, lowest–highest).',
    '',
  ];
  for (const shape of runs) {
    lines.push(`### ${shape.shape}`, '');
    lines.push(
      `Response bytes: ${Object.entries(shape.responseBytes).map(([name, bytes]) => `${name} ${bytes}`).join(', ')}. ` +
        `Gateway and hand-written \`data\` identical for the probe request: ${shape.sameData ? 'yes' : 'NO'}.`,
      '',
    );
    const servers: ServerName[] = ['hand-written', 'bare Yoga', 'gateway'];
    const values = (server: ServerName, measure: (run: ServerRun) => number): number[] =>
      shape.rounds.flatMap((round) => {
        const run = runOf(round, server);
        return run ? [measure(run)] : [];
      });
    lines.push(
      table(
        ['server', 'CPU µs/query', 'CPU µs/query at rate', 'p50 ms', 'p99 ms', 'req/s (closed loop)', 'upstream calls/query', 'sandbox CPU µs/query', 'failures'],
        servers.map((server) => [
          server,
          spread(values(server, (r) => r.cpuUs), 0),
          spread(values(server, (r) => r.cpuUsAtRate), 0),
          spread(values(server, (r) => r.p50), 2),
          spread(values(server, (r) => r.p99), 2),
          spread(values(server, (r) => r.throughput), 0),
          fixed(median(values(server, (r) => r.upstreamCallsPerQuery)), 2),
          spread(values(server, (r) => r.sandboxCpuUs), 0),
          String(values(server, (r) => r.failures).reduce((a, b) => a + b, 0)),
        ]),
      ),
      '',
    );
    const sum = (server: ServerName, measure: (run: ServerRun) => number) => median(values(server, measure));
    lines.push(
      `Medians: hand-written + bare Yoga = ${fixed(sum('hand-written', (r) => r.cpuUs) + sum('bare Yoga', (r) => r.cpuUs))} µs/query, ` +
        `gateway ${fixed(sum('gateway', (r) => r.cpuUs))} µs/query; p50 ${fixed(sum('hand-written', (r) => r.p50) + sum('bare Yoga', (r) => r.p50), 2)} ms against ` +
        `${fixed(sum('gateway', (r) => r.p50), 2)} ms.`,
      '',
    );
    for (const round of shape.rounds) for (const r of round) if (r.firstFailure) lines.push(`First failure of ${r.server}: \`${r.firstFailure}\``, '');
  }
  return lines;
}

function memorySection(inflight: InflightResult | undefined, leak: LeakResult | undefined): string[] {
  const lines: string[] = ['## Memory', ''];
  if (inflight) {
    lines.push(
      `${inflight.requests} requests (${inflight.shape}) held in flight in the gateway, sandbox delay ${inflight.delayMs} ms per call. ` +
        `Sampled (after a forced GC) once every request had reached the sandbox, ${fixed(inflight.arrivalMs)} ms after the first was sent; ` +
        `${inflight.heldAtSample} were still open at the sample.`,
      '',
      table(
        ['', 'idle', 'held', 'per in-flight request'],
        [
          ['heapUsed', mb(inflight.baseline.heapUsed), mb(inflight.held.heapUsed), kb(inflight.heapPerRequest)],
          ['RSS', mb(inflight.baseline.rss), mb(inflight.held.rss), kb(inflight.rssPerRequest)],
        ],
      ),
      '',
      `Heap per in-flight request: ${kb(inflight.heapPerRequest)} (target ≤ ${kb(INFLIGHT_HEAP_TARGET_BYTES)}, no regression: ${inflight.heapPerRequest <= INFLIGHT_HEAP_TARGET_BYTES ? 'met' : 'missed'}). Failures: ${inflight.failures}.`,
      '',
    );
  }
  if (leak) {
    const last = leak.samples.at(-1)!;
    lines.push(
      `Leak check: ${last.requests} requests (one deals page per nine single deals) in ${leak.samples.length - 1} batches against the fast sandbox, ` +
        `${fixed(leak.elapsedMs / 1000, 1)} s; heapUsed after a forced GC after each batch:`,
      '',
      table(['requests', 'heapUsed', 'RSS'], leak.samples.map((s) => [String(s.requests), mb(s.heapUsed), mb(s.rss)])),
      '',
      `Last-third slope: ${fixed(leak.lastThirdSlope)} bytes per 1,000 requests (${kb(leak.lastThirdDelta)} over the last third); ` +
        `**${leak.grows ? 'grows' : 'no growth'}** (threshold 1 MB over the last third). Failures: ${leak.failures}.`,
      '',
    );
  }
  return lines;
}

function startupSection(startup: StartupResult): string[] {
  const seconds = (ms: number) => `${fixed(ms / 1000, 2)} s`;
  return [
    '## Start-up',
    '',
    'From spawn to the first answer with data (`{ deals(first: 3) { nodes { name company { name } } } }`, polled every 25 ms), ' +
      'with no configuration (the embedded sandbox and its demo data, as on a fresh clone; NODE_ENV unset), `dist/` already built.',
    '',
    table(
      ['command', 'median', 'runs', `target ≤ ${seconds(STARTUP_TARGET_MS)}`],
      [
        [`\`${startup.command}\``, seconds(startup.medianMs), startup.times.map(seconds).join(', '), startup.medianMs <= STARTUP_TARGET_MS ? 'met' : 'missed'],
        [`\`${startup.node.command}\``, seconds(startup.node.medianMs), startup.node.times.map(seconds).join(', '), ''],
      ],
    ),
    '',
  ];
}

function callsSection(calls: CallResult[]): string[] {
  return [
    '## Upstream calls per query shape',
    '',
    table(
      ['shape', 'predicted', 'actual (cost)', 'sandbox saw', 'routes', 'error'],
      calls.map((c) => [c.name, String(c.predicted ?? 'n/a'), String(c.actual ?? 'n/a'), String(c.sandbox), c.routes, c.error ?? '']),
    ),
    '',
  ];
}

/** Calls per operation may exceed the share of new reads by this much (concurrent misses of one key share a read). */
export const CACHE_NEW_READS_TOLERANCE = 0.005;
/** Upstream calls per operation of the repeated-read workload. */
export const CACHE_CALLS_PER_OP_TARGET = 0.15;
/** Three replicas may make at most this much more calls than one (the cache is shared). */
export const REPLICA_CALLS_TOLERANCE = 0.05;

function cacheSection(cache: CacheResult): string[] {
  const perOp = (calls: number) => calls / cache.operations;
  const extra = ratio(cache.replicas.upstreamCalls, cache.single.upstreamCalls) - 1;
  const verdict = (ok: boolean) => (ok ? 'meets' : 'misses');
  return [
    '## Response cache: repeated reads',
    '',
    `${cache.operations} \`DealById\` reads (deal with company and people), ${fixed(cache.repeatShare * 100)}% repeating an earlier one within the TTL, ` +
      `${cache.concurrency} in flight. Redis (a local \`redis-server\`) holds the cache; each run starts cold.`,
    '',
    table(
      ['setup', 'upstream calls', 'calls per operation', 'failed requests'],
      [
        ['one gateway', String(cache.single.upstreamCalls), fixed(perOp(cache.single.upstreamCalls), 3), String(cache.single.failures)],
        ['three replicas, one Redis (round robin)', String(cache.replicas.upstreamCalls), fixed(perOp(cache.replicas.upstreamCalls), 3), String(cache.replicas.failures)],
      ],
    ),
    '',
    `New reads: ${fixed(cache.newShare, 3)} of the operations, the fewest calls per operation possible; one gateway is ${fixed(perOp(cache.single.upstreamCalls) - cache.newShare, 3)} above it, ` +
      `three replicas ${fixed(perOp(cache.replicas.upstreamCalls) - cache.newShare, 3)} (target within ${CACHE_NEW_READS_TOLERANCE}: ` +
      `${verdict(perOp(cache.single.upstreamCalls) - cache.newShare <= CACHE_NEW_READS_TOLERANCE && perOp(cache.replicas.upstreamCalls) - cache.newShare <= CACHE_NEW_READS_TOLERANCE)}). ` +
      `Calls per operation: ${fixed(perOp(cache.single.upstreamCalls), 3)} (target ≤ ${CACHE_CALLS_PER_OP_TARGET}: ${verdict(perOp(cache.single.upstreamCalls) <= CACHE_CALLS_PER_OP_TARGET)}). ` +
      `Three replicas vs one: ${extra >= 0 ? '+' : ''}${fixed(extra * 100, 1)}% calls (target within ${fixed(REPLICA_CALLS_TOLERANCE * 100)}%: ${verdict(extra <= REPLICA_CALLS_TOLERANCE)}).`,
    '',
    table(
      ['server (same answer)', 'p50 ms', 'p95 ms'],
      [
        ['gateway, cache hit (Redis)', fixed(cache.hit.p50, 2), fixed(cache.hit.p95, 2)],
        ['bare Yoga, constant answer', fixed(cache.bareYoga.p50, 2), fixed(cache.bareYoga.p95, 2)],
        ['gateway, no cache', fixed(cache.uncached.p50, 2), fixed(cache.uncached.p95, 2)],
      ],
    ),
    '',
    `Sequential requests over loopback, ${cache.latencyRequests} per server in interleaved rounds. Hit p50 ÷ bare Yoga p50: ${fixed(ratio(cache.hit.p50, cache.bareYoga.p50), 2)} ` +
      `(target ≤ 1: ${verdict(cache.hit.p50 <= cache.bareYoga.p50)}).`,
    '',
  ];
}

export function render(results: Results): string {
  const { options } = results;
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` on ${results.startedAt.toISOString()} (${fixed(results.durationS)} s). Machine: ${machine()}.`,
    `Load average (1 min): ${fixed(results.loadBefore, 1)} at the start, ${fixed(results.loadAfter, 1)} at the end` +
      (results.loadBefore > os.cpus().length ? ' (other work was running on the machine: absolute times are inflated and noisy; the ratios are steadier).' : '.'),
    `Sandbox: ${options.records} seeded records, in its own process. Gateway: server-key mode, production defaults, log level ${options.logLevel}. ` +
      `Every server process runs with NODE_ENV=${options.nodeEnv}.`,
    '',
  ];
  if (results.cpu) lines.push(...cpuSection(results.cpu, options));
  if (results.inflight || results.leak) lines.push(...memorySection(results.inflight, results.leak));
  if (results.calls) lines.push(...callsSection(results.calls));
  if (results.cache) lines.push(...cacheSection(results.cache));
  if (results.startup) lines.push(...startupSection(results.startup));
  if (results.export) lines.push(...exportSection(results.export));
  return `${lines.join('\n').trimEnd()}\n`;
}
