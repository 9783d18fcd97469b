import { isRecord } from '../client/documents.js';
import { coerceInputValue, type GraphQLError } from 'graphql';
import { errorCodeInfo } from '../errors/codes.js';
import { BULK_CREATE_LIMIT } from '../schema/records/record-writes.js';
import type { ImportTarget } from './import-target.js';
import { ndjsonLine, ndjsonResponse, readLines } from './ndjson.js';
import { codeOf, trailerError, unexpectedError, type AnswerError, type OperationAnswer, type BulkJob } from './operation-answer.js';
import { openJob } from './job-run.js';
import { runPaced } from './paced-run.js';

/** Inputs per mutation: one upstream bulk create (Clarify's cap, as the mutation batches). */
const IMPORT_BATCH_SIZE = BULK_CREATE_LIMIT;
/** Room left in a batch's request body for the document and the JSON around the inputs. */
const BATCH_OVERHEAD_BYTES = 2048;

export interface ImportOptions extends BulkJob {
  target: ImportTarget;
  body: ReadableStream<Uint8Array>;
  /** Longest input line in bytes (its line end not counted). */
  maxLineBytes: number;
  /** Most lines one request may send (blank ones included). */
  maxLines: number;
  /** Largest request body of one batch (`MAX_BODY_BYTES`, which every batch passes through). */
  batchBytes: number;
}

/** A user error as an import line reports it: `field` is the path inside the line's input. */
interface LineError {
  field: string[] | null;
  message: string;
  code: string;
}

/** One output line for one input line. */
type LineResult =
  | { line: number; id: string; matched: boolean | null }
  | { line: number; userErrors: LineError[]; mayHaveBeenWritten?: true };

interface Pending {
  line: number;
  input?: Record<string, unknown>;
  result?: LineResult;
}

interface Tally {
  count: number;
  created: number;
  matched: number;
  failed: number;
  matchUnknown: number;
  mayHaveBeenWritten: number;
}


const lineError = (message: string, code: string, field: string[] | null = null): LineError => ({ field, message, code });

/** Checks one line's text against the input type; the input, or the line's errors. */
function readInput(text: string, target: ImportTarget): { input: Record<string, unknown> } | { errors: LineError[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { errors: [lineError(`The line is not JSON: ${error instanceof Error ? error.message : String(error)}`, 'BAD_USER_INPUT')] };
  }
  if (!isRecord(value)) return { errors: [lineError(`Each line is one JSON object, a ${target.inputType.toString().replace(/!$/, '')}.`, 'BAD_USER_INPUT')] };
  const errors: LineError[] = [];
  coerceInputValue(value, target.inputType, (path: readonly (string | number)[], _invalid: unknown, error: GraphQLError) => {
    errors.push(lineError(error.message, 'BAD_USER_INPUT', path.length > 0 ? path.map(String) : null));
  });
  return errors.length > 0 ? { errors } : { input: value };
}

/** A mutation's user error, with its path made relative to the line (`["inputs", "3", "name"]` → `["name"]`). */
function relative(error: { field?: unknown; message?: unknown; code?: unknown }): LineError {
  const field = Array.isArray(error.field) ? error.field.map(String) : null;
  const inLine = field && field[0] === 'inputs' && field.length >= 2 ? field.slice(2) : field;
  return {
    // The whole line (`["inputs", "3"]`) is no field of it.
    field: inLine && inLine.length > 0 ? inLine : null,
    message: typeof error.message === 'string' ? error.message : 'Invalid input.',
    code: typeof error.code === 'string' ? error.code : 'INVALID',
  };
}

/** Whether a batch's top-level errors say some of its writes may have landed. */
const outcomeUnknown = (errors: unknown): boolean => Array.isArray(errors) && errors.some((error) => isRecord(error) && error['code'] === 'OUTCOME_UNKNOWN');

