import { ClarifyError, type ClarifyErrorCode } from '../client/errors.js';
import type { CallOptions } from '../client/types.js';
import type { PollSource } from './sources.js';
import type { FeedMessage } from './types.js';

/** How often a poller may run, in ms. */
export interface PollTiming {
  /** Shortest interval between polls (`SUBSCRIPTION_MIN_INTERVAL_MS`). */
  minIntervalMs: number;
  /** Longest wait after repeated 429/5xx answers. */
  maxIntervalMs: number;
  /** The interval the rate budget allows now (grows with the number of pollers). */
  budgetIntervalMs: () => number;
}

export type PollOutcome = 'ok' | 'backoff' | 'failed';

export interface PollerOptions {
  source: PollSource;
  timing: PollTiming;
  /** Call options of every upstream call (credential, recorder); a fresh deadline is set per poll. */
  call: CallOptions;
  callTimeoutMs: number;
  /** Receives the changes of each poll (at least one), or the error that ends the feed. */
  emit: (message: FeedMessage) => void | Promise<void>;
  /** After each poll, before the next is scheduled (e.g. to save the watermark). */
  afterPoll?: (outcome: PollOutcome) => void | Promise<void>;
  /** Once, when the poller stops: stopped by its owner, or ended by a failure. */
  onStopped?: () => void;
}

/** Upstream failures a poller waits out; anything else ends the feed with an error. */
const TRANSIENT = new Set(['RATE_LIMITED', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_BAD_RESPONSE', 'CONFLICT']);

/**
 * Runs one poll source on a timer: never two polls at once, the next one `interval` after the
 * last ended. On 429/5xx it backs off (doubling, or the upstream's `Retry-After`), keeps its
 * watermark, and resumes where it stopped, so nothing is lost and subscribers stay connected.
 */
export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private backoffMs = 0;
  private lastDelayMs: number;
  private inflight: Promise<void> | undefined;

  constructor(private readonly options: PollerOptions) {
    this.lastDelayMs = options.timing.minIntervalMs;
  }

  /** Establishes the watermark, then polls on the timer. */
  start(): void {
    this.schedule(0);
  }

  /** The current wait between polls, for polls-per-minute figures. */
  get intervalMs(): number {
    return this.lastDelayMs;
  }

  async stop(): Promise<void> {
    this.halt();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inflight?.catch(() => undefined);
  }

  private halt(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.options.onStopped?.();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inflight = this.tick();
    }, delay);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    const { timing } = this.options;
    let outcome: PollOutcome = 'ok';
    let more = false;
    try {
      const call: CallOptions = { ...this.options.call, deadline: Date.now() + this.options.callTimeoutMs };
      await this.options.source.start(call);
      if (this.stopped) return;
      const result = await this.options.source.poll(call);
      if (this.stopped) return;
      more = result.more;
      if (result.events.length > 0) await this.options.emit({ events: result.events });
      this.backoffMs = 0;
    } catch (error) {
      const code = ClarifyError.is(error) ? error.code : 'UPSTREAM_UNAVAILABLE';
      if (ClarifyError.is(error) && !TRANSIENT.has(code)) {
        outcome = 'failed';
        this.halt();
        await this.options.emit({ error: { code, message: failureMessage(code) } });
      } else {
        outcome = 'backoff';
        const retryAfter = ClarifyError.is(error) ? (error.retryAfterMs ?? 0) : 0;
        this.backoffMs = Math.min(timing.maxIntervalMs, Math.max(retryAfter, this.backoffMs > 0 ? this.backoffMs * 2 : timing.minIntervalMs * 2));
      }
    } finally {
      this.running = false;
    }
    await this.options.afterPoll?.(outcome);
    if (this.stopped) return;
    // A read cut short by its page limit continues at the shortest interval.
    const interval = more ? timing.minIntervalMs : Math.max(timing.minIntervalMs, timing.budgetIntervalMs());
    this.lastDelayMs = Math.max(interval, this.backoffMs);
    this.schedule(this.lastDelayMs);
  }
}

function failureMessage(code: ClarifyErrorCode): string {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Clarify rejected the credential of this subscription; subscribe again with a valid one.';
    case 'FORBIDDEN':
      return 'The credential of this subscription may no longer read these records.';
    case 'BAD_REQUEST':
      return 'Clarify refused the subscription filter.';
    case 'NOT_FOUND':
      return 'The object of this subscription no longer exists in the workspace.';
    default:
      return 'The subscription stopped because Clarify could not be read.';
  }
}
