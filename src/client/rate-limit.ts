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

type HeaderValue = string | string[] | undefined;

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
