/**
 * Every error code the gateway gives, in one table: the HTTP status a response carries when the
 * error decides it, the message a caller sees, and whether it is the caller's own input problem
 * (returned as `userErrors` data by a mutation, never as a GraphQL error).
 *
 * This module imports nothing, so any layer (client, loaders, schema, server) may read it.
 */

export interface ErrorCodeInfo {
  /** HTTP status of a response that fails as a whole with this code. */
  readonly status: number;
  /** What a caller is told (upstream failures get this fixed text, never the upstream's). */
  readonly message: string;
  /** A problem with the caller's input: mutations report it in `userErrors`. */
  readonly userError: boolean;
  /** A code a Clarify call can fail with (`ClarifyError.code`). */
  readonly upstream: boolean;
}

const code = <const U extends boolean>(status: number, message: string, userError: boolean, upstream: U) =>
  ({ status, message, userError, upstream }) as const;

export const ERROR_CODES = {
  // Failures of a Clarify call.
  UNAUTHENTICATED: code(401, 'Clarify rejected the credential.', false, true),
  FORBIDDEN: code(403, 'The credential may not access this Clarify resource.', false, true),
  NOT_FOUND: code(404, 'Clarify has no such record or object.', true, true),
  VALIDATION: code(422, 'Clarify rejected the input.', true, true),
  BAD_REQUEST: code(400, 'Clarify rejected the request.', true, true),
  CONFLICT: code(409, 'A conflicting change to the same records was made or is in progress; retry later.', false, true),
  RATE_LIMITED: code(429, 'Clarify rate limit reached; retry later.', false, true),
  UPSTREAM_UNAVAILABLE: code(503, 'Clarify is unavailable.', false, true),
  UPSTREAM_TIMEOUT: code(504, 'Clarify did not answer in time.', false, true),
  UPSTREAM_BAD_RESPONSE: code(502, 'Clarify sent a response the gateway could not read.', false, true),
  OUTCOME_UNKNOWN: code(
    502,
    'The write reached Clarify but its answer was lost; it may or may not have been applied. Read the record before sending it again.',
    false,
    true,
  ),
  ABORTED: code(499, 'The request was cancelled.', false, true),
  // The gateway's own refusals.
  BAD_USER_INPUT: code(400, 'The request has an invalid value.', true, false),
  GRAPHQL_PARSE_FAILED: code(400, 'The document is not valid GraphQL.', true, false),
  GRAPHQL_VALIDATION_FAILED: code(400, 'The document does not validate against the schema.', true, false),
  OPERATION_RESOLUTION_FAILURE: code(400, 'The request names no operation of the document that can run.', true, false),
  PERSISTED_QUERY_NOT_FOUND: code(400, 'No trusted document has that id.', true, false),
  COST_LIMIT_EXCEEDED: code(400, 'The operation would make more upstream calls than the limit allows.', true, false),
  PAYLOAD_TOO_LARGE: code(413, 'The request body is larger than the limit.', true, false),
  UNSUPPORTED_MEDIA_TYPE: code(415, 'Send GraphQL requests as application/json.', true, false),
  NOT_ACCEPTABLE: code(406, 'The Accept header names no media type the gateway can answer with.', true, false),
  INTERNAL_SERVER_ERROR: code(500, 'Unexpected error.', false, false),
  WRITE_LOCK_UNAVAILABLE: code(
    503,
    'The lock that keeps relationship edits apart across replicas cannot be reached; nothing was written. Retry shortly.',
    false,
    false,
  ),
  // Subscriptions.
  SUBSCRIPTION_LIMIT_EXCEEDED: code(429, 'Too many subscriptions or distinct feeds; end one first.', false, false),
  SUBSCRIBER_TOO_SLOW: code(503, 'The subscriber read its changes too slowly and was disconnected.', false, false),
  SHUTTING_DOWN: code(503, 'The gateway is shutting down; subscribe again.', false, false),
  // Mutation `userErrors` the gateway gives without asking Clarify.
  REQUIRED: code(400, 'A required value is missing or empty.', true, false),
  INVALID: code(400, 'A value is not valid.', true, false),
  NOT_WRITTEN: code(400, 'Not written, because its batch or request failed.', true, false),
  TOO_MANY_FOR_ATOMIC: code(400, 'atomic: true takes at most one upstream batch.', true, false),
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

type UpstreamKeys<T> = { [K in keyof T]: T[K] extends { upstream: true } ? K : never }[keyof T];

/** Codes a Clarify call can fail with. */
export type UpstreamErrorCode = UpstreamKeys<typeof ERROR_CODES>;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export function isUpstreamErrorCode(value: unknown): value is UpstreamErrorCode {
  return isErrorCode(value) && ERROR_CODES[value].upstream;
}

/** The table entry of a code, when it is one of ours. */
export function errorCodeInfo(value: unknown): ErrorCodeInfo | undefined {
  return isErrorCode(value) ? ERROR_CODES[value] : undefined;
}

/** The HTTP status for a code; 500 for a code the table does not know. */
export function httpStatusFor(value: unknown): number {
  return errorCodeInfo(value)?.status ?? 500;
}
