import { credentialFingerprint } from './credential-fingerprint.js';

/**
 * Proactive pacing from `X-RateLimit-*` headers. Clarify limits per endpoint (method + path
 * template), so budgets are kept per route. While a route has plenty left, requests go out at
 * once; when it runs low, the remaining requests are spread evenly until the window resets;
 * when it is spent, requests wait for the reset instead of drawing a 429.
 */

export interface RateLimitPacerOptions {
  /** Fraction of the limit below which pacing starts. Default 0.05 (150 of 3000). */
  lowWaterFraction?: number;
  /** Pacing threshold when the upstream does not send `X-RateLimit-Limit`. Default 10. */
  defaultLowWater?: number;
}

interface RouteBudget {
  limit: number | undefined;
  remaining: number;
  resetAt: number;
  nextSlotAt: number;
}

export type HeaderValue = string | string[] | undefined;

function headerNumber(value: HeaderValue): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Milliseconds until reset from `X-RateLimit-Reset`: Clarify sends whole seconds until reset;
 * epoch seconds or epoch milliseconds are recognised by size. Never less than one second, since
 * "0" means "within the current second".
 */
export function resetDelayMs(reset: number, now: number): number {
  if (reset > 1e12) return Math.max(1000, reset - now);
  if (reset > 1e9) return Math.max(1000, reset * 1000 - now);
  return Math.max(1000, Math.ceil(reset * 1000));
}

export class RateLimitPacer {
  private readonly budgets = new Map<string, RouteBudget>();
  private readonly lowWaterFraction: number;
  private readonly defaultLowWater: number;

  constructor(options: RateLimitPacerOptions = {}) {
    this.lowWaterFraction = options.lowWaterFraction ?? 0.05;
    this.defaultLowWater = options.defaultLowWater ?? 10;
  }

  /** Records the budget a response reported for its route. */
  observe(route: string, headers: Record<string, HeaderValue>, now: number = Date.now()): void {
    const remaining = headerNumber(headers['x-ratelimit-remaining']);
    if (remaining === undefined) return;
    const reset = headerNumber(headers['x-ratelimit-reset']);
    const limit = headerNumber(headers['x-ratelimit-limit']);
    const previous = this.budgets.get(route);
    this.budgets.set(route, {
      limit,
      remaining: Math.floor(remaining),
      resetAt: now + (reset === undefined ? 60_000 : resetDelayMs(reset, now)),
      nextSlotAt: previous?.nextSlotAt ?? now,
    });
  }

  /**
   * Books a slot for one request on the route and returns how long to wait before sending it
   * (0 when it may go now).
   */
  reserve(route: string, now: number = Date.now()): number {
    const budget = this.budgets.get(route);
    if (!budget) return 0;
    if (now >= budget.resetAt) {
      this.budgets.delete(route);
      return 0;
    }
    if (budget.remaining <= 0) return budget.resetAt - now;
    if (budget.remaining > this.lowWater(budget)) {
      budget.remaining -= 1;
      return 0;
    }
    const sendAt = Math.max(now, budget.nextSlotAt);
    budget.nextSlotAt = sendAt + Math.max(0, budget.resetAt - sendAt) / budget.remaining;
    budget.remaining -= 1;
    return Math.ceil(sendAt - now);
  }

  private lowWater(budget: RouteBudget): number {
    if (budget.limit === undefined || budget.limit <= 0) return this.defaultLowWater;
    return Math.max(1, Math.ceil(budget.limit * this.lowWaterFraction));
  }
}

/** What a rate budget is kept for: one endpoint, called with one credential. */
export interface RateKey {
  /** Route template, e.g. `GET /objects/:object/resources`. */
  route: string;
  /** The `Authorization` value sent upstream; budgets keep only a hash of it. */
  credential: string;
}

/**
 * Where the client takes permission for each upstream call. The default keeps budgets in this
 * process (`LocalRateBudget`); a gateway with Redis shares one budget among its replicas.
 */
export interface RateBudget {
  /**
   * Books one call and resolves with the milliseconds to wait before sending it (0: now). When
   * the wait would be longer than `maxWaitMs`, nothing is booked and that longer wait is returned.
   * A shared budget answers by `deadline` (epoch ms, the request's), falling back to a local one.
   */
  reserve(key: RateKey, maxWaitMs: number, deadline?: number): Promise<number>;
  /** Learns from a response's `X-RateLimit-*` headers. */
  observe(key: RateKey, headers: Record<string, HeaderValue>): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full ones (which carry no information) are swept. */
const SWEEP_AT = 10_000;

/**
 * Token buckets refilled at a configured rate, one per key: the budget when Clarify sends no
 * rate headers. A full minute's calls may go at once (Clarify's window is a rolling minute);
 * after that they are spread at the rate.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly perMinute: number) {}

  /** Books a token unless the wait would exceed `maxWaitMs`; returns the wait. */
  take(key: string, maxWaitMs: number, now: number = Date.now()): number {
    const capacity = this.perMinute;
    const perMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    const tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    const wait = tokens >= 1 ? 0 : Math.ceil((1 - tokens) / perMs);
    if (wait > maxWaitMs) return wait;
    if (this.buckets.size >= SWEEP_AT && !this.buckets.has(key)) this.sweep(now);
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return wait;
  }

  private sweep(now: number): void {
    const perMs = this.perMinute / 60_000;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}

export interface LocalRateBudgetOptions extends RateLimitPacerOptions {
  /** Calls per minute per credential and endpoint when Clarify sends no rate headers. Default 3000. */
  perMinute?: number;
}

/** This process's budget: the configured rate, and pacing from the headers Clarify sends. */
export class LocalRateBudget implements RateBudget {
  private readonly pacer: RateLimitPacer;
  private readonly buckets: TokenBuckets;

  constructor(options: LocalRateBudgetOptions = {}) {
    this.pacer = new RateLimitPacer(options);
    this.buckets = new TokenBuckets(options.perMinute ?? 3000);
  }

  reserve(key: RateKey, maxWaitMs: number): Promise<number> {
    const id = `${credentialFingerprint(key.credential)} ${key.route}`;
    const bucketWait = this.buckets.take(id, maxWaitMs);
    if (bucketWait > maxWaitMs) return Promise.resolve(bucketWait);
    return Promise.resolve(Math.max(bucketWait, this.pacer.reserve(id)));
  }

  observe(key: RateKey, headers: Record<string, HeaderValue>): void {
    this.pacer.observe(`${credentialFingerprint(key.credential)} ${key.route}`, headers);
  }
}
