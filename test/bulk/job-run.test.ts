import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BudgetShare } from '../../src/bulk/budget-share.js';
import type { BulkMetrics } from '../../src/bulk/bulk-metrics.js';
import { openJob, type JobReport } from '../../src/bulk/job-run.js';
import type { BulkJob } from '../../src/bulk/operation-answer.js';

/** A job for `caller`, whose metrics calls and log lines are kept in order. */
function recordedJob(caller: AbortSignal) {
  const metrics: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      const { time: _time, pid: _pid, hostname: _hostname, level: _level, durationMs: _durationMs, ...line } = JSON.parse(String(chunk)) as Record<string, unknown>;
      logs.push(line);
      done();
    },
  });
  const recorder: BulkMetrics = {
    started: (endpoint) => metrics.push(`started ${endpoint}`),
    finished: (endpoint, outcome) => metrics.push(`finished ${endpoint} ${outcome}`),
    lines: (endpoint, result, count) => metrics.push(`lines ${endpoint} ${result} ${count}`),
    paced: (endpoint, seconds) => metrics.push(`paced ${endpoint} ${seconds}`),
  };
  const job: BulkJob = {
    run: async () => ({ status: 200, body: { data: null } }),
    share: new BudgetShare(60, 100),
    credential: 'api-key k',
    logger: pino({ level: 'info' }, destination),
    metrics: recorder,
    requestId: 'r1',
    rateLimitedRetries: 0,
    signal: caller,
  };
  return { job, metrics, logs };
}

const report: JobReport = {
  subject: { object: 'company' },
  started: { first: true },
  lines: () => ({ created: 2, failed: 1 }),
  summary: () => ({ count: 3 }),
};

describe('openJob', () => {
  it('counts the job in progress and logs its start, then its end once, with its lines, pacing, outcome and error codes', async () => {
    const { job, metrics, logs } = recordedJob(new AbortController().signal);
    const run = openJob(job, 'import', report);
    run.pacedMs = 1500;
    run.finish('failed', [{ message: 'Too many.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }]);
    run.finish('ok');
    run.cancel();
    await expect.poll(() => logs.length).toBe(2);
    expect(metrics).toEqual(['started import', 'lines import created 2', 'lines import failed 1', 'paced import 1.5', 'finished import failed']);
    expect(logs).toEqual([
      { requestId: 'r1', object: 'company', first: true, msg: 'import started' },
      { requestId: 'r1', object: 'company', outcome: 'failed', count: 3, pacedMs: 1500, errors: ['PAYLOAD_TOO_LARGE'], msg: 'import finished' },
    ]);
  });

  it("is cancelled when the caller's request goes away, and no longer listens once finished", () => {
    const caller = new AbortController();
    const { job, metrics } = recordedJob(caller.signal);
    const run = openJob(job, 'export', report);
    caller.abort();
    expect(run.signal.aborted).toBe(true);
    expect(metrics.at(-1)).toBe('finished export cancelled');

    const later = new AbortController();
    const finished = openJob(recordedJob(later.signal).job, 'export', report);
    finished.finish('ok');
    later.abort();
    expect(finished.signal.aborted).toBe(false);
  });
});
