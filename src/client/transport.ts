/**
 * The HTTP layer under `ClarifyClient`: one undici `Pool` for the upstream origin, a semaphore
 * bounding concurrency, per-attempt deadlines, capped body reads, rate-limit pacing, retries by
 * the rules of `retry.ts`, and one `CallRecord` per logical call.
 */
import { Pool } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { ClarifyError, errorFromResponse, makeScrubber, outcomeUnknown, type ClarifyErrorCode } from './errors.js';
import { LocalRateBudget, type RateBudget } from './rate-limit.js';
import { isRetryable, parseRetryAfter, retryDelay, type AttemptFailure, type RetryMode } from './retry.js';
import { Semaphore, sleep } from './semaphore.js';
import type { CallOptions, CallRecord, CallRecorder } from './types.js';

/** pino-compatible subset. */
export interface ClientLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface TransportOptions {
  origin: string;
  maxAttempts: number;
  callTimeoutMs: number;
  maxBodyBytes: number;
  connections: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** Most attempts of a `retryUntilKnown` write whose outcome is still unknown. */
  maxUnknownAttempts: number;
  logger?: ClientLogger;
  recorder?: CallRecorder;
  random?: () => number;
  /** Where calls take their rate budget; default one kept in this process. */
  rateBudget?: RateBudget;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface UpstreamRequest {
  method: HttpMethod;
  /** Route template for accounting, errors and pacing: `GET /objects/:object/resources`. */
  route: string;
  /** Absolute request target on the origin: `/v1/workspaces/demo/objects/person/resources?…`. */
  path: string;
  body?: unknown;
  mode: RetryMode;
  /**
   * A 404 after an earlier attempt that may have been applied counts as success (a delete
   * whose first attempt was applied but whose answer was lost).
   */
  notFoundMeansDoneAfterRetry?: boolean;
  /**
   * An idempotent write (an upsert) whose outcome is unknown is sent again until an answer
   * says what happened or the deadline passes, beyond `maxAttempts` (up to `maxUnknownAttempts`).
   */
  retryUntilKnown?: boolean;
}

export interface UpstreamResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  /** True when this answer came after an earlier attempt that may have been applied upstream. */
  afterPossibleApply?: boolean;
}

type AttemptOutcome =
  | { ok: true; response: UpstreamResponse }
  | { ok: false; failure: AttemptFailure; error: ClarifyError; status: number; retryAfterMs?: number };

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

class BodyTooLarge extends Error {}

/**
 * Whether an attempt that failed this way may still have been applied upstream. A status answer
 * is Clarify saying it did not apply the request, except 502 and 504, which a proxy gives after
 * forwarding it; a dropped connection, a timeout after sending or a 2xx whose body could not be
 * read leave it unknown.
 */
function mayHaveBeenApplied(failure: AttemptFailure, status: number): boolean {
  switch (failure.kind) {
    case 'connection':
    case 'timeout':
    case 'malformed':
      return true;
    case 'status':
      return failure.status === 502 || failure.status === 504;
    case 'fatal':
      return status >= 200 && status <= 299;
    case 'not-sent':
      return false;
  }
}

