import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { LogDestination } from '../../src/observability/log-destination.js';
import { createLogger, droppedLogLines } from '../../src/observability/logger.js';

/** A reader that accepts bytes into its queue but never finishes a write (a pipe nobody reads). */
function stalledTarget(): Writable & { received: string[] } {
  const received: string[] = [];
  const target = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, _callback) {
      received.push(chunk.toString());
    },
  });
  return Object.assign(target, { received });
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LogDestination', () => {
  it('batches lines into one write per turn of the event loop', async () => {
    const written: string[] = [];
    const target = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString());
        callback();
      },
    });
    const destination = new LogDestination({ target });
    for (let i = 0; i < 100; i++) destination.write(`line ${i}\n`);
    expect(written).toEqual([]);
    await tick();
    expect(written).toHaveLength(1);
    expect(written[0]?.split('\n')).toHaveLength(101);
    expect(destination.dropped).toBe(0);
  });

  it('drops and counts lines past the buffer bound while the reader is stalled, and never grows past it', async () => {
    const target = stalledTarget();
    const destination = new LogDestination({ target, maxBufferedBytes: 10_000 });
    const line = `${'x'.repeat(99)}\n`;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) destination.write(line);
      await tick();
    }
    expect(target.writableLength).toBeLessThanOrEqual(10_000);
    expect(destination.dropped).toBe(5000 - 100);
  });

  it('gives up a final flush to a stalled reader after the bound', async () => {
    const target = stalledTarget();
    const destination = new LogDestination({ target });
    destination.write('last line\n');
    vi.useFakeTimers();
    try {
      let result: boolean | undefined;
      const drained = destination.drained(100).then((value) => (result = value));
      await vi.advanceTimersByTimeAsync(99);
      expect(result).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(await drained).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves a final flush once a reader takes the lines', async () => {
    const destination = new LogDestination({
      target: new Writable({ write: (_chunk, _encoding, callback) => setTimeout(callback, 10) }),
    });
    destination.write('last line\n');
    expect(await destination.drained(5_000)).toBe(true);
  });

  it('counts lines as dropped once the target failed (a closed pipe), without throwing', async () => {
    const target = new Writable({ write: (_chunk, _encoding, callback) => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    const destination = new LogDestination({ target });
    destination.write('one\n');
    await tick();
    await tick();
    destination.write('two\n');
    expect(destination.dropped).toBe(1);
    expect(await destination.drained(100)).toBe(false);
  });

  it('has no flushSync, so pino’s fatal cannot wait on a reader', () => {
    expect('flushSync' in new LogDestination({ target: stalledTarget() })).toBe(false);
  });

  it('is what droppedLogLines reads through a pino logger and its children', async () => {
    const target = stalledTarget();
    const logger = createLogger('info', new LogDestination({ target, maxBufferedBytes: 4096 }));
    const child = logger.child({ component: 'test' });
    for (let i = 0; i < 200; i++) child.info({ i }, 'a line of some length to fill the buffer');
    await tick();
    expect(droppedLogLines(logger)).toBeGreaterThan(0);
    expect(droppedLogLines(child)).toBe(droppedLogLines(logger));
  });
});
