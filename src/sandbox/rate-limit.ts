/** A rolling-window request budget per key (the sandbox keys by `"METHOD /route/template"`). */

export interface RateState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the oldest counted request leaves the window. */
  resetSeconds: number;
}

interface Log {
  times: number[];
  head: number;
}

export class RateLimiter {
  private readonly logs = new Map<string, Log>();

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  private prune(key: string, now: number): Log {
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = { times: [], head: 0 }));
    while (log.head < log.times.length && log.times[log.head]! <= now - this.windowMs) log.head++;
    if (log.head > 1024) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    return log;
  }

  private state(log: Log, now: number, allowed: boolean): RateState {
    const used = log.times.length - log.head;
    const oldest = log.times[log.head];
    const resetSeconds = oldest === undefined ? Math.ceil(this.windowMs / 1000) : Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
    return { allowed, limit: this.limit, remaining: Math.max(0, this.limit - used), resetSeconds };
  }

  /** Counts a request if the budget allows it. */
  take(key: string, now = Date.now()): RateState {
    const log = this.prune(key, now);
    if (log.times.length - log.head >= this.limit) return this.state(log, now, false);
    log.times.push(now);
    return this.state(log, now, true);
  }

  /** The current state without counting anything. */
  peek(key: string, now = Date.now()): RateState {
    return this.state(this.prune(key, now), now, true);
  }

  reset(): void {
    this.logs.clear();
  }
}

export function rateHeaders(state: RateState): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(state.limit),
    'X-RateLimit-Remaining': String(state.remaining),
    'X-RateLimit-Reset': String(state.resetSeconds),
  };
}
