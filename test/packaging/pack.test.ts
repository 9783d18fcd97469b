import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What an application gets: `npm pack` in this repository, the tarball installed into an empty
// folder (from the local npm cache where it can), then `npx clarify-graphql` and an import.
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const MINUTE = 60_000;

let work: string;
let consumer: string;
let tarball: string;
let packedFiles: string[];
let installOutput: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'clarify-graphql-pack-'));
  consumer = join(work, 'app');
  await run(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: root, timeout: 4 * MINUTE });
  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: root,
    timeout: 2 * MINUTE,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info?.filename as string);
  packedFiles = (info?.files ?? []).map((f) => f.path);

  await run('mkdir', ['-p', consumer]);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const installed = await run(
    'npm',
    ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'],
    { cwd: consumer, timeout: 4 * MINUTE, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_engine_strict: 'false' } },
  );
  installOutput = installed.stdout + installed.stderr;
}, 10 * MINUTE);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the build, the command, types, README, the docs pages it links and LICENSE, and nothing of the repository tooling', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/clarify-graphql.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'schema/schema.graphql', 'docs/embedding.md']),
    );
    const foreign = packedFiles.filter((f) => /^(src|test|bench|scripts|examples|\.ci)\//.test(f) || f.endsWith('.map'));
    expect(foreign).toEqual([]);
  });

  it('installs into an empty folder without EBADENGINE warnings from its dependencies', async () => {
    expect(installOutput).not.toMatch(/EBADENGINE/);
    expect(await readdir(join(consumer, 'node_modules', 'clarify-graphql', 'dist'))).toContain('index.d.ts');
  });

  it('imports as clarify-graphql', async () => {
    const script = "import * as lib from 'clarify-graphql'; console.log(typeof lib.createGateway, typeof lib.printWorkspaceSchema, typeof lib.parseConfig);";
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, timeout: MINUTE });
    expect(stdout.trim()).toBe('function function function');
  });

  it('prints the demo schema with npx clarify-graphql print-schema', async () => {
    const { stdout } = await run('npx', ['--no-install', 'clarify-graphql', 'print-schema'], {
      cwd: consumer,
      timeout: 2 * MINUTE,
      maxBuffer: 16 * 1024 * 1024,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    expect(stdout).toMatch(/^type Deal implements Node & Record \{/m);
    expect(stdout).toMatch(/enum DealStage \{[^}]*PROPOSAL/);
  }, 3 * MINUTE);

  it('serves the sandbox with npx clarify-graphql and answers a query', async () => {
    const child = spawn('npx', ['--no-install', 'clarify-graphql'], {
      cwd: consumer,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    // 'close', not 'exit': npx may exit before the gateway it started, which shares its stdout and
    // writes its last line when it has stopped.
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await expect.poll(() => /"endpoint":"(http:\/\/[^"]+)"/.exec(output)?.[1], { timeout: 2 * MINUTE, interval: 100 }).toBeTruthy();
      const endpoint = /"endpoint":"(http:\/\/[^"]+)"/.exec(output)?.[1] as string;
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ deals(first: 2) { nodes { name company { name } } } }' }),
      });
      const body = (await response.json()) as { data?: { deals: { nodes: unknown[] } } };
      expect(body.data?.deals.nodes).toHaveLength(2);
    } finally {
      // SIGTERM to npx alone, as a process manager sends it: npx's shell dies without passing it
      // on, and the gateway stops because its parent went.
      child.kill('SIGTERM');
    }
    const gatewayPid = Number(/"pid":(\d+)[^\n]*"endpoint"/.exec(output)?.[1]);
    const running = () => {
      try {
        process.kill(gatewayPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      await expect.poll(running, { timeout: 15_000, interval: 50 }).toBe(false);
    } finally {
      if (child.pid && running()) process.kill(-child.pid, 'SIGKILL');
    }
    await exited;
    expect(output).toMatch(/"msg":"shutting down: finishing requests in flight"/);
    expect(output).toMatch(/"msg":"stopped"/);
  }, 3 * MINUTE);
});
