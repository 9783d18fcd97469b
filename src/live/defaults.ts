/**
 * Subscription settings and their defaults, written once: the library's `createGateway` and the
 * environment parser both read them from here. This module imports nothing.
 */
/** Tuning of subscriptions; every field has the default of the matching environment variable. */
export interface LiveOptions {
  /** Shortest time between two polls of one feed, in ms (`SUBSCRIPTION_MIN_INTERVAL_MS`). Default 2000. */
  minIntervalMs?: number;
  /** Longest back-off after 429/5xx answers, in ms. Default 60 000. */
  maxIntervalMs?: number;
  /**
   * Polls per minute all feeds of the workspace may spend together (`SUBSCRIPTION_POLLS_PER_MINUTE`):
   * with many feeds each one polls less often. Default 600, a fifth of Clarify's 3000 per endpoint.
   */
  pollsPerMinute?: number;
  /** Records per poll page. Default 100. */
  pageSize?: number;
  /** Pages one poll reads at most; the rest follows at the shortest interval. Default 10. */
  maxPagesPerPoll?: number;
  /**
   * Active subscriptions per caller (`MAX_SUBSCRIPTIONS_PER_CREDENTIAL`): per gateway token in
   * server-key mode, per credential in pass-through mode. Default 100.
   */
  maxPerCredential?: number;
  /** Distinct feeds (credential, object, filter) polled at once (`MAX_SUBSCRIPTION_POLLERS`). Default 50. */
  maxPollers?: number;
  /**
   * The percentage of `maxPollers` one caller may open (`SUBSCRIPTION_POLLER_SHARE`), at least one
   * feed: a feed counts against the caller who opened it until it closes. Default 20 (10 of 50).
   */
  pollerShare?: number;
  /** Time budget of one poll in ms, retries included. Default 15 000. */
  pollTimeoutMs?: number;
  /**
   * With Redis: how long a replica's lease on a feed lasts without renewal, in ms
   * (`SUBSCRIPTION_LEASE_MS`). It is renewed every third of this; when its holder dies another
   * replica takes the feed over within about 1⅓ of this. Default 10 000.
   */
  leaseMs?: number;
}

export const LIVE_DEFAULTS: Required<LiveOptions> = {
  minIntervalMs: 2000,
  maxIntervalMs: 60_000,
  pollsPerMinute: 600,
  pageSize: 100,
  maxPagesPerPoll: 10,
  maxPerCredential: 100,
  maxPollers: 50,
  pollerShare: 20,
  pollTimeoutMs: 15_000,
  leaseMs: 10_000,
};

/** Active operations per WebSocket connection (`MAX_SUBSCRIPTIONS_PER_CONNECTION`). */
export const DEFAULT_MAX_PER_CONNECTION = 25;
