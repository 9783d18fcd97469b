import { describe, expect, it, vi } from 'vitest';
import { BudgetShare } from '../../src/bulk/budget-share.js';
import type { Operation, OperationAnswer } from '../../src/bulk/operation-answer.js';
import { runPaced, type PacedCounts, type PacedJob } from '../../src/bulk/paced-run.js';

const OPERATION: Operation = { query: '{ deals(first: 1) { nodes { id } } }', variables: {}, operationName: undefined };

/** An answer with data that made `calls` upstream calls. */
const answered = (calls: number): OperationAnswer => ({ status: 200, body: { data: { deals: { nodes: [] } }, extensions: { cost: { actualCalls: calls } } } });

/** An answer refused with one error of `code` (a `RATE_LIMITED` one asks for a wait of `retryAfter` seconds), after one upstream call. */
const refused = (code: string, retryAfter = 0.001): OperationAnswer => ({
  status: 200,
  body: { data: null, errors: [{ message: 'Refused.', extensions: { code, retryAfter } }], extensions: { cost: { actualCalls: 1 } } },
});

/** A job whose operations answer `answers` in turn (the last one again once they run out), with its share's takes counted. */
function jobAnswering(answers: OperationAnswer[], rateLimitedRetries = 2) {
  const share = new BudgetShare(6_000, 100);
  const take = vi.spyOn(share, 'take').mockResolvedValue(0);
  const run = vi.fn(async (_operation: Operation, _signal: AbortSignal) => (answers.length > 1 ? answers.shift() : answers[0]) ?? answered(1));
  const job: PacedJob = { run, share, credential: 'api-key k', rateLimitedRetries };
  return { job, take, run };
}

/** Takes an answer's data; a refusal has none. */
const request = (onWait?: (waitMs: number, attempt: number) => void) => ({
  operation: () => OPERATION,
  read: (answer: OperationAnswer) => answer.body.data ?? undefined,
  ...(onWait ? { onWait } : {}),
});

describe('runPaced', () => {
  it('takes one call before the operation and the calls it made beyond that one after it, and counts both', async () => {
    const { job, take } = jobAnswering([answered(3)]);
    take.mockResolvedValue(7);
    const counts: PacedCounts = { calls: 0, pacedMs: 0 };
    const signal = new AbortController().signal;
    expect(await runPaced(job, counts, signal, request())).toEqual({ ok: true, value: { deals: { nodes: [] } } });
    expect(take.mock.calls).toEqual([
      ['api-key k', 1, signal],
      ['api-key k', 2, signal],
    ]);
    expect(counts).toEqual({ calls: 3, pacedMs: 14 });
  });

  it('owes nothing after an operation that made one call or none', async () => {
    for (const calls of [1, 0]) {
      const { job, take } = jobAnswering([answered(calls)]);
      const counts: PacedCounts = { calls: 0, pacedMs: 0 };
      await runPaced(job, counts, new AbortController().signal, request());
      expect(take).toHaveBeenCalledTimes(1);
      expect(counts.calls).toBe(calls);
    }
  });

  it('asks a RATE_LIMITED refusal again after its wait, rateLimitedRetries times, then ends with the refusal', async () => {
    const { job, run } = jobAnswering([refused('RATE_LIMITED')], 2);
    const counts: PacedCounts = { calls: 0, pacedMs: 0 };
    const waits: [number, number][] = [];
    const outcome = await runPaced(job, counts, new AbortController().signal, request((waitMs, attempt) => waits.push([waitMs, attempt])));
    expect(outcome).toEqual({ ok: false, answer: refused('RATE_LIMITED') });
    expect(run).toHaveBeenCalledTimes(3);
    expect(waits).toEqual([
      [1, 1],
      [1, 2],
    ]);
    // The refused attempts' calls count, and so do the waits.
    expect(counts).toEqual({ calls: 3, pacedMs: 2 });
  });

  it('waits the time the rate limit names before asking again', async () => {
    vi.useFakeTimers();
    try {
      const { job, run } = jobAnswering([refused('RATE_LIMITED', 2), answered(1)], 1);
      const outcome = runPaced(job, { calls: 0, pacedMs: 0 }, new AbortController().signal, request());
      await vi.advanceTimersByTimeAsync(1_999);
      expect(run).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(await outcome).toEqual({ ok: true, value: { deals: { nodes: [] } } });
      expect(run).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers with the value of an attempt after a rate-limited one', async () => {
    const { job, run } = jobAnswering([refused('RATE_LIMITED'), answered(1)], 2);
    const counts: PacedCounts = { calls: 0, pacedMs: 0 };
    expect(await runPaced(job, counts, new AbortController().signal, request())).toEqual({ ok: true, value: { deals: { nodes: [] } } });
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('does not ask again after any other refusal, nor after a rate limit once the signal is aborted', async () => {
    const other = jobAnswering([refused('UPSTREAM_UNAVAILABLE')], 2);
    expect(await runPaced(other.job, { calls: 0, pacedMs: 0 }, new AbortController().signal, request())).toEqual({ ok: false, answer: refused('UPSTREAM_UNAVAILABLE') });
    expect(other.run).toHaveBeenCalledTimes(1);

    const aborted = new AbortController();
    aborted.abort();
    const limited = jobAnswering([refused('RATE_LIMITED')], 2);
    expect(await runPaced(limited.job, { calls: 0, pacedMs: 0 }, aborted.signal, request())).toEqual({ ok: false, answer: refused('RATE_LIMITED') });
    expect(limited.run).toHaveBeenCalledTimes(1);
  });

  it('builds the operation anew for each attempt, after its call is taken', async () => {
    const { job, take, run } = jobAnswering([refused('RATE_LIMITED'), answered(1)], 1);
    const order: string[] = [];
    take.mockImplementation(async () => {
      order.push('take');
      return 0;
    });
    let attempt = 0;
    await runPaced(job, { calls: 0, pacedMs: 0 }, new AbortController().signal, {
      operation: () => {
        order.push('build');
        return { ...OPERATION, variables: { attempt: ++attempt } };
      },
      read: (answer) => answer.body.data ?? undefined,
    });
    expect(order).toEqual(['take', 'build', 'take', 'build']);
    expect(run.mock.calls.map(([operation]) => operation.variables)).toEqual([{ attempt: 1 }, { attempt: 2 }]);
  });
});
