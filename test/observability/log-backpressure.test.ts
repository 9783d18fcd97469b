import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

/**
 * `npm start` with a stdout nobody reads: logging must cost lines (counted in /metrics), never a
 * request or the exit after SIGTERM.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const SHUTDOWN_TIMEOUT_MS = 2_000;
const REQUESTS = 300;

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

describe('a gateway whose stdout is never read', () => {
  it('answers every request, counts the dropped log lines, and exits after SIGTERM within the bound', async () => {
    // A real pipe (64 KiB), not the socket pair `stdio: 'pipe'` makes, whose buffers are larger.
    const folder = mkdtempSync(join(tmpdir(), 'clarify-graphql-stdout-'));
    const fifo = join(folder, 'stdout');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    cleanups.push(() => {
      closeSync(reader);
      rmSync(folder, { recursive: true, force: true });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        PORT: '0',
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json',
        LOG_BUFFER_BYTES: '16384',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      },
      stdio: ['ignore', writer, 'pipe'],
    });
    closeSync(writer);
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );

    // Read stdout only until the gateway says where it listens, then never again.
    const endpoint = await readUntilEndpoint(reader, () => stderr);

    let answered = 0;
    const query = JSON.stringify({ query: '{ deals(first: 3) { nodes { id name company { name } } } }' });
    for (let sent = 0; sent < REQUESTS; sent += 20) {
      const batch = Array.from({ length: 20 }, async () => {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: query,
          signal: AbortSignal.timeout(15_000),
        });
        const body = (await response.json()) as { data?: { deals?: { nodes: unknown[] } } };
        if (response.status === 200 && body.data?.deals?.nodes.length === 3) answered += 1;
      });
      await Promise.allSettled(batch);
    }

    const metrics = await (await fetch(new URL('/metrics', endpoint), { signal: AbortSignal.timeout(15_000) })).text();
    const dropped = Number(/^clarify_graphql_log_lines_dropped_total (\d+)$/m.exec(metrics)?.[1] ?? 'NaN');

    child.kill('SIGTERM');
    // Exit code 0 is the shutdown's own exit: the watchdog that bounds it (SHUTDOWN_TIMEOUT_MS + 6 s)
    // ends a process that is stuck with SIGKILL instead.
    const outcome = await exited;
    // One assertion, so a failure shows every part of the outcome.
    expect({ answered, droppedCounted: dropped > 0, outcome }).toEqual({
      answered: REQUESTS,
      droppedCounted: true,
      outcome: { code: 0, signal: null },
    });
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

/** Reads the non-blocking FIFO until the gateway prints its endpoint (and never after). */
async function readUntilEndpoint(fd: number, stderr: () => string): Promise<string> {
  const buffer = Buffer.alloc(64 * 1024);
  let seen = '';
  return vi.waitFor(
    () => {
      try {
        const read = readSync(fd, buffer, 0, buffer.length, null);
        seen += buffer.subarray(0, read).toString();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
      const found = /"endpoint":"(http:\/\/[^"]+)"/.exec(seen)?.[1];
      if (!found) throw new Error(`no endpoint yet; stderr: ${stderr()}`);
      return found;
    },
    { timeout: 60_000, interval: 50 },
  );
}
