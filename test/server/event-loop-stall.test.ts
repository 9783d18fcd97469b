import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` as a process whose main thread stops turning its event loop: SIGTERM can no longer
// be handled there, so the watchdog thread must end it.
const root = fileURLToPath(new URL('../..', import.meta.url));
const stall = fileURLToPath(new URL('../helpers/stall-on-signal.mjs', import.meta.url));

const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('an event loop that never turns again', () => {
  it('is ended within the stall bound after SIGTERM, with a line on stderr saying why', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', stall, 'src/server/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '1000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));

    await expect.poll(() => /"endpoint":"(http:\/\/[^"]+)"/.exec(stdout)?.[1], { timeout: 60_000, interval: 100 }).toBeTruthy();
    const endpoint = /"endpoint":"(http:\/\/[^"]+)"/.exec(stdout)![1]!;
    const health = await fetch(new URL('/health', endpoint));
    expect(health.status).toBe(200);

    child.kill('SIGUSR2');
    child.kill('SIGTERM');
    // The SIGTERM handler never runs: the process neither logs that it is shutting down nor exits
    // cleanly; the watchdog kills it once the loop has been still for the bound (5 s at least).
    expect(await exited).toBe('SIGKILL');
    expect(stdout).not.toMatch(/shutting down/);
    const line = JSON.parse(stderr.trim().split('\n').at(-1)!) as { msg: string; stalledMs: number };
    expect(line.msg).toMatch(/event loop has not turned/);
    expect(line.stalledMs).toBeGreaterThanOrEqual(5_000);
    await expect(fetch(new URL('/health', endpoint))).rejects.toThrow();
  }, 60_000);
});
