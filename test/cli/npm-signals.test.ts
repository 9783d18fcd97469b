import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killStartedMains, startMain } from '../helpers/main-process.js';

// `npm start` under a process manager: the signal goes to npm, not to the gateway.
const root = fileURLToPath(new URL('../..', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 2_000;
/** The bound main.ts holds a shutdown to: the drain, then its own last-resort exit 5 s later. */
const SHUTDOWN_BOUND_MS = SHUTDOWN_TIMEOUT_MS + 5_000;

const gatewayPids: number[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  // A failed test must not leave a server behind.
  killStartedMains();
  for (const pid of gatewayPids) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portAnswers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
    return true;
  } catch {
    return false;
  }
}

async function npmStart(): Promise<{ npm: ChildProcess; output: () => string; endpoint: string; gatewayPid: number }> {
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      LOG_FORMAT: 'json',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(npm);
  let output = '';
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = () => /\{[^\n]*"pid":(\d+)[^\n]*"endpoint":"(http:\/\/[^"]+)"/.exec(output);
  // The first run may compile src/ to dist/ (prestart).
  await expect.poll(ready, { timeout: 150_000, interval: 100 }).toBeTruthy();
  const [, pid, endpoint] = ready() as RegExpExecArray;
  gatewayPids.push(Number(pid));
  expect(await portAnswers(endpoint as string)).toBe(true);
  return { npm, output: () => output, endpoint: endpoint as string, gatewayPid: Number(pid) };
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops the gateway when npm gets %s: the port closes and no gateway process is left', async (signal) => {
    const { npm, output, endpoint, gatewayPid } = await npmStart();
    const npmExit = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    expect(npm.pid).not.toBe(gatewayPid);
    npm.kill(signal);
    await expect.poll(() => isRunning(gatewayPid), { timeout: SHUTDOWN_BOUND_MS, interval: 50 }).toBe(false);
    expect(await portAnswers(endpoint)).toBe(false);
    // npm waits for the gateway it started, so a supervisor watching npm sees the real end.
    expect(await npmExit).toBe(0);
    expect(output()).toMatch(new RegExp(`"signal":"${signal}"[^\\n]*"msg":"shutting down: finishing requests in flight"`));
    expect(output()).toMatch(/"msg":"stopped"/);
  }, 180_000);

  it('stops the gateway when npm dies without passing a signal on (SIGKILL)', async () => {
    const { npm, output, endpoint, gatewayPid } = await npmStart();
    npm.kill('SIGKILL');
    await expect.poll(() => isRunning(gatewayPid), { timeout: SHUTDOWN_BOUND_MS, interval: 50 }).toBe(false);
    expect(await portAnswers(endpoint)).toBe(false);
    expect(output()).toMatch(/"signal":"parent exited"[^\n]*"msg":"shutting down/);
  }, 180_000);
});

describe('.env and unknown variables', () => {
  it('reads .env when npm started the gateway, says so at start, lets the environment win, and warns about a misspelt variable', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'clarify-graphql-dotenv-'));
    try {
      await writeFile(join(folder, '.env'), 'PORT=0\nLOG_FORMAT=json\nLOG_LEVEL=warn\n');
      // The folder npm runs the gateway in; npm_lifecycle_event is what npm sets for it.
      const run = startMain({ npm_lifecycle_event: 'start', LOG_LEVEL: 'info', CACHE_TTL: '60' }, { cwd: folder });
      await expect.poll(run.endpoint, { timeout: 60_000, interval: 100 }).toBeTruthy();
      run.child.kill('SIGTERM');
      expect((await run.exit).code).toBe(0);
      // PORT=0 came from .env (not 4000); LOG_LEVEL=info from the environment won over .env's warn.
      expect(/"endpoint":"http:\/\/[^"]+:(\d+)\/graphql"/.exec(run.output())?.[1]).not.toBe('4000');
      expect(run.output()).toContain(`"msg":"read variables from ${join(folder, '.env')} (the environment takes precedence)"`);
      // A misspelt variable is named at start, with what it was probably meant to be.
      expect(run.output()).toMatch(/"level":40[^\n]*"msg":"CACHE_TTL is not a clarify-graphql variable and is ignored; did you mean CACHE_TTL_SECONDS\?"/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }, 90_000);
});
