import { ERROR_CODES, type ErrorCode } from '../../errors/codes.js';
import { refusalCost, type OperationCost } from './use-operation-plan.js';

/** The body of a request refused before GraphQL ran: one coded error, and the cost of no call. */
export interface RefusalBody {
  errors: [{ message: string; extensions: { code: ErrorCode } }];
  extensions?: { cost: OperationCost };
}

export interface RefusalOptions {
  /** The cost limit `extensions.cost` reports (no call made); without it the body has no `extensions`. */
  costLimit?: number;
  /** Response headers beside `content-type` (`connection: close`, `vary: Origin`). */
  headers?: Record<string, string>;
  /** The status where a protocol fixes another than the table's for the code. */
  status?: number;
}

export function refusalBody(code: ErrorCode, message: string, costLimit?: number): RefusalBody {
  return {
    errors: [{ message, extensions: { code } }],
    ...(costLimit === undefined ? {} : { extensions: { cost: refusalCost(costLimit) } }),
  };
}

/**
 * The JSON answer to a request refused before it was parsed or planned (body limit, CSRF, CORS,
 * `Accept`, graphql-sse's stream routes), with the table's status for the code.
 */
export function refusalResponse(code: ErrorCode, message: string, options: RefusalOptions = {}): Response {
  return new Response(JSON.stringify(refusalBody(code, message, options.costLimit)), {
    status: options.status ?? ERROR_CODES[code].status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
  });
}
