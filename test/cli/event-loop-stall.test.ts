import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killStartedMains, startMain } from '../helpers/main-process.js';

// `npm start` as a process whose main thread stops turning its event loop: SIGTERM can no longer
// be handled there, so the watchdog thread must end it.
const stall = fileURLToPath(new URL('../helpers/stall-on-signal.mjs', import.meta.url));

afterAll(killStartedMains);

describe('an event loop that never turns again', () => {
  it('is ended within the stall bound after SIGTERM, with a line on stderr saying why', async () => {
    const run = startMain({ NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '1000' }, { preload: [stall] });
    const { child } = run;
    await expect.poll(run.endpoint, { timeout: 60_000, interval: 100 }).toBeTruthy();
    const endpoint = run.endpoint()!;
    const health = await fetch(new URL('/health', endpoint));
    expect(health.status).toBe(200);

    child.kill('SIGUSR2');
    child.kill('SIGTERM');
    // The SIGTERM handler never runs: the process neither logs that it is shutting down nor exits
    // cleanly; the watchdog kills it once the loop has been still for the bound (5 s at least).
    expect((await run.exit).signal).toBe('SIGKILL');
    expect(run.output()).not.toMatch(/shutting down/);
    const line = JSON.parse(run.output().trim().split('\n').filter((l) => l.includes('has not turned')).at(-1)!) as { msg: string; stalledMs: number };
    expect(line.msg).toMatch(/event loop has not turned/);
    expect(line.stalledMs).toBeGreaterThanOrEqual(5_000);
    await expect(fetch(new URL('/health', endpoint))).rejects.toThrow();
  }, 60_000);
});
