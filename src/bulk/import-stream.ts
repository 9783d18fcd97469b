import { isRecord } from '../client/documents.js';
import { coerceInputValue, type GraphQLError } from 'graphql';
import { errorCodeInfo } from '../errors/codes.js';
import { BULK_CREATE_LIMIT } from '../schema/records/record-writes.js';
import type { ImportTarget } from './import-target.js';
import { ndjsonLine, ndjsonResponse, readLines, type InputLine } from './ndjson.js';
import { codeOf, failureErrors, trailerError, unexpectedError, type AnswerError, type OperationAnswer, type BulkJob } from './operation-answer.js';
import { openJob, type JobRun } from './job-run.js';
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

/** Counts a result line in the tally. */
function count(tally: Tally, result: LineResult): void {
  tally.count++;
  if ('userErrors' in result) {
    tally.failed++;
    if (result.mayHaveBeenWritten) tally.mayHaveBeenWritten++;
  } else if (result.matched === true) tally.matched++;
  else if (result.matched === false) tally.created++;
  else tally.matchUnknown++;
}

/** The last line: the totals and the upstream calls made, and the errors that ended the import early. */
function trailer(tally: Tally, calls: number, errors?: AnswerError[]): string {
  const { matchUnknown, mayHaveBeenWritten, ...counts } = tally;
  return ndjsonLine({
    ...(errors ? { errors: errors.map(trailerError) } : {}),
    extensions: {
      ...counts,
      ...(matchUnknown > 0 ? { matchUnknown } : {}),
      ...(mayHaveBeenWritten > 0 ? { mayHaveBeenWritten } : {}),
      actualCalls: calls,
    },
  });
}

/** The error that ends an import which sent more lines than it may (the lines before it are answered). */
function tooManyLines(maxLines: number, line: number): AnswerError {
  return { message: `An import takes at most ${maxLines} lines; line ${line} and those after it were not read.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } };
}

/**
 * The lines of one import between reading and writing: each waits, in input order, for its
 * result, and the valid ones are sent in batches (of 25, and within the request body limit).
 */
class LineQueue {
  private pending: Pending[] = [];
  private batch: Pending[] = [];
  private batchBytes = 0;
  /** Longest line read: no longer than one batch's body can hold. */
  readonly maxLineBytes: number;

  constructor(
    private readonly options: ImportOptions,
    private readonly job: JobRun,
    private readonly tally: Tally,
  ) {
    this.maxLineBytes = Math.min(options.maxLineBytes, Math.max(1, options.batchBytes - BATCH_OVERHEAD_BYTES));
  }

  /**
   * Takes one line that is not blank: a line too long or not a valid input is answered at once,
   * a valid one joins the batch (sent first when the line would not fit, and after when full).
   * The errors that end the import, when a batch sent failed as a whole.
   */
  async add(line: InputLine): Promise<AnswerError[] | undefined> {
    if (line.tooLong) {
      this.pending.push({ line: line.number, result: { line: line.number, userErrors: [lineError(`The line is longer than ${this.maxLineBytes} bytes.`, 'PAYLOAD_TOO_LARGE')] } });
      return undefined;
    }
    const read = readInput(line.text, this.options.target);
    if ('errors' in read) {
      this.pending.push({ line: line.number, result: { line: line.number, userErrors: read.errors } });
      return undefined;
    }
    const size = Buffer.byteLength(line.text);
    if (this.batch.length > 0 && this.batchBytes + size > this.options.batchBytes - BATCH_OVERHEAD_BYTES) {
      const failed = await this.send();
      if (failed) return failed;
    }
    const item: Pending = { line: line.number, input: read.input };
    this.pending.push(item);
    this.batch.push(item);
    this.batchBytes += size + 1;
    return this.batch.length >= IMPORT_BATCH_SIZE ? this.send() : undefined;
  }

  /** Sends the batch being filled, if any, and settles its lines; the errors that end the import, when it failed as a whole. */
  async send(): Promise<AnswerError[] | undefined> {
    if (this.batch.length === 0) return undefined;
    const sent = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    const { target } = this.options;
    // A batch refused as a whole wrote nothing (see createRecords), so a rate-limited one is sent again.
    const outcome = await runPaced(this.options, this.job, this.job.signal, {
      operation: () => ({ query: target.query, operationName: 'BulkImport', variables: { inputs: sent.map((item) => item.input) } }),
      read: (answer) => batchResults(answer, target, sent),
      onWait: (waitMs, attempt) => this.options.logger.info({ requestId: this.options.requestId, waitMs, attempt }, 'import waits for the rate limit'),
    });
    if (outcome.ok) {
      const results = outcome.value;
      sent.forEach((item, index) => (item.result = results[index]));
      return undefined;
    }
    const errors = failureErrors(outcome.answer);
    // The mutation failed as a whole: its items were not written (or, for an unknown outcome, may have been).
    const unknown = errors.some((error) => codeOf(error) === 'OUTCOME_UNKNOWN');
    const reasons = errors.map((error) => lineError(`Not written: ${error.message}`, codeOf(error) ?? 'INTERNAL_SERVER_ERROR'));
    for (const item of sent) item.result = { line: item.line, userErrors: reasons, ...(unknown ? { mayHaveBeenWritten: true as const } : {}) };
    return errors;
  }

  /** The results settled at the front, counted and taken off, as one text of their lines (nothing when none is settled). */
  *settled(): Generator<string> {
    let settled = 0;
    let text = '';
    for (const item of this.pending) {
      if (!item.result) break;
      count(this.tally, item.result);
      text += ndjsonLine(item.result);
      settled++;
    }
    this.pending = this.pending.slice(settled);
    if (text !== '') yield text;
  }
}

/** The answer's lines: results as their lines settle, then the trailer. */
async function* importLines(options: ImportOptions, job: JobRun, tally: Tally): AsyncGenerator<string> {
  const queue = new LineQueue(options, job, tally);
  const end = function* (errors: AnswerError[]) {
    yield* queue.settled();
    yield trailer(tally, job.calls, errors);
    job.finish('failed', errors);
  };
  let lines = 0;
  try {
    for await (const line of readLines(options.body, queue.maxLineBytes)) {
      if (job.signal.aborted) return;
      lines = line.number;
      if (line.number > options.maxLines) return yield* end((await queue.send()) ?? [tooManyLines(options.maxLines, line.number)]);
      if (!line.tooLong && line.text.trim() === '') continue;
      const failed = await queue.add(line);
      if (failed) return yield* end(failed);
      // Results wait behind the batch being filled; those before it go out at once.
      yield* queue.settled();
    }
    const failed = await queue.send();
    if (failed) return yield* end(failed);
    yield* queue.settled();
    options.logger.debug({ requestId: options.requestId, lines }, 'import body read');
    yield trailer(tally, job.calls);
    job.finish('ok');
  } catch (error) {
    if (job.signal.aborted) return;
    options.logger.error({ requestId: options.requestId, error: error instanceof Error ? error.message : String(error) }, 'import failed');
    yield* end([unexpectedError()]);
  }
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
  const tally: Tally = { count: 0, created: 0, matched: 0, failed: 0, matchUnknown: 0, mayHaveBeenWritten: 0 };
  // When the caller goes away, the batch in flight is cancelled and nothing more is read.
  const job = openJob(options, 'import', {
    subject: { object: options.target.object },
    lines: () => ({ created: tally.created, matched: tally.matched, failed: tally.failed }),
    summary: () => ({ ...tally, calls: job.calls }),
  });
  const lines = importLines(options, job, tally);
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
