import { GraphQLError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from './codes.js';

/** Yoga's `http` extension: what a response the error fails as a whole carries. */
export interface CodedErrorHttp {
  /** The response status; the table's for the code unless a protocol fixes another. */
  status?: number;
  /** Response headers (`www-authenticate` on a 401). */
  headers?: Record<string, string>;
  /** The status is the GraphQL-over-HTTP spec's: applied under `application/graphql-response+json` only. */
  spec?: boolean;
}

export interface CodedErrorOptions {
  /** Extensions sent after `code`, in this order. */
  extensions?: { [name: string]: unknown; code?: never; http?: never };
  http?: CodedErrorHttp;
}

/**
 * A deliberate `GraphQLError` with a code of the table. A response it fails as a whole gets the
 * table's HTTP status for the code (Yoga reads `extensions.http` and never sends it).
 */
export function codedError(message: string, code: ErrorCode, options: CodedErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...options.extensions, http: { status: ERROR_CODES[code].status, ...options.http } },
  });
}
