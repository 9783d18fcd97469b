/**
 * Sandbox benchmark: seeding 100,000 records (target < 10 s) and list calls with a filter,
 * a sort and an include over them (target < 50 ms). Run with `npx tsx bench/sandbox.ts`
 * (BENCH_RECORDS overrides the size). Wall times are also shown as process CPU time, which
 * stays meaningful when other work competes for the machine.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../src/sandbox/server.js';
import { createWorkspace } from '../src/sandbox/state.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RUNS = 20;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed<T>(work: () => Promise<T> | T): Promise<[T, Timing]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return [result, { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }];
}

const show = (t: Timing): string => `${t.wallMs.toFixed(1)} ms wall / ${t.cpuMs.toFixed(1)} ms cpu`;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);

const [workspace, generation] = await timed(() => createWorkspace(42, RECORDS));
const total = [...workspace.store.tables.values()].reduce((sum, table) => sum + table.records.size, 0);
console.log(`generate ${total} records: ${show(generation)}  (target < 10000 ms)`);
console.log(`  ${JSON.stringify(workspace.counts)}`);

const [sandbox, startup] = await timed(() => startSandbox({ records: RECORDS, rateLimitPerMinute: 1_000_000 }));
console.log(`startSandbox({ records: ${RECORDS} }): ${show(startup)}`);

const base = `${sandbox.apiUrl}/workspaces/${sandbox.workspace}`;
const headers = { authorization: `api-key ${sandbox.apiKey}` };

const queries: Array<[string, string]> = [
  [
    'deals: amount >= 50000 AND stage One of Won,Negotiation, sort amount DESC, include company_id,people, limit 100',
    '/objects/deal/resources?filter[amount][Greater than or equal]=50000&filter[stage][One of]=Won,Negotiation&sortOrder[column]=amount&sortOrder[dir]=DESC&include=company_id,people&page[limit]=100',
  ],
  [
    'people: job_title Contains "vp", sort name, include company_id.deals, limit 100',
    '/objects/person/resources?filter[job_title][Contains]=vp&sortOrder[column]=name&include=company_id.deals&page[limit]=100',
  ],
  [
    'deals: path filter deal.company_id.industry=Software, sort close_date, include company_id, limit 100',
    '/objects/deal/resources?filter[deal.company_id.industry]=Software&sortOrder[column]=close_date&include=company_id&page[limit]=100',
  ],
];

try {
  for (const [label, path] of queries) {
    const timings: Timing[] = [];
    let summary = '';
    for (let i = 0; i < RUNS; i++) {
      const [body, timing] = await timed(async () => {
        const response = await fetch(`${base}${path}`, { headers });
        if (response.status !== 200) throw new Error(`${path} → ${response.status}`);
        return (await response.json()) as { meta: { total_records: number }; data: unknown[]; included?: unknown[] };
      });
      timings.push(timing);
      summary = `${body.meta.total_records} matching, ${body.data.length} on the page, ${body.included?.length ?? 0} included`;
    }
    const [first, ...warm] = timings;
    console.log(`list ${label}`);
    console.log(`  ${summary}`);
    console.log(
      `  first call ${show(first!)}; then median ${median(warm.map((t) => t.wallMs)).toFixed(1)} ms wall / ` +
        `${median(warm.map((t) => t.cpuMs)).toFixed(1)} ms cpu  (target < 50 ms)`,
    );
  }
} finally {
  await sandbox.close();
}
