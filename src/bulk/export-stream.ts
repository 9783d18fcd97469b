import type { UnderlyingSource } from 'node:stream/web';
import { isRecord } from '../client/documents.js';
import { decodePosition, UPSTREAM_PAGE_LIMIT } from '../plan/paging.js';
import { PAGE_CURSOR_VARIABLE, PAGE_INFO_ALIAS, PAGE_SIZE_VARIABLE, type ExportDocument } from './export-document.js';
import { failureErrors, refusalStatus, trailerError, unexpectedError, type AnswerError, type OperationAnswer, type BulkJob } from './operation-answer.js';
import { openJob, type JobRun } from './job-run.js';
import { runPaced, type PacedOutcome } from './paced-run.js';
import { ndjsonLine, ndjsonResponse } from './ndjson.js';

export interface ExportOptions extends BulkJob {
  document: ExportDocument;
  /** Pages between two progress log lines. */
  progressEvery?: number;
}

interface Page {
  items: unknown[];
  hasNextPage: boolean;
  endCursor: string | null;
}

type PageOutcome = PacedOutcome<Page>;

/**
 * Records to ask for after `cursor` so that the gateway reads one upstream page of exactly
 * Clarify's size: after a key cursor it skips the records it has seen at the cursor's value,
 * and reads that many more.
 */
export function pageSizeAfter(cursor: string | undefined): number {
  if (cursor === undefined) return UPSTREAM_PAGE_LIMIT;
  try {
    const { key } = decodePosition(cursor, 'after');
    return UPSTREAM_PAGE_LIMIT - (key && key.value !== null ? (key.ids?.length ?? 0) : 0);
  } catch {
    // The page refuses the cursor with its own error.
    return UPSTREAM_PAGE_LIMIT;
  }
}

/** The connection's items and page info in an answer, or undefined when the answer has none. */
function pageOf(answer: OperationAnswer, document: ExportDocument): Page | undefined {
  if ((answer.body.errors?.length ?? 0) > 0) return undefined;
  const connection = answer.body.data?.[document.rootKey];
  if (!isRecord(connection)) return undefined;
  const items = connection[document.itemsKey];
  const info = connection[PAGE_INFO_ALIAS];
  if (!Array.isArray(items) || !isRecord(info)) return undefined;
  const endCursor = typeof info['endCursor'] === 'string' ? info['endCursor'] : null;
  return { items, hasNextPage: info['hasNextPage'] === true, endCursor };
}

/** Where an export stands: the cursor it reads after, the records it may still write, and what it wrote. */
interface ExportProgress {
  cursor: string | undefined;
  remaining: number;
  count: number;
  pages: number;
}

const encoder = new TextEncoder();

/** Reads the page after the export's cursor: one upstream page of records, or fewer when the cap is nearer. */
function fetchPage(options: ExportOptions, job: JobRun, progress: ExportProgress): Promise<PageOutcome> {
  const { document } = options;
  return runPaced(options, job, job.signal, {
    operation: () => ({
      query: document.query,
      operationName: document.operationName,
      variables: { ...document.variables, [PAGE_SIZE_VARIABLE]: Math.min(pageSizeAfter(progress.cursor), progress.remaining), [PAGE_CURSOR_VARIABLE]: progress.cursor ?? null },
    }),
    read: (answer) => pageOf(answer, document),
    onWait: (waitMs, attempt) => options.logger.info({ requestId: options.requestId, waitMs, attempt }, 'export waits for the rate limit'),
  });
}

/** Takes a page into the export (its records up to the cap, and its end cursor); whether it is the export's last. */
function advance(progress: ExportProgress, page: Page): { items: unknown[]; last: boolean } {
  const items = page.items.length > progress.remaining ? page.items.slice(0, progress.remaining) : page.items;
  progress.pages++;
  progress.remaining -= items.length;
  const last = !page.hasNextPage || progress.remaining <= 0 || items.length === 0;
  if (items.length > 0 && page.endCursor !== null) progress.cursor = page.endCursor;
  return { items, last };
}

