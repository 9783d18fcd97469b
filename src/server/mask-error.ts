import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';
import { ClarifyError } from '../client/errors.js';
import { ERROR_CODES, isUpstreamErrorCode, type UpstreamErrorCode } from '../errors/codes.js';

/**
 * Error masking for every response the gateway sends. Deliberate errors pass through: a
 * `GraphQLError` created by the gateway (validation, limits, auth) or thrown by a resolver with an
 * `extensions.code`. An upstream `ClarifyError` becomes a `GraphQLError` with its code and a fixed
 * message. Anything else becomes "Unexpected error." with `INTERNAL_SERVER_ERROR`: no stack
 * trace, no credential and no upstream URL ever reaches a response.
 */

/** The code of an upstream failure (a `ClarifyError` from any copy of the client module), if it is one. */
export function upstreamErrorCode(error: unknown): UpstreamErrorCode | undefined {
  return ClarifyError.is(error) && isUpstreamErrorCode(error.code) ? error.code : undefined;
}

/** The extensions of a masked upstream failure: its code, and for a lost write answer what failed. */
function upstreamExtensions(code: UpstreamErrorCode, error: ClarifyError): GraphQLErrorExtensions {
  if (code === 'RATE_LIMITED') {
    // Seconds until the budget has room again, when the client knows it.
    const retryAfterMs = error.retryAfterMs;
    return typeof retryAfterMs === 'number' && retryAfterMs >= 0 ? { code, retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) } : { code };
  }
  if (code !== 'OUTCOME_UNKNOWN') return { code };
  const failure = error.failure;
  return { code, mayHaveBeenWritten: true, ...(isUpstreamErrorCode(failure) ? { failure } : {}) };
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
  if (ClarifyError.is(current) && isUpstreamErrorCode(current.code)) {
    return new GraphQLError(ERROR_CODES[current.code].message, {
      ...locatedOptions(error),
      extensions: upstreamExtensions(current.code, current),
    });
  }
  return new GraphQLError(message, {
    ...locatedOptions(error),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}
