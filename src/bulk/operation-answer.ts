import { isRecord } from '../client/documents.js';
import type { Logger } from '../observability/logger.js';
import type { BudgetShare } from './budget-share.js';
import type { BulkMetrics } from './bulk-metrics.js';
import { httpStatusFor } from '../errors/codes.js';

/** A GraphQL error as an answer carries it. */
export interface AnswerError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** A GraphQL answer, parsed. */
export interface AnswerBody {
  data?: Record<string, unknown> | null;
  errors?: AnswerError[];
  extensions?: Record<string, unknown>;
}

export interface OperationAnswer {
  /** The HTTP status `/graphql` answered with (under `application/graphql-response+json`). */
  status: number;
  body: AnswerBody;
}

/** A GraphQL request's operation, as a page or batch sends it. */
export interface Operation {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
}

/** One GraphQL operation run through the gateway's own `/graphql`, with the caller's credentials. */
export type RunOperation = (operation: Operation, signal: AbortSignal) => Promise<OperationAnswer>;


/** What every export and import runs with: the caller, its share of the budget, and where it reports. */
export interface BulkJob {
  run: RunOperation;
  /** The bulk share of the rate budget, and the credential it is kept for. */
  share: BudgetShare;
  credential: string;
  logger: Logger;
  metrics: BulkMetrics;
  requestId: string;
  /** Times a page or batch refused with `RATE_LIMITED` is asked again (after the wait it names) before the job ends. */
  rateLimitedRetries: number;
  /** The caller's request: when it goes away the job stops. */
  signal: AbortSignal;
}

/** The error a bulk answer carries for a failure it does not describe further. */
export function unexpectedError(): AnswerError {
  return { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** The errors a refused answer ends a job with: its own, or an unexpected error when it gave none. */
export function failureErrors(answer: OperationAnswer): AnswerError[] {
  const errors = answer.body.errors;
  return errors?.length ? errors : [unexpectedError()];
}

/** Reads an answer's text; a body that is not a GraphQL answer becomes one coded error. */
export function parseAnswer(status: number, text: string): OperationAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed) || (!('data' in parsed) && !Array.isArray(parsed['errors']))) {
    return { status: status >= 400 ? status : 500, body: { errors: [unexpectedError()] } };
  }
  return { status, body: parsed as AnswerBody };
}

/** Upstream calls the operation made (`extensions.cost.actualCalls`). */
export function actualCallsOf(body: AnswerBody): number {
  const cost = body.extensions?.['cost'];
  const calls = isRecord(cost) ? cost['actualCalls'] : undefined;
  return typeof calls === 'number' && Number.isFinite(calls) ? calls : 0;
}

export function codeOf(error: AnswerError): string | undefined {
  const code = error.extensions?.['code'];
  return typeof code === 'string' ? code : undefined;
}

/** The wait a `RATE_LIMITED` error asks for, in ms (`extensions.retryAfter` seconds); undefined for any other error. */
export function rateLimitWaitMs(body: AnswerBody): number | undefined {
  const errors = body.errors ?? [];
  if (errors.length === 0 || !errors.every((error) => codeOf(error) === 'RATE_LIMITED')) return undefined;
  const seconds = Math.max(...errors.map((error) => Number(error.extensions?.['retryAfter'] ?? 1)));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

/** An error as a bulk trailer carries it: its message and code (and `retryAfter` when given), never a path into a page. */
export function trailerError(error: AnswerError): AnswerError {
  const code = codeOf(error) ?? 'INTERNAL_SERVER_ERROR';
  const retryAfter = error.extensions?.['retryAfter'];
  return { message: error.message, extensions: { code, ...(retryAfter !== undefined ? { retryAfter } : {}) } };
}

/** The HTTP status of a refusal: the answer's own, or that of its first coded error. */
export function refusalStatus(answer: OperationAnswer): number {
  if (answer.status >= 400) return answer.status;
  const code = answer.body.errors?.map(codeOf).find((c) => c !== undefined);
  return httpStatusFor(code);
}