/** The last line: the count, the end cursor and the upstream calls made, and the errors that ended the export early. */
function trailer(progress: ExportProgress, calls: number, errors?: AnswerError[]): Uint8Array {
  return encoder.encode(ndjsonLine({ ...(errors ? { errors: errors.map(trailerError) } : {}), extensions: { count: progress.count, endCursor: progress.cursor ?? null, actualCalls: calls } }));
}

/** A first page's refusal, answered as `/graphql` answered it. */
function firstPageRefusal(answer: OperationAnswer): Response {
  return new Response(JSON.stringify(answer.body), {
    status: refusalStatus(answer),
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** The lines of an export whose first page was read: each pull writes one page, and the last adds the trailer. */
function exportSource(options: ExportOptions, job: JobRun, progress: ExportProgress, first: PageOutcome): UnderlyingSource<Uint8Array> {
  const progressEvery = options.progressEvery ?? 20;
  let next: Promise<PageOutcome> | undefined = Promise.resolve(first);
  const end = (controller: ReadableStreamDefaultController<Uint8Array>, outcome: 'ok' | 'failed', errors?: AnswerError[]) => {
    controller.enqueue(trailer(progress, job.calls, errors));
    controller.close();
    job.finish(outcome, errors);
  };
  return {
    async pull(controller) {
      let outcome: PageOutcome;
      try {
        outcome = await (next ?? fetchPage(options, job, progress));
      } catch (error) {
        if (job.signal.aborted) return;
        options.logger.error({ requestId: options.requestId, error: error instanceof Error ? error.message : String(error) }, 'export failed');
        return end(controller, 'failed', [unexpectedError()]);
      }
      next = undefined;
      if (!outcome.ok) return end(controller, 'failed', failureErrors(outcome.answer));
      const { items, last } = advance(progress, outcome.value);
      // The next page is read while this one is written: one page ahead of the caller, never more.
      if (!last) {
        next = fetchPage(options, job, progress);
        next.catch(() => undefined);
      }
      const text = items.map(ndjsonLine).join('');
      progress.count += items.length;
      if (text !== '') controller.enqueue(encoder.encode(text));
      if (progress.pages % progressEvery === 0) {
        options.logger.info({ requestId: options.requestId, connection: options.document.rootKey, lines: progress.count, upstreamCalls: job.calls }, 'export progress');
      }
      if (last) end(controller, 'ok');
    },
    cancel() {
      job.cancel();
    },
  };
}

/**
 * `POST /export` once its document is read: runs the first page, and answers its refusal as
 * `/graphql` would (no line written), or a stream of NDJSON lines, one per record in the
 * connection's order, page after page as the caller reads them, and a last line with the count,
 * the end cursor and the upstream calls made (and `errors` when it ended early).
 */
export async function startExport(options: ExportOptions): Promise<Response> {
  const { document } = options;
  const progress: ExportProgress = { cursor: document.after, remaining: document.cap ?? Number.POSITIVE_INFINITY, count: 0, pages: 0 };
  // When the caller goes away, the page in flight is cancelled and no other is read.
  const job = openJob(options, 'export', {
    subject: { connection: document.rootKey },
    started: { after: document.after !== undefined, cap: document.cap },
    lines: () => ({ exported: progress.count }),
    summary: () => ({ lines: progress.count, pages: progress.pages, upstreamCalls: job.calls }),
  });
  let first: PageOutcome;
  try {
    first = await fetchPage(options, job, progress);
  } catch (error) {
    job.finish(job.signal.aborted ? 'cancelled' : 'failed');
    throw error;
  }
  if (!first.ok) {
    job.finish('refused', first.answer.body.errors);
    return firstPageRefusal(first.answer);
  }
  // Pages are asked for as the caller's socket takes them (with the one read ahead in exportSource).
  return ndjsonResponse(exportSource(options, job, progress, first));
}
