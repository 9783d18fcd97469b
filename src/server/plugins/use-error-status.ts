import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ERROR_CODES, errorCodeInfo } from '../../errors/codes.js';

/** The same error with these extensions instead of its own. */
function rebuilt(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/** The same error with `extensions` added to its own. */
export function withExtensions(error: GraphQLError, extensions: Record<string, unknown>): GraphQLError {
  return rebuilt(error, { ...error.extensions, ...extensions });
}

/** Drops what must not reach a caller: Yoga puts the JSON parser's own error in `originalError`. */
function withoutInternals(error: GraphQLError): GraphQLError {
  if (!error.extensions || !('originalError' in error.extensions)) return error;
  const { originalError: _dropped, ...extensions } = error.extensions;
  return rebuilt(error, extensions);
}

/**
 * An error of a request that did not run: its code (a request Yoga could not read is the caller's
 * input problem) and the status of that code, as the spec's status (applied under
 * `application/graphql-response+json` only). A status with headers (401) is kept.
 */
function refusedRequest(raw: GraphQLError): GraphQLError {
  const error = withoutInternals(raw);
  const http = error.extensions?.http;
  if (http?.headers) return error;
  const given = error.extensions?.code;
  // Yoga's request parser could not read the body: not a well-formed GraphQL-over-HTTP request,
  // so 400 whatever the media type.
  if (given === 'BAD_REQUEST' && error.path === undefined) return withExtensions(error, { code: 'BAD_USER_INPUT', http: { status: ERROR_CODES.BAD_USER_INPUT.status } });
  const info = errorCodeInfo(given);
  // A code outside the table keeps the status its plugin chose.
  if (!info && http?.status !== undefined) return error;
  return withExtensions(error, { http: { status: (info ?? ERROR_CODES.INTERNAL_SERVER_ERROR).status, spec: true } });
}

function isSingleResult(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && !(Symbol.asyncIterator in result);
}

/** A request error: the operation did not run, so the response carries no `data`. */
function isRequestError(result: ExecutionResult): boolean {
  return (result.errors?.length ?? 0) > 0 && result.data === undefined;
}

/**
 * Gives every refused request an `extensions.code` and its HTTP status:
 * - errors of an execution that never started (variables of the wrong type, an unknown
 *   operation name) become `BAD_USER_INPUT`;
 * - every error of a response without `data` carries the status of its code in the error table,
 *   marked as the GraphQL-over-HTTP spec's, so `application/graphql-response+json` answers 4xx/5xx
 *   while legacy `application/json` keeps 200.
 */
export function useErrorStatus(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!isSingleResult(result) || !isRequestError(result)) return;
          setResult({
            ...result,
            errors: (result.errors ?? []).map((error) => (error.extensions?.code ? error : withExtensions(error, { code: 'BAD_USER_INPUT' }))),
          });
        },
      };
    },
    onResultProcess({ result, setResult }) {
      if (!isSingleResult(result) || !result.errors?.length) return;
      const requestError = isRequestError(result);
      setResult({ ...result, errors: result.errors.map((error) => (requestError ? refusedRequest(error) : withoutInternals(error))) });
    },
  };
}
