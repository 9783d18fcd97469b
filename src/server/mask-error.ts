import { GraphQLError } from 'graphql';

/**
 * Error masking for every response the gateway sends. Deliberate errors pass through: a
 * `GraphQLError` created by the gateway (validation, limits, auth) or thrown by a resolver with an
 * `extensions.code`. An upstream `ClarifyError` becomes a `GraphQLError` with its code and a fixed
 * message. Anything else becomes "Unexpected error." with `INTERNAL_SERVER_ERROR`: no stack
 * trace, no credential and no upstream URL ever reaches a response.
 */

/** Codes an upstream failure may carry (see `src/client/errors.ts`). */
const UPSTREAM_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'BAD_REQUEST',
  'CONFLICT',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_BAD_RESPONSE',
  'ABORTED',
]);

const UPSTREAM_MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'Clarify rejected the credential.',
  FORBIDDEN: 'The credential may not access this Clarify resource.',
  NOT_FOUND: 'Clarify has no such record or object.',
  VALIDATION: 'Clarify rejected the input.',
  BAD_REQUEST: 'Clarify rejected the request.',
  CONFLICT: 'Clarify reported a conflicting change; retry later.',
  RATE_LIMITED: 'Clarify rate limit reached; retry later.',
  UPSTREAM_UNAVAILABLE: 'Clarify is unavailable.',
  UPSTREAM_TIMEOUT: 'Clarify did not answer in time.',
  UPSTREAM_BAD_RESPONSE: 'Clarify sent a response the gateway could not read.',
  ABORTED: 'The request was cancelled.',
};

/** Structural check so errors from any copy of the client module are recognised. */
export function upstreamErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || error instanceof GraphQLError) return undefined;
  const code = (error as { code?: unknown }).code;
  return error.name === 'ClarifyError' && typeof code === 'string' && UPSTREAM_CODES.has(code)
    ? code
    : undefined;
}

/** The `extensions.code` of an error as it will be sent, if any. */
export function errorCode(error: GraphQLError): string | undefined {
  const code = error.extensions?.['code'];
  return typeof code === 'string' ? code : undefined;
}

function locatedOptions(error: unknown) {
  return error instanceof GraphQLError
    ? { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path }
    : {};
}

/** Matches Yoga's `maskError` signature. */
export function maskError(error: unknown, message: string): Error {
  let current: unknown = error;
  while (current instanceof GraphQLError) {
    // A deliberate GraphQLError: parse/validation, a limit, auth, or a resolver's coded error.
    if (errorCode(current) !== undefined || !current.originalError) {
      if (current === error) return current;
      return new GraphQLError(current.message, {
        ...locatedOptions(error),
        extensions: current.extensions,
      });
    }
    current = current.originalError;
  }
  const upstream = upstreamErrorCode(current);
  if (upstream) {
    return new GraphQLError(UPSTREAM_MESSAGES[upstream] ?? message, {
      ...locatedOptions(error),
      extensions: { code: upstream },
    });
  }
  return new GraphQLError(message, {
    ...locatedOptions(error),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}
