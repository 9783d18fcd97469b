import type { BulkEndpoint, BulkOutcome } from './bulk-metrics.js';
import { codeOf, type AnswerError, type BulkJob } from './operation-answer.js';
import type { PacedCounts } from './paced-run.js';

/** What an export or an import says of itself, beside what every job reports. */
export interface JobReport {
  /** What the job reads or writes, named in its log lines after the request id (`{ object }`, `{ connection }`). */
  subject: Record<string, unknown>;
  /** Fields the 'started' line adds after the subject. */
  started?: Record<string, unknown>;
  /** Its lines by result when it ends (`bulk_lines_total`). */
  lines(): Record<string, number>;
  /** Its own counts in the 'finished' line, after the outcome. */
  summary(): Record<string, unknown>;
}

/** One export or import from its start: what it has spent so far (see runPaced), and how it ends. */
export interface JobRun extends PacedCounts {
  /** Aborted when the job is cancelled: the call in flight ends and no other is made. */
  readonly signal: AbortSignal;
  /** Reports the job's end, once: a later call (a cancel after the last line) changes nothing. */
  finish(outcome: BulkOutcome, errors?: AnswerError[]): void;
  /** The caller went away or stopped reading: the job ends as cancelled. */
  cancel(): void;
}

/**
 * Starts the bookkeeping of an export or import: counts it as in progress and logs its start, and
 * cancels it when the caller's request goes away. Its end is counted by outcome, with its lines
 * and the time it was paced, and logged with its duration.
 */
export function openJob(job: BulkJob, endpoint: BulkEndpoint, report: JobReport): JobRun {
  const abort = new AbortController();
  const started = performance.now();
  let finished = false;
  const cancel = () => {
    abort.abort();
    run.finish('cancelled');
  };
  const run: JobRun = {
    signal: abort.signal,
    calls: 0,
    pacedMs: 0,
    cancel,
    finish(outcome, errors) {
      if (finished) return;
      finished = true;
      job.signal.removeEventListener('abort', cancel);
      for (const [result, count] of Object.entries(report.lines())) job.metrics.lines(endpoint, result, count);
      job.metrics.paced(endpoint, run.pacedMs / 1000);
      job.metrics.finished(endpoint, outcome);
      job.logger.info(
        {
          requestId: job.requestId,
          ...report.subject,
          outcome,
          ...report.summary(),
          pacedMs: Math.round(run.pacedMs),
          durationMs: Math.round(performance.now() - started),
          ...(errors ? { errors: errors.map(codeOf) } : {}),
        },
        `${endpoint} finished`,
      );
    },
  };
  job.signal.addEventListener('abort', cancel, { once: true });
  job.metrics.started(endpoint);
  job.logger.info({ requestId: job.requestId, ...report.subject, ...report.started }, `${endpoint} started`);
  return run;
}