/** Results of a batch's answer for its items, in order; undefined when the mutation failed as a whole. */
function batchResults(answer: OperationAnswer, target: ImportTarget, batch: Pending[]): LineResult[] | undefined {
  const payload = answer.body.data?.[target.field];
  if (!isRecord(payload) || !Array.isArray(payload['results']) || payload['results'].length !== batch.length) return undefined;
  const unknown = outcomeUnknown(payload['userErrors']);
  return batch.map((item, index) => {
    const result: unknown = (payload['results'] as unknown[])[index];
    const record = isRecord(result) && isRecord(result['record']) ? result['record'] : undefined;
    const errors = isRecord(result) && Array.isArray(result['userErrors']) ? (result['userErrors'] as Record<string, unknown>[]).map(relative) : [];
    if (record && typeof record['id'] === 'string' && errors.length === 0) {
      const matched = isRecord(result) && typeof result['matched'] === 'boolean' ? result['matched'] : null;
      return { line: item.line, id: record['id'], matched };
    }
    // An item that failed for a reason other than its input, in a batch Clarify may have applied.
    const landed = unknown && errors.some((error) => !errorCodeInfo(error.code)?.userError || error.code === 'OUTCOME_UNKNOWN');
    return { line: item.line, userErrors: errors.length > 0 ? errors : [lineError('Not written.', 'NOT_WRITTEN')], ...(landed ? { mayHaveBeenWritten: true as const } : {}) };
  });
}

/**
 * `POST /import/{object}`: reads the NDJSON body line by line as it arrives, checks each line
 * against the create input type, sends the valid ones in batches of 25 through the object's bulk
 * create mutation (an upsert on its unique field), and writes one result line per input line in
 * input order, then a last line of totals. A failure of Clarify that ends a batch as a whole
 * (past the client's retries) ends the answer with `errors` in the last line: lines after the
 * last result line were not written.
 */
