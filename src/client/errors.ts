import type { UpstreamErrorCode } from '../errors/codes.js';

/**
 * Typed upstream errors. Every failure of a Clarify call surfaces as a `ClarifyError`: the GraphQL
 * layer turns the codes the error table marks as user errors into `userErrors` and the rest into
 * `extensions.code`. A `ClarifyError` never carries the credential, a request header or a URL.
 */

/** The codes a Clarify call can fail with: the upstream rows of the error table. */
export type ClarifyErrorCode = UpstreamErrorCode;

export interface ClarifyIssue {
  /** Human-readable problem, as the upstream (or the client) described it. */
  detail: string;
  /** JSON pointer into the request body (`/data/attributes/stage`, `/data/3/attributes/name`). */
  pointer?: string;
  /** Query parameter the problem is about (`filter[amount][Greater then]`). */
  parameter?: string;
}

export interface ClarifyErrorInit {
  code: ClarifyErrorCode;
  route: string;
  status?: number;
  issues?: ClarifyIssue[];
  /** Upstream calls made for this logical call, retries included. */
  attempts?: number;
  /** A sanitised description of the underlying failure (never a raw transport error). */
  cause?: Error;
  /** For `OUTCOME_UNKNOWN`: how the last attempt failed (`UPSTREAM_TIMEOUT`, …). */
  failure?: ClarifyErrorCode;
}

const kClarifyError: unique symbol = Symbol.for('clarify-graphql.ClarifyError');

export class ClarifyError extends Error {
  /** Whether `value` is a `ClarifyError`, made by this copy of the module or any other (undici's brands). */
  static is(value: unknown): value is ClarifyError {
    return typeof value === 'object' && value !== null && Reflect.get(value, kClarifyError) === true;
  }

  get [kClarifyError](): true {
    return true;
  }

  override readonly name = 'ClarifyError';
  readonly code: ClarifyErrorCode;
  /** HTTP status of the last upstream response; absent when none was received. */
  readonly status?: number;
  /** Route template of the call, e.g. `GET /objects/:object/resources`. */
  readonly route: string;
  readonly issues: ClarifyIssue[];
  /** Upstream attempts made for the logical call; set by the transport when it gives up. */
  attempts: number;
  /** The upstream's `Retry-After` on a 429/503, in ms, for callers that pass it on. */
  retryAfterMs?: number;
  /** For `OUTCOME_UNKNOWN`: how the last attempt failed (`UPSTREAM_TIMEOUT`, `UPSTREAM_UNAVAILABLE`, …). */
  readonly failure?: ClarifyErrorCode;

  constructor(message: string, init: ClarifyErrorInit) {
    super(message, init.cause ? { cause: init.cause } : undefined);
    this.code = init.code;
    if (init.status !== undefined) this.status = init.status;
    this.route = init.route;
    this.issues = init.issues ?? [];
    this.attempts = init.attempts ?? 1;
    if (init.failure !== undefined) this.failure = init.failure;
  }

  /** True when a write failed after it may have reached Clarify: it may or may not have been applied. */
  get mayHaveBeenWritten(): boolean {
    return this.code === 'OUTCOME_UNKNOWN';
  }
}

/**
 * The error for a write that failed after it may have been applied: `OUTCOME_UNKNOWN`, with how
 * it failed in `failure` (the failure of an earlier unknown outcome is kept).
 */
export function outcomeUnknown(error: ClarifyError, route: string): ClarifyError {
  if (error.code === 'OUTCOME_UNKNOWN') return error;
  const unknown = new ClarifyError(`Clarify ${route}: the write may or may not have been applied (${error.code}: ${error.message})`, {
    code: 'OUTCOME_UNKNOWN',
    failure: error.code,
    route,
    ...(error.status !== undefined ? { status: error.status } : {}),
    issues: [...error.issues, { detail: 'The write reached Clarify but its answer was lost; it may or may not have been applied' }],
  });
  unknown.attempts = error.attempts;
  return unknown;
}

/** The error code for an HTTP status; the status decides, never the body. */
export function codeForStatus(status: number): ClarifyErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 422:
      return 'VALIDATION';
    case 429:
      return 'RATE_LIMITED';
    case 504:
      return 'UPSTREAM_TIMEOUT';
    default:
      if (status >= 500 && status <= 599) return 'UPSTREAM_UNAVAILABLE';
      if (status >= 400 && status <= 499) return 'BAD_REQUEST';
      return 'UPSTREAM_BAD_RESPONSE';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Reads the problems out of an upstream error body. Accepts JSON:API `errors[]` (string or number
 * `status`, optional `title`/`detail`, `source.pointer`/`source.parameter`) and the NestJS shape
 * `{statusCode, message: string | string[], error}`. Anything else yields no issues.
 */
