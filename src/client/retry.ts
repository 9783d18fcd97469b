/**
 * Retry policy and backoff maths. Kept free of I/O so the rules can be tested exactly.
 */

/**
 * How a call may be repeated:
 * - `idempotent`: GET, PATCH, DELETE, and creates that send `match_on` (an upsert lands on the
 *   same record however often it is sent).
 * - `once`: a create without `match_on`. Repeated only when the upstream certainly did not
 *   process it: a 429, or a connection that was never established.
 */
export type RetryMode = 'idempotent' | 'once';

/** How an attempt failed, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'status'; status: number }
  /** Nothing was sent: connection refused, DNS failure, connect timeout. */
  | { kind: 'not-sent' }
  /** The request may have reached the upstream: reset, dropped socket, closed early. */
  | { kind: 'connection' }
  /** The per-attempt deadline fired before a full response. */
  | { kind: 'timeout' }
  /** A 2xx whose body was truncated or not JSON. */
  | { kind: 'malformed' }
  /** A deterministic problem (body over the size cap, unexpected shape): repeating cannot help. */
  | { kind: 'fatal' };

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Whether an attempt that failed this way may be made again under the given mode. */
export function isRetryable(failure: AttemptFailure, mode: RetryMode): boolean {
  switch (failure.kind) {
    case 'status':
      return mode === 'idempotent' ? RETRYABLE_STATUSES.has(failure.status) : failure.status === 429;
    case 'not-sent':
      return true;
    case 'connection':
    case 'timeout':
    case 'malformed':
      return mode === 'idempotent';
    case 'fatal':
      return false;
  }
}

/**
 * Full-jitter exponential backoff: a uniform delay in `[0, min(cap, base * 2^(attempt-1)))`,
 * where `attempt` is the number of the attempt that just failed (1-based).
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` in milliseconds: delta-seconds (fractions allowed) or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Anything else numeric-looking (negative, exponent) is neither delta-seconds nor an HTTP date.
  if (/^[-+.\d]/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before the next attempt: the jittered backoff, never less than `Retry-After`.
 */
export function retryDelay(
  failedAttempt: number,
  retryAfterMs: number | undefined,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const jittered = backoffDelay(failedAttempt, baseMs, capMs, random);
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}