export function startImport(options: ImportOptions): Response {
  const { target, logger } = options;
  const tally: Tally = { count: 0, created: 0, matched: 0, failed: 0, matchUnknown: 0, mayHaveBeenWritten: 0 };
  const maxLineBytes = Math.min(options.maxLineBytes, Math.max(1, options.batchBytes - BATCH_OVERHEAD_BYTES));
  // When the caller goes away, the batch in flight is cancelled and nothing more is read.
  const job = openJob(options, 'import', {
    subject: { object: target.object },
    lines: () => ({ created: tally.created, matched: tally.matched, failed: tally.failed }),
    summary: () => ({ ...tally, calls: job.calls }),
  });

  /** Sends one batch; its items' results, or the errors that ended the import. */
  const send = async (batch: Pending[]): Promise<LineResult[] | AnswerError[]> => {
    // A batch refused as a whole wrote nothing (see createRecords), so a rate-limited one is sent again.
    const outcome = await runPaced(options, job, job.signal, {
      operation: () => ({ query: target.query, operationName: 'BulkImport', variables: { inputs: batch.map((item) => item.input) } }),
      read: (answer) => batchResults(answer, target, batch),
    });
    if (outcome.ok) return outcome.value;
    return outcome.answer.body.errors?.length ? outcome.answer.body.errors : [unexpectedError()];
  };

  const count = (result: LineResult) => {
    tally.count++;
    if ('userErrors' in result) {
      tally.failed++;
      if (result.mayHaveBeenWritten) tally.mayHaveBeenWritten++;
    } else if (result.matched === true) tally.matched++;
    else if (result.matched === false) tally.created++;
    else tally.matchUnknown++;
  };

  const trailer = (errors?: AnswerError[]) => {
    const { matchUnknown, mayHaveBeenWritten, ...counts } = tally;
    return ndjsonLine({
      ...(errors ? { errors: errors.map(trailerError) } : {}),
      extensions: {
        ...counts,
        ...(matchUnknown > 0 ? { matchUnknown } : {}),
        ...(mayHaveBeenWritten > 0 ? { mayHaveBeenWritten } : {}),
        actualCalls: job.calls,
      },
    });
  };

  async function* output(): AsyncGenerator<string> {
    let pending: Pending[] = [];
    let batch: Pending[] = [];
    let batchBytes = 0;
    /** Writes the results at the front of `pending` that are settled. */
    const flush = function* () {
      let settled = 0;
      let text = '';
      for (const item of pending) {
        if (!item.result) break;
        count(item.result);
        text += ndjsonLine(item.result);
        settled++;
      }
      pending = pending.slice(settled);
      if (text !== '') yield text;
    };
    const sendBatch = async (): Promise<AnswerError[] | undefined> => {
      const sent = batch;
      batch = [];
      batchBytes = 0;
      const results = await send(sent);
      if (results.length > 0 && 'message' in results[0]!) {
        // The mutation failed as a whole: its items were not written (or, for an unknown outcome, may have been).
        const errors = results as AnswerError[];
        const unknown = errors.some((error) => codeOf(error) === 'OUTCOME_UNKNOWN');
        const reasons = errors.map((error) => lineError(`Not written: ${error.message}`, codeOf(error) ?? 'INTERNAL_SERVER_ERROR'));
        for (const item of sent) item.result = { line: item.line, userErrors: reasons, ...(unknown ? { mayHaveBeenWritten: true as const } : {}) };
        return errors;
      }
      (results as LineResult[]).forEach((result, index) => (sent[index]!.result = result));
      return undefined;
    };
    let lines = 0;
    try {
      for await (const line of readLines(options.body, maxLineBytes)) {
        if (job.signal.aborted) return;
        lines = line.number;
        if (line.number > options.maxLines) {
          const error = { message: `An import takes at most ${options.maxLines} lines; line ${line.number} and those after it were not read.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } };
          if (batch.length > 0) {
            const failed = await sendBatch();
            if (failed) return yield* end(failed);
          }
          yield* flush();
          return yield* end([error]);
        }
        if (line.tooLong) {
          pending.push({ line: line.number, result: { line: line.number, userErrors: [lineError(`The line is longer than ${maxLineBytes} bytes.`, 'PAYLOAD_TOO_LARGE')] } });
        } else if (line.text.trim() === '') {
          continue;
        } else {
          const read = readInput(line.text, target);
          if ('errors' in read) pending.push({ line: line.number, result: { line: line.number, userErrors: read.errors } });
          else {
            const size = Buffer.byteLength(line.text);
            if (batch.length > 0 && batchBytes + size > options.batchBytes - BATCH_OVERHEAD_BYTES) {
              const failed = await sendBatch();
              if (failed) return yield* end(failed);
            }
            const item: Pending = { line: line.number, input: read.input };
            pending.push(item);
            batch.push(item);
            batchBytes += size + 1;
            if (batch.length >= IMPORT_BATCH_SIZE) {
              const failed = await sendBatch();
              if (failed) return yield* end(failed);
            }
          }
        }
        // Results wait behind the batch being filled; those before it go out at once.
        yield* flush();
      }
      if (batch.length > 0) {
        const failed = await sendBatch();
        if (failed) return yield* end(failed);
      }
      yield* flush();
      logger.debug({ requestId: options.requestId, lines }, 'import body read');
      yield trailer();
      job.finish('ok');
    } catch (error) {
      if (job.signal.aborted) return;
      logger.error({ requestId: options.requestId, error: error instanceof Error ? error.message : String(error) }, 'import failed');
      yield* flush();
      yield* end([unexpectedError()]);
    }

    function* end(errors: AnswerError[]) {
      yield* flush();
      yield trailer(errors);
      job.finish('failed', errors);
    }
  }

  const lines = output();
  const encoder = new TextEncoder();
  return ndjsonResponse({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      job.cancel();
      await lines.return(undefined);
      await options.body.cancel().catch(() => undefined);
    },
  });
}
