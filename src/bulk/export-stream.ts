import { isRecord } from '../client/documents.js';
import { decodePosition, UPSTREAM_PAGE_LIMIT } from '../plan/paging.js';
import { PAGE_CURSOR_VARIABLE, PAGE_INFO_ALIAS, PAGE_SIZE_VARIABLE, type ExportDocument } from './export-document.js';
import { refusalStatus, trailerError, unexpectedError, type AnswerError, type OperationAnswer, type BulkJob } from './operation-answer.js';
import { openJob } from './job-run.js';
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

/**
 * `POST /export` once its document is read: runs the first page, and answers its refusal as
 * `/graphql` would (no line written), or a stream of NDJSON lines, one per record in the
 * connection's order, page after page as the caller reads them, and a last line with the count,
 * the end cursor and the upstream calls made (and `errors` when it ended early).
 */
export async function startExport(options: ExportOptions): Promise<Response> {
  const { document, logger } = options;
  const progressEvery = options.progressEvery ?? 20;
  let cursor = document.after;
  let remaining = document.cap ?? Number.POSITIVE_INFINITY;
  let count = 0;
  let pages = 0;
  // When the caller goes away, the page in flight is cancelled and no other is read.
  const job = openJob(options, 'export', {
    subject: { connection: document.rootKey },
    started: { after: cursor !== undefined, cap: document.cap },
    lines: () => ({ exported: count }),
    summary: () => ({ lines: count, pages, upstreamCalls: job.calls }),
  });

  const fetchPage = (): Promise<PageOutcome> =>
    runPaced(options, job, job.signal, {
      operation: () => ({
        query: document.query,
        operationName: document.operationName,
        variables: { ...document.variables, [PAGE_SIZE_VARIABLE]: Math.min(pageSizeAfter(cursor), remaining), [PAGE_CURSOR_VARIABLE]: cursor ?? null },
      }),
      read: (answer) => pageOf(answer, document),
      onWait: (waitMs, attempt) => logger.info({ requestId: options.requestId, waitMs, attempt }, 'export waits for the rate limit'),
    });

  let first: PageOutcome;
  try {
    first = await fetchPage();
  } catch (error) {
    job.finish(job.signal.aborted ? 'cancelled' : 'failed');
    throw error;
  }
  if (!first.ok) {
    job.finish('refused', first.answer.body.errors);
    return new Response(JSON.stringify(first.answer.body), {
      status: refusalStatus(first.answer),
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  let next: Promise<PageOutcome> | undefined = Promise.resolve(first);
  const encoder = new TextEncoder();
  const trailer = (errors?: AnswerError[]) =>
    encoder.encode(ndjsonLine({ ...(errors ? { errors: errors.map(trailerError) } : {}), extensions: { count, endCursor: cursor ?? null, actualCalls: job.calls } }));

  // Pages are asked for as the caller's socket takes them (with the one read ahead below).
  return ndjsonResponse({
    async pull(controller) {
      let outcome: PageOutcome;
      try {
        outcome = await (next ?? fetchPage());
      } catch (error) {
        if (job.signal.aborted) return;
        const message = unexpectedError();
        logger.error({ requestId: options.requestId, error: error instanceof Error ? error.message : String(error) }, 'export failed');
        controller.enqueue(trailer([message]));
        controller.close();
        job.finish('failed', [message]);
        return;
      }
      next = undefined;
      if (!outcome.ok) {
        const errors = outcome.answer.body.errors ?? [];
        controller.enqueue(trailer(errors));
        controller.close();
        job.finish('failed', errors);
        return;
      }
      const page = outcome.value;
      const items = page.items.length > remaining ? page.items.slice(0, remaining) : page.items;
      pages++;
      remaining -= items.length;
      const last = !page.hasNextPage || remaining <= 0 || items.length === 0;
      if (items.length > 0 && page.endCursor !== null) cursor = page.endCursor;
      // The next page is read while this one is written: one page ahead of the caller, never more.
      if (!last) {
        next = fetchPage();
        next.catch(() => undefined);
      }
      let text = '';
      for (const item of items) text += ndjsonLine(item);
      count += items.length;
      if (text !== '') controller.enqueue(encoder.encode(text));
      if (pages % progressEvery === 0) {
        logger.info({ requestId: options.requestId, connection: document.rootKey, lines: count, upstreamCalls: job.calls }, 'export progress');
      }
      if (last) {
        controller.enqueue(trailer());
        controller.close();
        job.finish('ok');
      }
    },
    cancel() {
      job.cancel();
    },
  });
}
