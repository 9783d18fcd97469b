/**
 * `npm run bench`: starts the sandbox and the servers under test in their own processes, runs
 * the CPU/latency, memory and call-count measurements, prints the results and writes
 * bench/results.md. Flags and BENCH_* variables: see options.ts.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { startRedis, type TestRedis } from '../test/helpers/redis.js';
import { measureCache } from './cache.js';
import { callShapes, measureCalls } from './calls.js';
import { setChildNodeEnv, startChild, stopAll, type Child } from './children.js';
import { measureCpu, type ServerUnderTest } from './cpu.js';
import { measureExport } from './export.js';
import { closedLoop, Target } from './load.js';
import { leakCheck, measureInflight } from './memory.js';
import { readOptions, type BenchOptions } from './options.js';
import { dealByIdShape, dealsPageShape, repeatedDealsPageShape, sequence, type Shape } from './queries.js';
import { render, type Results } from './report.js';
import { measureStartup } from './startup.js';
import { recordIds, type SandboxInfo } from './upstream.js';

interface Origin {
  origin: string;
}

const log = (line: string): void => console.error(line);

interface GatewayExtra {
  connections?: number;
  exposeGc?: boolean;
  cacheTtlSeconds?: number;
  redis?: { url: string; keyPrefix: string };
  name?: string;
}

async function startGateway(sandbox: SandboxInfo, options: BenchOptions, extra: GatewayExtra = {}): Promise<Child<Origin>> {
  return startChild<Origin>(
    extra.name ?? 'gateway',
    'gateway-process',
    {
      apiUrl: sandbox.apiUrl,
      workspace: sandbox.workspace,
      apiKey: sandbox.apiKey,
      logLevel: options.logLevel,
      connections: extra.connections,
      cacheTtlSeconds: extra.cacheTtlSeconds,
      redis: extra.redis,
      compiledExecution: options.executor === 'compiled',
    },
    { exposeGc: extra.exposeGc },
  );
}

/** `data.deals` / `data.deal` of the gateway's answers, for the bare Yoga server to repeat. */
async function captureConstants(gateway: Target, shapes: Shape[]): Promise<{ deals: unknown; deal: unknown }> {
  const constants: Record<string, unknown> = {};
  for (const shape of shapes) {
    const reply = await gateway.post(shape.operation(sequence(1)));
    Object.assign(constants, (JSON.parse(reply.body) as { data: Record<string, unknown> }).data);
  }
  return { deals: constants['deals'], deal: constants['deal'] };
}

