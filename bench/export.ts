/**
 * The export phase (`--only=export`): one `POST /export` of every deal of a sandbox seeded with
 * `--export-records` deals, read as fast as the client can, while the gateway's memory is sampled
 * every 100 ms. Reports records per second (and the time to the first line) next to what the
 * default rate budget's bulk share allows, and the gateway's peak memory against its idle size
 * (heap after a forced collection) with the target of staying within 100 MB.
 */
import { Pool } from 'undici';
import { DEFAULTS } from '../src/config/defaults.js';
import type { Target } from './load.js';
import type { Usage } from './processes/child-runtime.js';

/** Most the gateway may grow over an export, whatever its length. */
export const EXPORT_MEMORY_TARGET_BYTES = 100 * 1024 * 1024;
/** Records an export page adds after the first (one seen at the cursor is read again). */
const RECORDS_PER_PAGE = 499;

export const EXPORT_QUERY = '{ deals { nodes { id name amount stage closeDate company { name } } } }';

export interface ExportResult {
  records: number;
  lines: number;
  upstreamCalls: number;
  elapsedMs: number;
  firstLineMs: number;
  recordsPerSecond: number;
  /** What the default settings allow: calls per minute of the bulk share, and records per second at 499 a call. */
  budget: { perMinute: number; share: number; callsPerMinute: number; recordsPerSecond: number };
  idle: { rss: number; heapUsed: number };
  peak: { rss: number; heapUsed: number };
  /** Memory after a forced collection once the export has ended: what it left behind. */
  after: { rss: number; heapUsed: number };
  /** Memory at each quarter of the export, to show it does not grow with the records. */
  quarters: { lines: number; rss: number; heapUsed: number }[];
  bytes: number;
}

export async function measureExport(gateway: Target, origin: string, records: number, log: (line: string) => void): Promise<ExportResult> {
  const idle = await gateway.usage(true);
  const pool = new Pool(origin, { connections: 1, headersTimeout: 600_000, bodyTimeout: 600_000 });
  let lines = 0;
  let bytes = 0;
  let tail = '';
  let peak = { rss: idle.rss, heapUsed: idle.heapUsed };
  const quarters: ExportResult['quarters'] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const usage: Usage = await gateway.usage(false);
      peak = { rss: Math.max(peak.rss, usage.rss), heapUsed: Math.max(peak.heapUsed, usage.heapUsed) };
      if (lines >= ((quarters.length + 1) * records) / 4) quarters.push({ lines, rss: usage.rss, heapUsed: usage.heapUsed });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const started = performance.now();
  let firstLineMs = Number.NaN;
  try {
    const response = await pool.request({
      method: 'POST',
      path: '/export',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson' },
      body: JSON.stringify({ query: EXPORT_QUERY }),
    });
    if (response.statusCode !== 200) throw new Error(`export: HTTP ${response.statusCode}: ${(await response.body.text()).slice(0, 500)}`);
    for await (const chunk of response.body) {
      const text = (chunk as Buffer).toString('utf8');
      if (lines === 0 && Number.isNaN(firstLineMs)) firstLineMs = performance.now() - started;
      bytes += chunk.length;
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
      tail = (tail + text).slice(-2_000);
      if (lines % 20_000 < 500) log(`export: ${lines} lines`);
    }
  } finally {
    sampling = false;
    await sampler;
    await pool.close();
  }
  const elapsedMs = performance.now() - started;
  const after = await gateway.usage(true);
  const trailer = JSON.parse(tail.trim().split('\n').at(-1) ?? '{}') as { errors?: unknown[]; extensions?: { count?: number; actualCalls?: number } };
  if (trailer.errors) throw new Error(`export ended with errors: ${JSON.stringify(trailer.errors)}`);
  const exported = trailer.extensions?.count ?? lines - 1;
  const perMinute = DEFAULTS.rateLimitPerMinute;
  const share = DEFAULTS.bulkBudgetShare;
  const callsPerMinute = Math.floor((perMinute * share) / 100);
  return {
    records,
    lines: exported,
    upstreamCalls: trailer.extensions?.actualCalls ?? Number.NaN,
    elapsedMs,
    firstLineMs,
    recordsPerSecond: exported / (elapsedMs / 1000),
    budget: { perMinute, share, callsPerMinute, recordsPerSecond: (callsPerMinute / 60) * RECORDS_PER_PAGE },
    idle: { rss: idle.rss, heapUsed: idle.heapUsed },
    peak,
    after: { rss: after.rss, heapUsed: after.heapUsed },
    quarters,
    bytes,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function exportSection(result: ExportResult): string[] {
  const growth = result.peak.rss - result.idle.rss;
  return [
    '## Export (`POST /export`)',
    '',
    `Every deal of a sandbox seeded with ${result.records} deals, \`${EXPORT_QUERY}\`, read by one client as fast as it can.`,
    '',
    '| | value |',
    '|---|---|',
    `| lines written | ${result.lines} (${mb(result.bytes)} of NDJSON) |`,
    `| upstream calls | ${result.upstreamCalls} (one read of 500 per page) |`,
    `| time, first line | ${(result.elapsedMs / 1000).toFixed(1)} s, ${result.firstLineMs.toFixed(0)} ms |`,
    `| records per second (rate budget lifted) | ${result.recordsPerSecond.toFixed(0)} |`,
    `| allowed by the default budget's bulk share (${result.budget.share}% of ${result.budget.perMinute} calls/min = ${result.budget.callsPerMinute} calls/min, 499 records a call) | ${result.budget.recordsPerSecond.toFixed(0)} records/s sustained |`,
    `| gateway idle (after GC), RSS / heap | ${mb(result.idle.rss)} / ${mb(result.idle.heapUsed)} |`,
    `| gateway peak during the export, RSS / heap | ${mb(result.peak.rss)} / ${mb(result.peak.heapUsed)} |`,
    `| growth over idle (target ≤ ${mb(EXPORT_MEMORY_TARGET_BYTES)}) | RSS +${mb(growth)}, heap +${mb(result.peak.heapUsed - result.idle.heapUsed)}, ${growth <= EXPORT_MEMORY_TARGET_BYTES ? 'met' : 'missed'} |`,
    `| gateway after the export (after GC), RSS / heap | ${mb(result.after.rss)} / ${mb(result.after.heapUsed)} (heap +${mb(result.after.heapUsed - result.idle.heapUsed)} over idle: what the export left behind) |`,
    `| RSS / heap at each quarter | ${result.quarters.map((q) => `${q.lines}: ${mb(q.rss)} / ${mb(q.heapUsed)}`).join('; ')} |`,
    '',
  ];
}