function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string') return code;
  const nested = 'errors' in error ? error.errors : undefined;
  if (Array.isArray(nested)) {
    for (const inner of nested) {
      const innerCode = errorCodeOf(inner);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return undefined;
}

/** A header value that would be refused or could smuggle headers is rejected before sending. */
function isUsableCredential(credential: string): boolean {
  return credential.trim() !== '' && /^[\x20-\x7e]+$/.test(credential);
}

/** Stops reading a body: the error listener keeps the stream's own abort error from going unhandled. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readCapped(body: Readable, maxBytes: number, declared: string | string[] | undefined): Promise<Buffer> {
  const declaredLength = Number(Array.isArray(declared) ? declared[0] : declared);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    discard(body);
    throw new BodyTooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      discard(body);
      throw new BodyTooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function parseJsonLenient(buffer: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (buffer.length === 0) return { ok: true, value: undefined };
  try {
    const value: unknown = JSON.parse(buffer.toString('utf8'));
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

export class Transport {
  private readonly pool: Pool;
  private readonly semaphore: Semaphore;
  private readonly budget: RateBudget;
  private readonly options: TransportOptions;
  private totalCalls = 0;
  private totalAttempts = 0;

  constructor(options: TransportOptions) {
    this.options = options;
    this.budget = options.rateBudget ?? new LocalRateBudget();
    this.pool = new Pool(options.origin, {
      connections: options.connections,
      pipelining: 1,
      // The per-attempt timer below is the only deadline; undici's idle timers would race it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    this.semaphore = new Semaphore(options.connections);
  }

  /** Calls and attempts made since the transport was created. */
  stats(): { calls: number; attempts: number; running: number; pending: number; connected: number } {
    const pool = this.pool.stats;
    return { calls: this.totalCalls, attempts: this.totalAttempts, running: pool.running, pending: pool.pending, connected: pool.connected };
  }

  async close(): Promise<void> {
    if (!this.pool.closed) await this.pool.close();
  }

  /** Sends one logical call, retrying as its mode allows. Resolves only with a 2xx. */
  async send(request: UpstreamRequest, call: CallOptions): Promise<UpstreamResponse> {
    const started = Date.now();
    let attempts = 0;
    let lastStatus = 0;
    let mayHaveApplied = false;
    try {
      if (!isUsableCredential(call.credential)) {
        throw new ClarifyError('The credential is not a usable Authorization header value', { code: 'UNAUTHENTICATED', route: request.route });
      }
      const scrub = makeScrubber(call.credential);
      for (;;) {
        this.throwIfAborted(call, request.route);
        await this.pace(request.route, call);
        const release = await this.acquire(call, request.route);
        try {
          this.throwIfAborted(call, request.route);
        } catch (error) {
          release();
          throw error;
        }
        attempts += 1;
        this.totalAttempts += 1;
        let outcome: AttemptOutcome;
        try {
          outcome = await this.attempt(request, call, scrub, attempts);
        } finally {
          release();
        }
        if (outcome.ok) {
          lastStatus = outcome.response.status;
          return mayHaveApplied ? { ...outcome.response, afterPossibleApply: true } : outcome.response;
        }
        lastStatus = outcome.status;
        const { failure } = outcome;
        if (request.notFoundMeansDoneAfterRetry && mayHaveApplied && failure.kind === 'status' && failure.status === 404) {
          return { status: 404, body: undefined };
        }
        if (mayHaveBeenApplied(failure, outcome.status)) mayHaveApplied = true;
        const untilKnown = request.retryUntilKnown === true && mayHaveApplied && attempts < this.options.maxUnknownAttempts;
        if (!isRetryable(failure, request.mode) || (attempts >= this.options.maxAttempts && !untilKnown)) throw outcome.error;
        if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > this.options.maxRetryDelayMs) throw outcome.error;
        const delay = retryDelay(
          Math.min(attempts, this.options.maxAttempts),
          outcome.retryAfterMs,
          this.options.retryBaseMs,
          this.options.maxRetryDelayMs,
          this.options.random,
        );
        if (call.deadline !== undefined && Date.now() + delay >= call.deadline) throw outcome.error;
        this.options.logger?.warn(
          { requestId: call.requestId, route: request.route, attempt: attempts, failure: failure.kind, status: outcome.status || undefined, delayMs: delay },
          'retrying Clarify call',
        );
        await this.sleepOrAbort(delay, call, request.route);
      }
    } catch (error) {
      let clarifyError = ClarifyError.is(error) ? error : this.unexpected(request.route);
      // A write whose answer was lost must not look like one that certainly failed.
      if (request.method !== 'GET' && mayHaveApplied && clarifyError.code !== 'ABORTED') clarifyError = outcomeUnknown(clarifyError, request.route);
      clarifyError.attempts = attempts;
      throw clarifyError;
    } finally {
      if (attempts > 0) this.record(call, { method: request.method, route: request.route, status: lastStatus, durationMs: Date.now() - started, attempts });
    }
  }

  private record(call: CallOptions, entry: CallRecord): void {
    this.totalCalls += 1;
    this.options.recorder?.record(entry);
    call.recorder?.record(entry);
  }

  private unexpected(route: string): ClarifyError {
    return new ClarifyError(`Clarify ${route} failed unexpectedly`, { code: 'UPSTREAM_UNAVAILABLE', route });
  }

  private aborted(route: string): ClarifyError {
    return new ClarifyError(`Clarify ${route} was aborted by the caller`, { code: 'ABORTED', route });
  }

  private throwIfAborted(call: CallOptions, route: string): void {
    if (call.signal?.aborted) throw this.aborted(route);
    if (call.deadline !== undefined && Date.now() >= call.deadline) {
      throw new ClarifyError(`Clarify ${route} was not sent: the request deadline has passed`, { code: 'UPSTREAM_TIMEOUT', route });
    }
  }

  private async sleepOrAbort(ms: number, call: CallOptions, route: string): Promise<void> {
    try {
      await sleep(ms, call.signal);
    } catch {
      throw this.aborted(route);
    }
  }

  private async acquire(call: CallOptions, route: string): Promise<() => void> {
    try {
      return await this.semaphore.acquire(call.signal);
    } catch {
      throw this.aborted(route);
    }
  }

  /** Waits for the route's rate-limit slot; fails rather than wait past the deadline. */
  private async pace(route: string, call: CallOptions): Promise<void> {
    // A call needs time after its wait, so a wait that ends right at the deadline is too late.
    const untilDeadline = call.deadline === undefined ? Infinity : call.deadline - Date.now() - 1;
    const maxWait = Math.max(0, Math.min(this.options.maxRetryDelayMs, untilDeadline));
    const wait = await this.budget.reserve({ route, credential: call.credential }, maxWait, call.deadline);
    if (wait <= 0) return;
    if (wait > maxWait) {
      const error = new ClarifyError(`Clarify ${route} was not sent: the rate budget has room again in ${Math.ceil(wait / 1000)} s`, {
        code: 'RATE_LIMITED',
        route,
        issues: [{ detail: 'Rate limit budget spent; retry later' }],
      });
      error.retryAfterMs = wait;
      throw error;
    }
    this.options.logger?.debug({ requestId: call.requestId, route, waitMs: wait }, 'pacing Clarify call');
    await this.sleepOrAbort(wait, call, route);
  }

  private async attempt(request: UpstreamRequest, call: CallOptions, scrub: (text: string) => string, attempt: number): Promise<AttemptOutcome> {
    const { route } = request;
    const remaining = call.deadline === undefined ? Infinity : call.deadline - Date.now();
    const timeoutMs = Math.min(this.options.callTimeoutMs, remaining);
    if (timeoutMs <= 0) throw new ClarifyError(`Clarify ${route} was not sent: the request deadline has passed`, { code: 'UPSTREAM_TIMEOUT', route });
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = (): void => controller.abort();
    call.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const started = Date.now();
    let status = 0;
    try {
      const headers: Record<string, string> = { authorization: call.credential, accept: 'application/json', 'user-agent': 'clarify-graphql' };
      let payload: string | undefined;
      if (request.body !== undefined) {
        payload = JSON.stringify(request.body);
        headers['content-type'] = 'application/json';
      }
      const response = await this.pool.request({ path: request.path, method: request.method, headers, body: payload, signal: controller.signal });
      status = response.statusCode;
      this.budget.observe({ route, credential: call.credential }, response.headers);
      const buffer = await readCapped(response.body, this.options.maxBodyBytes, response.headers['content-length']);
      return this.interpret(route, status, response.headers, buffer, scrub);
    } catch (error) {
      if (ClarifyError.is(error)) throw error;
      if (call.signal?.aborted) throw this.aborted(route);
      return this.transportFailure(route, status, error, timedOut, timeoutMs);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onCallerAbort);
      this.options.logger?.debug({ requestId: call.requestId, method: request.method, route, attempt, status, durationMs: Date.now() - started }, 'Clarify call attempt');
    }
  }

  private interpret(route: string, status: number, headers: IncomingHttpHeaders, buffer: Buffer, scrub: (text: string) => string): AttemptOutcome {
    const parsed = parseJsonLenient(buffer);
    if (status >= 200 && status <= 299) {
      if (parsed.ok) return { ok: true, response: { status, body: parsed.value } };
      const error = new ClarifyError(`Clarify ${route} answered ${status} with a body that is not JSON`, {
        code: 'UPSTREAM_BAD_RESPONSE',
        route,
        status,
        issues: [{ detail: 'The upstream response body was truncated or not JSON' }],
      });
      return { ok: false, failure: { kind: 'malformed' }, error, status };
    }
    const error = errorFromResponse(status, parsed.ok ? parsed.value : undefined, route, scrub);
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
    if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
    return { ok: false, failure: { kind: 'status', status }, error, status, retryAfterMs };
  }

  private transportFailure(route: string, status: number, error: unknown, timedOut: boolean, timeoutMs: number): AttemptOutcome {
    if (error instanceof BodyTooLarge) {
      const tooLarge = new ClarifyError(`Clarify ${route} answered with a body over ${this.options.maxBodyBytes} bytes`, {
        code: 'UPSTREAM_BAD_RESPONSE',
        route,
        status: status || undefined,
        issues: [{ detail: `The upstream response exceeded ${this.options.maxBodyBytes} bytes` }],
      });
      return { ok: false, failure: { kind: 'fatal' }, error: tooLarge, status };
    }
    if (timedOut) {
      const timeout = new ClarifyError(`Clarify ${route} did not answer within ${timeoutMs} ms`, { code: 'UPSTREAM_TIMEOUT', route });
      return { ok: false, failure: { kind: 'timeout' }, error: timeout, status };
    }
    const code = errorCodeOf(error);
    const notSent = code !== undefined && NOT_SENT_CODES.has(code) && status === 0;
    const closed = code === 'UND_ERR_CLOSED' || code === 'UND_ERR_DESTROYED';
    // Only the transport error code travels on: undici messages and objects stay behind.
    const cause = new Error(code ?? 'connection failed');
    const errorCode: ClarifyErrorCode = 'UPSTREAM_UNAVAILABLE';
    const failure = new ClarifyError(
      closed ? `Clarify ${route} was not sent: the client is closed` : `Clarify ${route} failed: connection error${code ? ` (${code})` : ''}`,
      { code: errorCode, route, status: status || undefined, cause },
    );
    return { ok: false, failure: closed ? { kind: 'fatal' } : notSent ? { kind: 'not-sent' } : { kind: 'connection' }, error: failure, status };
  }
}