async function main(): Promise<void> {
  const options = readOptions();
  setChildNodeEnv(options.nodeEnv);
  const startedAt = new Date();
  const results: Results = { options, startedAt, durationS: 0, loadBefore: os.loadavg()[0]!, loadAfter: 0 };
  const children: Array<Child<unknown> | undefined> = [];
  const targets: Target[] = [];
  let redis: TestRedis | undefined;
  const target = (origin: string, connections?: number): Target => {
    const created = new Target(origin, connections);
    targets.push(created);
    return created;
  };
  try {
    log(`sandbox: seeding ${options.records} records …`);
    const sandboxChild = await startChild<SandboxInfo & { type: string }>('sandbox', 'sandbox-process', { records: options.records });
    children.push(sandboxChild);
    const sandbox = sandboxChild.ready;
    const deals = await recordIds(sandbox, 'deal');
    const companies = await recordIds(sandbox, 'company', 1);
    const shapes = [dealsPageShape(deals.total), dealByIdShape(deals.ids), repeatedDealsPageShape()];
    log(`sandbox: ${deals.total} deals; ids of ${deals.ids.length} read for varied single-record queries`);

    if (options.only.has('cpu') || options.only.has('calls')) {
      const gatewayChild = await startGateway(sandbox, options);
      children.push(gatewayChild);
      const gateway = target(gatewayChild.ready.origin);
      if (options.only.has('calls')) {
        log('calls: query shapes …');
        results.calls = await measureCalls(gateway, sandbox, callShapes({ company: companies.ids[0]!, deal: deals.ids[0]! }));
      }
      if (options.only.has('cpu')) {
        const constants = await captureConstants(gateway, shapes);
        const [handChild, yogaChild] = await Promise.all([
          startChild<Origin>('hand-written', 'handwritten-process', sandbox),
          startChild<Origin>('bare Yoga', 'yoga-process', { constants }),
        ]);
        children.push(handChild, yogaChild);
        const servers: ServerUnderTest[] = [
          { name: 'hand-written', target: target(handChild.ready.origin) },
          { name: 'bare Yoga', target: target(yogaChild.ready.origin) },
          { name: 'gateway', target: gateway },
        ];
        log('cpu: measuring …');
        const sandboxCpu = async (): Promise<number> => (await sandboxChild.ask<{ cpuUs: number }>({ type: 'usage' }, 'usage')).cpuUs;
        results.cpu = await measureCpu(servers, shapes, sandbox, sandboxCpu, options, log);
        await Promise.all([handChild.stop(), yogaChild.stop()]);
      }
      await gatewayChild.stop();
    }

    if (options.only.has('cache')) {
      redis = await startRedis();
      log(`cache: redis-server on port ${redis.port}; gateways with a 300 s TTL …`);
      const shared = (keyPrefix: string, name: string): GatewayExtra => ({ cacheTtlSeconds: 300, redis: { url: redis!.url, keyPrefix }, name });
      const started = await Promise.all([
        startGateway(sandbox, options, shared('bench-single:', 'gateway (cache)')),
        ...[1, 2, 3].map((n) => startGateway(sandbox, options, shared('bench-replicas:', `replica ${n}`))),
        startGateway(sandbox, options, { name: 'gateway (no cache)' }),
      ]);
      children.push(...started);
      const [single, r1, r2, r3, uncached] = started.map((child) => target(child.ready.origin));
      const hitOperation = dealByIdShape(deals.ids).operation(sequence(99));
      const constants = await captureConstants(uncached!, [{ name: 'hit', operation: () => hitOperation }]);
      const yogaChild = await startChild<Origin>('bare Yoga', 'yoga-process', { constants });
      children.push(yogaChild);
      results.cache = await measureCache({
        sandbox,
        ids: deals.ids,
        single: single!,
        replicas: [r1!, r2!, r3!],
        uncached: uncached!,
        bareYoga: target(yogaChild.ready.origin),
        hitOperation,
        operations: options.cacheOps,
        concurrency: options.cpuConcurrency,
        latencyRequests: 1000,
        log,
      });
      await Promise.all([...started, yogaChild].map((child) => child.stop()));
    }

    if (options.only.has('memory')) {
      log(`memory: gateway with --expose-gc and ${options.inflight} upstream connections …`);
      const memoryChild = await startGateway(sandbox, options, { connections: options.inflight, exposeGc: true });
      children.push(memoryChild);
      const load = target(memoryChild.ready.origin, options.inflight);
      const control = target(memoryChild.ready.origin, 2);
      const random = sequence(5);
      await closedLoop(load, Math.max(options.warmup, 200), options.cpuConcurrency, () => shapes[random() < 0.5 ? 0 : 1]!.operation(random));
      log(`memory: ${options.inflight} requests in flight, sandbox delay ${options.delayMs} ms …`);
      results.inflight = await measureInflight(load, control, sandbox, shapes[1]!, options);
      log(`memory: leak check over ${options.leakRequests} requests …`);
      results.leak = await leakCheck(load, control, shapes[0]!, shapes[1]!, options);
      await memoryChild.stop();
    }

    if (options.only.has('export')) {
      log(`export: a sandbox of ${options.exportRecords} deals …`);
      const exportSandbox = await startChild<SandboxInfo & { type: string }>('export sandbox', 'sandbox-process', { records: 300, objectCounts: { deal: options.exportRecords, company: Math.ceil(options.exportRecords / 20) } });
      children.push(exportSandbox);
      const exportChild = await startGateway(exportSandbox.ready, options, { exposeGc: true, name: 'gateway (export)' });
      children.push(exportChild);
      log('export: every deal through POST /export …');
      results.export = await measureExport(target(exportChild.ready.origin, 2), exportChild.ready.origin, options.exportRecords, log);
      await Promise.all([exportChild.stop(), exportSandbox.stop()]);
    }

    if (options.only.has('startup')) {
      // After the other phases, so their servers are gone; the sandbox child is idle.
      log(`startup: npm start and node dist/cli/main.js, ${options.startupRuns} starts each …`);
      results.startup = await measureStartup(options.startupRuns);
    }
  } finally {
    await Promise.all(targets.map((t) => t.close().catch(() => undefined)));
    await stopAll(children);
    await redis?.stop();
  }
  results.durationS = (Date.now() - startedAt.getTime()) / 1000;
  results.loadAfter = os.loadavg()[0]!;
  const markdown = render(results);
  console.log(markdown);
  if (options.write) {
    const file = fileURLToPath(new URL('./results.md', import.meta.url));
    writeFileSync(file, markdown);
    log(`written to ${file}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
});
