import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryable, parseRetryAfter, retryDelay } from '../../src/client/retry.js';
import { RateLimitPacer, resetDelayMs } from '../../src/client/rate-limit.js';

describe('retry rules', () => {
  it('retries idempotent calls on 429/502/503/504, connection errors, timeouts and malformed bodies', () => {
    for (const status of [429, 502, 503, 504]) expect(isRetryable({ kind: 'status', status }, 'idempotent')).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 422, 500]) expect(isRetryable({ kind: 'status', status }, 'idempotent')).toBe(false);
    expect(isRetryable({ kind: 'connection' }, 'idempotent')).toBe(true);
    expect(isRetryable({ kind: 'timeout' }, 'idempotent')).toBe(true);
    expect(isRetryable({ kind: 'malformed' }, 'idempotent')).toBe(true);
    expect(isRetryable({ kind: 'fatal' }, 'idempotent')).toBe(false);
  });

  it('retries a non-idempotent write only when it was certainly not processed', () => {
    expect(isRetryable({ kind: 'status', status: 429 }, 'once')).toBe(true);
    expect(isRetryable({ kind: 'not-sent' }, 'once')).toBe(true);
    for (const status of [500, 502, 503, 504]) expect(isRetryable({ kind: 'status', status }, 'once')).toBe(false);
    expect(isRetryable({ kind: 'connection' }, 'once')).toBe(false);
    expect(isRetryable({ kind: 'timeout' }, 'once')).toBe(false);
    expect(isRetryable({ kind: 'malformed' }, 'once')).toBe(false);
  });
});

describe('backoff maths', () => {
  it('draws uniformly below base * 2^(attempt-1), capped', () => {
    expect(backoffDelay(1, 250, 10_000, () => 0.999999)).toBe(249);
    expect(backoffDelay(2, 250, 10_000, () => 0.5)).toBe(250);
    expect(backoffDelay(3, 250, 10_000, () => 0.5)).toBe(500);
    expect(backoffDelay(10, 250, 10_000, () => 0.5)).toBe(5000);
    expect(backoffDelay(3, 250, 10_000, () => 0)).toBe(0);
  });

  it('treats Retry-After as a floor', () => {
    expect(retryDelay(1, 1000, 250, 10_000, () => 0.9)).toBe(1000);
    expect(retryDelay(5, 1000, 250, 10_000, () => 0.9)).toBe(3600);
    expect(retryDelay(1, undefined, 250, 10_000, () => 0.5)).toBe(125);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('1')).toBe(1000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(['2', '3'])).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});

describe('rate-limit pacing', () => {
  const route = 'GET /objects/:object/resources';

  it('does not pace while plenty is left', () => {
    const pacer = new RateLimitPacer();
    pacer.observe(route, { 'x-ratelimit-limit': '3000', 'x-ratelimit-remaining': '2000', 'x-ratelimit-reset': '30' }, 0);
    expect(pacer.reserve(route, 0)).toBe(0);
    expect(pacer.reserve('GET /users', 0)).toBe(0);
  });

  it('spreads the last requests of the window until the reset', () => {
    const pacer = new RateLimitPacer();
    pacer.observe(route, { 'x-ratelimit-limit': '3000', 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '10' }, 0);
    // 10 left over 10 s: one per second.
    expect(pacer.reserve(route, 0)).toBe(0);
    expect(pacer.reserve(route, 0)).toBe(1000);
    expect(pacer.reserve(route, 0)).toBe(2000);
  });

  it('waits for the reset when nothing is left, and forgets the window afterwards', () => {
    const pacer = new RateLimitPacer();
    pacer.observe(route, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }, 1000);
    expect(pacer.reserve(route, 1000)).toBe(2000);
    expect(pacer.reserve(route, 2500)).toBe(500);
    expect(pacer.reserve(route, 3000)).toBe(0);
  });

  it('ignores responses without rate-limit headers', () => {
    const pacer = new RateLimitPacer();
    pacer.observe(route, {}, 0);
    expect(pacer.reserve(route, 0)).toBe(0);
  });

  it('reads X-RateLimit-Reset as seconds, epoch seconds or epoch ms', () => {
    const now = 1_800_000_000_000;
    expect(resetDelayMs(5, now)).toBe(5000);
    expect(resetDelayMs(0, now)).toBe(1000);
    expect(resetDelayMs(now / 1000 + 7, now)).toBe(7000);
    expect(resetDelayMs(now + 4000, now)).toBe(4000);
  });
});
