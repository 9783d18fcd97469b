/** Formats the measurements as markdown tables (printed, and written to bench/results.md). */
import os from 'node:os';
import type { CallResult } from './calls.js';
import type { ShapeRun } from './cpu.js';
import type { InflightResult, LeakResult } from './memory.js';
import type { BenchOptions } from './options.js';

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
}

export const CPU_TARGET = 1.3;
export const P50_TARGET = 1.2;

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

function cpuSection(runs: ShapeRun[], options: BenchOptions): string[] {
  const lines: string[] = [
    '## CPU per query and latency',
    '',
    `Server-process CPU (user + system, \`process.cpuUsage()\` delta) over ${options.cpuRequests} requests at concurrency ${options.cpuConcurrency}, ` +
      `after ${options.warmup} warm-up requests; latency open-loop at ${options.rate} req/s for ${options.seconds} s, measured from each request's scheduled time. ` +
      'Each server, the sandbox and the load generator run in separate processes on the same machine.',
    '',
  ];
  for (const shape of runs) {
    const hand = shape.runs.find((r) => r.server === 'hand-written');
    const yoga = shape.runs.find((r) => r.server === 'bare Yoga');
    lines.push(`### ${shape.shape}`, '');
    lines.push(
      `Response bytes: ${Object.entries(shape.responseBytes).map(([name, bytes]) => `${name} ${bytes}`).join(', ')}. ` +
        `Gateway and hand-written \`data\` identical for the probe request: ${shape.sameData ? 'yes' : 'NO'}.`,
      '',
    );
    lines.push(
      table(
        ['server', 'CPU µs/query', '× hand-written', '× bare Yoga', 'CPU µs/query at rate', 'upstream calls/query', 'sandbox CPU µs/query', 'req/s (closed loop)', 'p50 ms', 'p99 ms', 'p50 × hand-written', 'failures'],
        shape.runs.map((r) => [
          r.server,
          fixed(r.cpuUs),
          hand ? fixed(ratio(r.cpuUs, hand.cpuUs), 2) : 'n/a',
          yoga ? fixed(ratio(r.cpuUs, yoga.cpuUs), 2) : 'n/a',
          fixed(r.cpuUsAtRate),
          fixed(r.upstreamCallsPerQuery, 2),
          fixed(r.sandboxCpuUs),
          fixed(r.throughput),
          fixed(r.p50, 2),
          fixed(r.p99, 2),
          hand ? fixed(ratio(r.p50, hand.p50), 2) : 'n/a',
          String(r.failures),
        ]),
      ),
      '',
    );
    const gateway = shape.runs.find((r) => r.server === 'gateway');
    if (gateway && hand) {
      const cpuRatio = ratio(gateway.cpuUs, hand.cpuUs);
      const p50Ratio = ratio(gateway.p50, hand.p50);
      lines.push(
        `Targets: CPU ≤ ${CPU_TARGET}× hand-written: **${cpuRatio <= CPU_TARGET ? 'met' : 'missed'}** (${fixed(cpuRatio, 2)}×); ` +
          `p50 ≤ ${P50_TARGET}× hand-written: **${p50Ratio <= P50_TARGET ? 'met' : 'missed'}** (${fixed(p50Ratio, 2)}×).`,
        '',
      );
      if (yoga) {
        lines.push(
          `For scale: hand-written + bare Yoga = ${fixed(hand.cpuUs + yoga.cpuUs)} µs/query (the REST work plus Yoga serving a constant); ` +
            `gateway ${fixed(gateway.cpuUs)} µs/query (difference ${fixed(gateway.cpuUs - hand.cpuUs - yoga.cpuUs)} µs).`,
          '',
        );
      }
    }
    for (const r of shape.runs) if (r.firstFailure) lines.push(`First failure of ${r.server}: \`${r.firstFailure}\``, '');
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
      `Failures: ${inflight.failures}.`,
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

export function render(results: Results): string {
  const { options } = results;
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` on ${results.startedAt.toISOString()} (${fixed(results.durationS)} s). Machine: ${machine()}.`,
    `Load average (1 min): ${fixed(results.loadBefore, 1)} at the start, ${fixed(results.loadAfter, 1)} at the end` +
      (results.loadBefore > os.cpus().length ? ' (other work was running on the machine: absolute times are inflated and noisy; the ratios are steadier).' : '.'),
    `Sandbox: ${options.records} seeded records, in its own process. Gateway: server-key mode, production defaults, log level ${options.logLevel}.`,
    '',
  ];
  if (results.cpu) lines.push(...cpuSection(results.cpu, options));
  if (results.inflight || results.leak) lines.push(...memorySection(results.inflight, results.leak));
  if (results.calls) lines.push(...callsSection(results.calls));
  return `${lines.join('\n').trimEnd()}\n`;
}
