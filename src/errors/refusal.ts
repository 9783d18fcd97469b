import { ERROR_CODES, type ErrorCode } from './codes.js';

/** The body of a request refused before GraphQL ran: one coded error, and the body's own extensions when given. */
export interface RefusalBody {
  errors: [{ message: string; extensions: { code: ErrorCode; [name: string]: unknown } }];
  extensions?: Record<string, unknown>;
}

export interface RefusalOptions {
  /** The error's extensions after its code (`requiredScope`). */
  errorExtensions?: Record<string, unknown>;
  /** The body's extensions (`/graphql` reports the cost of no call); without them the body has none. */
  extensions?: Record<string, unknown> | undefined;
  /** Response headers beside `content-type` (`connection: close`, `vary: Origin`, `cache-control`). */
  headers?: Record<string, string>;
  /** The status where a protocol fixes another than the table's for the code. */
  status?: number;
}

export function refusalBody(code: ErrorCode, message: string, options: Pick<RefusalOptions, 'errorExtensions' | 'extensions'> = {}): RefusalBody {
  return {
    errors: [{ message, extensions: { code, ...options.errorExtensions } }],
    ...(options.extensions === undefined ? {} : { extensions: options.extensions }),
  };
}

/**
 * The JSON answer to a request refused before it was parsed or planned (body limit, CSRF, CORS,
 * `Accept`, graphql-sse's stream routes, the bulk routes), with the table's status for the code.
 */
export function refusalResponse(code: ErrorCode, message: string, options: RefusalOptions = {}): Response {
  return new Response(JSON.stringify(refusalBody(code, message, options)), {
    status: options.status ?? ERROR_CODES[code].status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
  });
}