export function parseErrorIssues(body: unknown): ClarifyIssue[] {
  if (!isRecord(body)) return [];
  const issues: ClarifyIssue[] = [];
  if (Array.isArray(body.errors)) {
    for (const entry of body.errors) {
      if (typeof entry === 'string') {
        if (entry.trim() !== '') issues.push({ detail: entry });
        continue;
      }
      if (!isRecord(entry)) continue;
      const detail =
        nonEmptyString(entry.detail) ?? nonEmptyString(entry.title) ?? nonEmptyString(entry.message) ?? nonEmptyString(entry.code);
      const issue: ClarifyIssue = { detail: detail ?? 'Request failed' };
      const source = isRecord(entry.source) ? entry.source : undefined;
      const pointer = nonEmptyString(source?.pointer) ?? nonEmptyString(entry.pointer);
      const parameter = nonEmptyString(source?.parameter) ?? nonEmptyString(entry.parameter);
      if (pointer !== undefined) issue.pointer = pointer;
      if (parameter !== undefined) issue.parameter = parameter;
      issues.push(issue);
    }
    return issues;
  }
  const message = body.message;
  if (Array.isArray(message)) {
    for (const item of message) {
      const text = nonEmptyString(item);
      if (text !== undefined) issues.push({ detail: text });
    }
  } else {
    const text = nonEmptyString(message);
    if (text !== undefined) issues.push({ detail: text });
  }
  if (issues.length === 0) {
    const text = nonEmptyString(body.error) ?? nonEmptyString(body.detail) ?? nonEmptyString(body.title);
    if (text !== undefined) issues.push({ detail: text });
  }
  return issues;
}

/**
 * Removes every occurrence of the secret parts of a credential from upstream text. The whole
 * header value and the token after the scheme are both scrubbed, so an upstream echoing
 * "invalid key abc" cannot carry the key into our errors.
 */
export function makeScrubber(credential: string): (text: string) => string {
  const secrets = new Set<string>();
  const trimmed = credential.trim();
  if (trimmed.length >= 4) secrets.add(trimmed);
  const space = trimmed.indexOf(' ');
  if (space > 0) {
    const token = trimmed.slice(space + 1).trim();
    if (token.length >= 4) secrets.add(token);
  }
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const secret of ordered) out = out.split(secret).join('[redacted]');
    return out;
  };
}

const MAX_DETAIL_CHARS = 500;

function sanitiseIssue(issue: ClarifyIssue, scrub: (text: string) => string): ClarifyIssue {
  const clean: ClarifyIssue = { detail: scrub(issue.detail).slice(0, MAX_DETAIL_CHARS) };
  if (issue.pointer !== undefined) clean.pointer = scrub(issue.pointer).slice(0, MAX_DETAIL_CHARS);
  if (issue.parameter !== undefined) clean.parameter = scrub(issue.parameter).slice(0, MAX_DETAIL_CHARS);
  return clean;
}

/** Builds the error for a non-2xx upstream response. */
export function errorFromResponse(
  status: number,
  body: unknown,
  route: string,
  scrub: (text: string) => string,
): ClarifyError {
  const code = codeForStatus(status);
  const parsed = parseErrorIssues(body).map((issue) => sanitiseIssue(issue, scrub));
  const issues = parsed.length > 0 ? parsed : [{ detail: defaultDetail(status) }];
  const summary = issues.map((issue) => issue.detail).join('; ');
  return new ClarifyError(`Clarify ${route} answered ${status}: ${summary}`, { code, status, route, issues });
}

function defaultDetail(status: number): string {
  switch (codeForStatus(status)) {
    case 'UNAUTHENTICATED':
      return 'The credential was missing or not accepted';
    case 'FORBIDDEN':
      return 'The credential may not access this resource';
    case 'NOT_FOUND':
      return 'Not found';
    case 'RATE_LIMITED':
      return 'Rate limit exceeded';
    case 'UPSTREAM_TIMEOUT':
      return 'The upstream timed out';
    case 'UPSTREAM_UNAVAILABLE':
      return 'The upstream failed';
    default:
      return 'Request failed';
  }
}
