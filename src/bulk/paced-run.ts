import { sleep } from '../client/semaphore.js';
import { actualCallsOf, rateLimitWaitMs, type BulkJob, type Operation, type OperationAnswer } from './operation-answer.js';

/** What a paced run reads of its job: how to run an operation, the share it draws on, and how often to ask again. */
export type PacedJob = Pick<BulkJob, 'run' | 'share' | 'credential' | 'rateLimitedRetries'>;

/** What a job has spent so far, which each paced run adds to (a run that throws has added what it spent). */
export interface PacedCounts {
  /** Upstream calls its operations made (`extensions.cost.actualCalls`). */
  calls: number;
  /** Time it waited for its share of the budget and for the rate limit, in ms. */
  pacedMs: number;
}

export interface PacedRequest<T> {
  /** The operation to run, built once its call is taken, so each attempt reads the job as it is then. */
  operation(): Operation;
  /** What the caller takes from an answer; undefined when the answer is a refusal. */
  read(answer: OperationAnswer): T | undefined;
  /** Told of each wait for the rate limit before it starts, with the attempt it follows (from 1). */
  onWait?(waitMs: number, attempt: number): void;
}

/** What the caller took from the answer, or the refusal it ended with. */
export type PacedOutcome<T> = { ok: true; value: T } | { ok: false; answer: OperationAnswer };

/**
 * Runs one operation of a page or batch within the bulk share of the rate budget: one call is
 * taken before it runs, and the calls it made beyond that one are taken after it, so they are paid
 * before the job's next operation. An answer refused with `RATE_LIMITED` is asked again after the
 * wait it names, up to `rateLimitedRetries` times; any other refusal, or one once `signal` is
 * aborted, ends the run at once.
 */
export async function runPaced<T>(job: PacedJob, counts: PacedCounts, signal: AbortSignal, request: PacedRequest<T>): Promise<PacedOutcome<T>> {
  for (let attempt = 0; ; attempt++) {
    counts.pacedMs += await job.share.take(job.credential, 1, signal);
    const answer = await job.run(request.operation(), signal);
    const made = actualCallsOf(answer.body);
    counts.calls += made;
    if (made > 1) counts.pacedMs += await job.share.take(job.credential, made - 1, signal);
    const value = request.read(answer);
    if (value !== undefined) return { ok: true, value };
    const wait = rateLimitWaitMs(answer.body);
    if (wait === undefined || attempt >= job.rateLimitedRetries || signal.aborted) return { ok: false, answer };
    request.onWait?.(wait, attempt + 1);
    counts.pacedMs += wait;
    // Cut short when the job is cancelled: the loop then ends on the aborted signal.
    await sleep(wait, signal).catch(() => undefined);
  }
}
