/**
 * `npm run bench:profile -- --shape=page|id|repeated [--requests=N] [--server=gateway|hand-written|yoga]`:
 * a CPU profile of one server (compiled, in its own process, as in `npm run bench`) under one
 * benchmark shape at concurrency 8, taken after a warm-up, then the modules and functions that
 * took the most of its busy time. The profile is written to `.bench-dist/profiles/` for Chrome
 * DevTools or speedscope. `--node-env=development` profiles without NODE_ENV=production; `--file=<profile>` summarizes a written profile again; `--focus=<function>`
 * adds where that function is called from and which of its callees take its time.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setChildNodeEnv, startChild, stopAll, type Child } from './children.js';
import { closedLoop, Target } from './load.js';
import { dealByIdShape, dealsPageShape, repeatedDealsPageShape, sequence } from './queries.js';
import { recordIds, type SandboxInfo } from './upstream.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function flag(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

/** Where a frame's code lives: a package, a file of this project, Node itself, or V8's own bucket. */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packaged) return packaged[1]!;
  const own = /\/(?:\.bench-dist\/)?((?:src|bench)\/.*)$/.exec(url);
  if (own) return own[1]!;
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '');
}

function medianOf(values: number[]): number {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function summarize(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  // Every sample counts as one sampling interval: on a busy machine the gap before a sample also
  // holds time the process was not running, which would land on whatever it ran next.
  const interval = medianOf(profile.timeDeltas);
  profile.samples.forEach((id) => {
    const delta = interval;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === '(idle)') {
      idle += delta;
      return;
    }
    busy += delta;
    const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;
    self.set(key(node), (self.get(key(node)) ?? 0) + delta);
    const mod = moduleOf(node.callFrame.url, node.callFrame.functionName);
    modules.set(mod, (modules.get(mod) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: ProfileNode | undefined = node; at; at = byId.get(parent.get(at.id) ?? -1)) {
      const k = key(at);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + delta);
    }
  });
  const focus = flag('focus', '');
  const callers = new Map<string, number>();
  const callees = new Map<string, number>();
  if (focus) {
    profile.samples.forEach((id) => {
      const delta = interval;
      const stack: ProfileNode[] = [];
      for (let at = byId.get(id); at; at = byId.get(parent.get(at.id) ?? -1)) stack.push(at);
      const index = stack.findIndex((n) => n.callFrame.functionName === focus);
      if (index === -1) return;
      const name = (n: ProfileNode | undefined) => (n ? `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}` : '(self)');
      const up = stack.slice(index + 1, index + Number(flag("depth", "3")) + 1).map(name).join(' < ');
      callers.set(up, (callers.get(up) ?? 0) + delta);
      const down = index === 0 ? '(self)' : name(stack[index - 1]);
      callees.set(down, (callees.get(down) ?? 0) + delta);
    });
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1)}%`;
  const rows = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `  ${pct(us).padStart(6)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`)
      .join('\n');
  const ownCode = flag('all', '') ? inclusive : new Map([...inclusive].filter(([name]) => / src\//.test(name)));
  return [
    `busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms (samples × the median interval, ${interval} µs)`,
    `self time by module:\n${rows(modules, top)}`,
    `self time by function:\n${rows(self, top)}`,
    `inclusive time, this project's functions:\n${rows(ownCode, top)}`,
    ...(focus ? [`${focus}: called from\n${rows(callers, top)}`, `${focus}: time in its callees\n${rows(callees, top)}`] : []),
  ].join('\n\n');
}

async function main(): Promise<void> {
  const existing = flag('file', '');
  if (existing) {
    console.log(summarize(JSON.parse(readFileSync(existing, 'utf8')) as Profile));
    return;
  }
  const shapeName = flag('shape', 'page');
  const requests = Number(flag('requests', '3000'));
  const records = Number(flag('records', '12000'));
  const server = flag('server', 'gateway');
  setChildNodeEnv(flag('node-env', 'production'));
  const dir = fileURLToPath(new URL('../.bench-dist/profiles/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${server.replace(/\W+/g, '-')}-${shapeName}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  const children: Array<Child<unknown>> = [];
  const targets: Target[] = [];
  try {
    const sandboxChild = await startChild<SandboxInfo>('sandbox', 'sandbox-process', { records });
    children.push(sandboxChild);
    const sandbox = sandboxChild.ready;
    const deals = await recordIds(sandbox, 'deal');
    const shape = shapeName === 'id' ? dealByIdShape(deals.ids) : shapeName === 'repeated' ? repeatedDealsPageShape() : dealsPageShape(deals.total);
    const gateway = await startChild<{ origin: string }>('gateway', 'gateway-process', {
      apiUrl: sandbox.apiUrl,
      workspace: sandbox.workspace,
      apiKey: sandbox.apiKey,
      logLevel: flag('log-level', 'info'),
    });
    children.push(gateway);
    let profiled: Child<{ origin: string }> = gateway;
    if (server === 'hand-written') profiled = await startChild<{ origin: string }>('hand-written', 'handwritten-process', sandbox);
    else if (server === 'bare Yoga' || server === 'yoga') {
      const constants: Record<string, unknown> = {};
      const probe = new Target(gateway.ready.origin);
      targets.push(probe);
      for (const s of [dealsPageShape(deals.total), dealByIdShape(deals.ids)]) {
        Object.assign(constants, (JSON.parse((await probe.post(s.operation(sequence(1)))).body) as { data: object }).data);
      }
      profiled = await startChild<{ origin: string }>('bare Yoga', 'yoga-process', { constants: { deals: constants['deals'], deal: constants['deal'] } });
    }
    if (profiled !== gateway) children.push(profiled);
    const target = new Target(profiled.ready.origin);
    targets.push(target);
    const warm = sequence(99);
    await closedLoop(target, 300, 8, () => shape.operation(warm));
    await profiled.ask({ type: 'profile-start' }, 'profile-started');
    const random = sequence(7);
    console.error(`profiling ${server}: ${requests} requests of "${shape.name}", concurrency 8, after 300 to warm up …`);
    const result = await closedLoop(target, requests, 8, () => shape.operation(random));
    console.error(`${result.requests} requests, ${result.failures} failures, ${(result.elapsedMs / 1000).toFixed(1)} s`);
    await profiled.ask({ type: 'profile-stop', file }, 'profile-stopped', 60_000);
  } finally {
    await Promise.all(targets.map((t) => t.close().catch(() => undefined)));
    await stopAll(children);
  }
  console.log(`${file}\n`);
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exitCode = 1;
});
