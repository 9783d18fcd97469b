/**
 * Every default of the gateway, written once with its unit. `createGateway` fills the options a
 * library user leaves out from here, and `config.ts` uses the same values when an environment
 * variable is unset, so `npm start` and an embedded gateway behave alike.
 */

/** Request limits, each checked before any upstream call. */
export interface LimitOptions {
  /** Most predicted upstream calls one operation may make. Default 50. */
  cost: number;
  /** Deepest selection nesting (fields, not counting the operation). Default 12. */
  depth: number;
  /** Most aliases in one operation. Default 15. */
  aliases: number;
  /** Most lexical tokens in one document. Default 3000. */
  tokens: number;
  /** Most directives in one operation. Default 20. */
  directives: number;
  /** Largest request body in bytes; larger ones get 413. Default 100 KiB. */
  bodyBytes: number;
}

export const DEFAULT_LIMITS: Readonly<LimitOptions> = Object.freeze({
  cost: 50,
  depth: 12,
  aliases: 15,
  tokens: 3000,
  directives: 20,
  bodyBytes: 100 * 1024,
});

export const DEFAULTS = Object.freeze({
  /** Clarify API base URL. */
  apiUrl: 'https://api.clarify.ai/v1',
  /** Time budget of one request, upstream retries included, in milliseconds. */
  requestTimeoutMs: 30_000,
  /** Seconds between workspace schema reloads; 0 = only on demand. */
  schemaReloadIntervalSeconds: 300,
  /** Milliseconds `npm start` waits for requests in flight after SIGTERM. */
  shutdownTimeoutMs: 10_000,
  /** Path of the GraphQL endpoint. */
  graphqlEndpoint: '/graphql',
  /** Listening port of `npm start`. */
  port: 4000,
  /** Listening address of `npm start`: loopback. */
  host: '127.0.0.1',
  logLevel: 'info',
  /** Characters of log lines waiting for stdout; past it lines are dropped and counted. */
  logBufferBytes: 1024 * 1024,
  /** Prepended to every Redis key. */
  redisKeyPrefix: 'clarify-graphql:',
  /** Seconds a cached answer lives; 0 = response cache off. */
  cacheTtlSeconds: 0,
  /** Upstream calls per minute per credential and endpoint while Clarify sends no rate headers. */
  rateLimitPerMinute: 3000,
  /** Percentage of the rate budget `/export` and `/import` may take, per credential. */
  bulkBudgetShare: 50,
  /** Longest `/import` line, in bytes. */
  importMaxLineBytes: 64 * 1024,
  /** Most lines of one `/import` request. */
  importMaxLines: 100_000,
  /** Times an export page or import batch refused with RATE_LIMITED waits and asks again. */
  bulkRateLimitedRetries: 20,
});
