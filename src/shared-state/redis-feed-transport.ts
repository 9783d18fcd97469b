import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { FeedHandle, FeedTransport, PollerFactory } from '../live/feeds.js';
import type { Poller } from '../live/poller.js';
import type { SavedWatermark } from '../live/sources.js';
import { isErrorCode } from '../errors/codes.js';
import type { ChangeEvent, FeedMessage } from '../live/types.js';

/**
 * Subscription feeds across replicas. Every replica with subscribers of a feed listens on the
 * feed's pub/sub channel; one of them, the holder of the feed's lease, polls Clarify and publishes.
 *
 * Keys (all under the shared key prefix; `<feed>` is `<credential hash (SHA-256, base64url, 22 characters)>:<object>:<filter hash>`,
 * never the credential itself):
 * - `live:lease:<feed>`: the lease, `SET NX PX leaseMs` with a random token, renewed every third
 *   of the lease by a script that extends it only while the token is still ours. A replica that
 *   dies stops renewing; another one with subscribers takes the lease when it expires, within
 *   `leaseMs` plus one attempt period (a third of `leaseMs`).
 * - `live:watermark:<feed>`: where the next poll starts. The holder writes it in the same script
 *   that publishes a poll's events, and only while its token still holds the lease, so the
 *   events and the watermark move together: a new holder resumes exactly after the last
 *   published poll. It expires three lease periods after the last holder's last renewal.
 * - channel `<prefix>live:events:<feed>`: the poll results, JSON.
 * - `live:feeds`: a sorted set of the feeds polled in the deployment, scored by when their lease
 *   ends; its size is what each replica divides the poll budget by.
 *
 * Each replica parses a message once and hands the same event objects to all its subscribers,
 * so the nested selection of an event is read at most once per replica and selection.
 * A replica also drops an event it has delivered before (same kind, id and time), which covers
 * the one way an event could be published twice: a script that ran but whose reply was lost.
 */
export interface RedisFeedTransportOptions {
  /** A connection for commands (lease, watermark, publish); its `keyPrefix` applies to keys. */
  redis: Redis;
  /** Prepended to channel names (pub/sub ignores `keyPrefix`). */
  keyPrefix: string;
  /** How long a lease lives without renewal, in ms (`SUBSCRIPTION_LEASE_MS`). */
  leaseMs: number;
  /** Called when this replica takes or loses a lease (for figures and logs). */
  onLease?: (key: string, held: boolean) => void;
  /** Called when Redis refused a command (the feed retries on its next attempt). */
  onError?: (error: unknown) => void;
}

/** Extends the lease (and the watermark's life) while the token is still ours. */
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

/** Publishes a poll's messages and stores its watermark, both only while the token holds the lease. */
const PUBLISH_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
if ARGV[4] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5]) end
return 1
`;

/** Gives the lease up if it is still ours. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const FEEDS_KEY = 'live:feeds';

/** Events remembered per feed to drop a repeated publication. */
const SEEN_LIMIT = 2000;

/** Identifies this process in lease tokens (readable by operators; no secret). */
const INSTANCE = `${hostname()}/${process.pid}`;

export class RedisFeedTransport implements FeedTransport {
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, (message: FeedMessage) => void>();
  private closed = false;
  private polledFeeds = 0;
  private readonly census: NodeJS.Timeout;

  constructor(private readonly options: RedisFeedTransportOptions) {
    // A subscribed connection can run no other command; ioredis subscribes it again after a reconnect.
    this.subscriber = options.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
    this.subscriber.on('error', (error: unknown) => options.onError?.(error));
    this.subscriber.on('message', (channel: string, text: string) => {
      const deliver = this.channels.get(channel);
      if (!deliver) return;
      const message = parseMessage(text);
      if (message) deliver(message);
    });
    this.census = setInterval(() => void this.count(), Math.max(50, Math.floor(options.leaseMs / 3)));
    this.census.unref?.();
  }

  /** Feeds polled in the whole deployment (by any replica), as last counted in Redis. */
  activeFeeds(): number {
    return this.polledFeeds;
  }

  /** Drops feeds whose lease ended without a goodbye, and counts the rest. */
  private async count(): Promise<void> {
    if (this.channels.size === 0) {
      this.polledFeeds = 0;
      return;
    }
    try {
      await this.options.redis.zremrangebyscore(FEEDS_KEY, '-inf', Date.now());
      this.polledFeeds = await this.options.redis.zcard(FEEDS_KEY);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  open(key: string, deliver: (message: FeedMessage) => void, makePoller: PollerFactory): FeedHandle {
    const channel = `${this.options.keyPrefix}live:events:${key}`;
    const seen = new SeenEvents(SEEN_LIMIT);
    this.channels.set(channel, (message) => {
      if ('error' in message) return deliver(message);
      const events = message.events.filter((event) => seen.first(event));
      if (events.length > 0) deliver({ events });
    });
    const lease = new FeedLease(this.options, key, channel, makePoller);
    const subscribed = this.subscriber.subscribe(channel).then(
      () => lease.begin(),
      (error: unknown) => {
        this.options.onError?.(error);
        lease.begin();
      },
    );
    return {
      close: async () => {
        await subscribed;
        this.channels.delete(channel);
        await lease.end();
        await this.subscriber.unsubscribe(channel).catch((error: unknown) => this.options.onError?.(error));
        await this.forgetIfUnwatched(key, channel);
      },
    };
  }

  /**
   * When no replica listens to the feed any more, its watermark goes too: a later first
   * subscriber starts from "now", as it would in one process, not from where the last one left.
   */
  private async forgetIfUnwatched(key: string, channel: string): Promise<void> {
    try {
      const counts = (await this.options.redis.pubsub('NUMSUB', channel)) as unknown[];
      if (Number(counts[1]) === 0) await this.options.redis.del(`live:watermark:${key}`);
    } catch (error) {
      // It expires three lease periods after the last renewal anyway.
      this.options.onError?.(error);
    }
  }

  /** Ends the pub/sub connection; feeds must be closed first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.census);
    try {
      await this.subscriber.quit();
    } catch {
      this.subscriber.disconnect();
    }
  }
}

/** The lease of one feed in this replica: tries to take it, polls while holding it. */
class FeedLease {
  private readonly leaseKey: string;
  private readonly watermarkKey: string;
  private token: string | undefined;
  private poller: Poller | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  /** The watermark this replica stored last, in case Redis lost its copy meanwhile. */
  private lastSaved: SavedWatermark | null | undefined;
  private pending: FeedMessage[] = [];
  private busy: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: RedisFeedTransportOptions,
    private readonly key: string,
    private readonly channel: string,
    private readonly makePoller: PollerFactory,
  ) {
    this.leaseKey = `live:lease:${key}`;
    this.watermarkKey = `live:watermark:${key}`;
  }

  begin(): void {
    if (this.ended) return;
    this.step();
  }

  async end(): Promise<void> {
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.busy;
    await this.relinquish(true);
  }

  private get periodMs(): number {
    return Math.max(50, Math.floor(this.options.leaseMs / 3));
  }

  /** One attempt: renew the lease when holding it, else try to take it. Serialised with `busy`. */
  private step(): void {
    this.busy = this.busy
      .then(() => (this.token ? this.renew() : this.acquire()))
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        if (this.ended) return;
        this.timer = setTimeout(() => this.step(), this.periodMs);
        this.timer.unref?.();
      });
  }

  private async acquire(): Promise<void> {
    const token = `${INSTANCE}/${randomUUID()}`;
    const taken = await this.options.redis.set(this.leaseKey, token, 'PX', this.options.leaseMs, 'NX');
    if (taken !== 'OK' || this.ended) {
      if (taken === 'OK') await this.options.redis.eval(RELEASE_SCRIPT, 1, this.leaseKey, token);
      return;
    }
    this.token = token;
    await this.register();
    let restore: SavedWatermark | null;
    try {
      const text = await this.options.redis.get(this.watermarkKey);
      restore = text === null ? (this.lastSaved ?? null) : parseWatermark(text);
    } catch (error) {
      await this.relinquish(false);
      throw error;
    }
    this.options.onLease?.(this.key, true);
    this.poller = this.makePoller({
      ...(restore ? { restore } : {}),
      publish: (message) => {
        this.pending.push(message);
      },
      afterPoll: (_outcome, saved) => this.flush(token, saved),
    });
    this.poller.start();
  }

  private async renew(): Promise<void> {
    const token = this.token;
    if (!token) return;
    let renewed: unknown;
    try {
      renewed = await this.options.redis.eval(RENEW_SCRIPT, 2, this.leaseKey, this.watermarkKey, token, String(this.options.leaseMs), String(this.options.leaseMs * 3));
    } catch (error) {
      // Unsure whether the lease still holds: stop polling; the watermark in Redis is where the
      // next holder (maybe this replica again) resumes.
      await this.relinquish(false);
      throw error;
    }
    if (renewed !== 1) await this.relinquish(false);
    else await this.register();
  }

  /** Counts this feed among the deployment's polled feeds until its lease would end. */
  private async register(): Promise<void> {
    await this.options.redis.zadd(FEEDS_KEY, Date.now() + this.options.leaseMs, this.key).catch((error: unknown) => this.options.onError?.(error));
  }

  /** Publishes what the poll found with its watermark; a refusal ends this replica's polling. */
  private async flush(token: string, saved: SavedWatermark | null): Promise<void> {
    const messages = this.pending;
    this.pending = [];
    if (this.token !== token) return;
    const payload = messages.length === 0 ? '' : JSON.stringify(mergeMessages(messages));
    let done: unknown;
    try {
      done = await this.options.redis.eval(
        PUBLISH_SCRIPT,
        2,
        this.leaseKey,
        this.watermarkKey,
        token,
        this.channel,
        payload,
        saved ? JSON.stringify(saved) : '',
        String(this.options.leaseMs * 3),
      );
    } catch (error) {
      this.options.onError?.(error);
      done = 0;
    }
    if (done === 1) {
      this.lastSaved = saved;
      return;
    }
    // Not published: whoever polls next starts from the stored watermark and reads these again.
    void this.stopPolling();
  }

  private async relinquish(release: boolean): Promise<void> {
    const token = this.token;
    await this.stopPolling();
    if (release && token) {
      await this.options.redis.eval(RELEASE_SCRIPT, 1, this.leaseKey, token).catch(() => undefined);
      await this.options.redis.zrem(FEEDS_KEY, this.key).catch(() => undefined);
    }
  }

  private async stopPolling(): Promise<void> {
    const poller = this.poller;
    const held = this.token !== undefined;
    this.token = undefined;
    this.poller = undefined;
    this.pending = [];
    if (held) this.options.onLease?.(this.key, false);
    await poller?.stop();
  }
}

/** One message per poll: events joined, or the error that ends the feed. */
function mergeMessages(messages: FeedMessage[]): FeedMessage {
  const error = messages.find((message) => 'error' in message);
  if (error) return error;
  return { events: messages.flatMap((message) => ('events' in message ? message.events : [])) };
}

class SeenEvents {
  private readonly keys = new Set<string>();

  constructor(private readonly limit: number) {}

  /** True the first time an event is offered. */
  first(event: ChangeEvent): boolean {
    const key = `${event.kind}\u0000${event.id}\u0000${event.changedAt}`;
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.limit) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A message from the channel, or undefined when it is not one this gateway writes. */
export function parseMessage(text: string): FeedMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (isRecord(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string') {
    // A code this version's table lacks (a newer replica's) still ends the feed, as a failed read.
    const code = isErrorCode(value.error.code) ? value.error.code : 'UPSTREAM_UNAVAILABLE';
    return { error: { code, message: value.error.message } };
  }
  if (!Array.isArray(value.events)) return undefined;
  const events: ChangeEvent[] = [];
  const items: unknown[] = value.events;
  for (const item of items) {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.changedAt !== 'string' || typeof item.object !== 'string') continue;
    if (item.kind !== 'CREATED' && item.kind !== 'UPDATED' && item.kind !== 'DELETED') continue;
    events.push({
      kind: item.kind,
      object: item.object,
      id: item.id,
      changedAt: item.changedAt,
      record: isRecord(item.record) ? (item.record as unknown as ChangeEvent['record']) : null,
      included: Array.isArray(item.included) ? (item.included.filter(isRecord) as unknown as ChangeEvent['included']) : [],
    });
  }
  return { events };
}

function parseWatermark(text: string): SavedWatermark | null {
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value) && typeof value.at === 'string' && Array.isArray(value.ids) && value.ids.every((id): id is string => typeof id === 'string')) {
      return { at: value.at, ids: value.ids };
    }
  } catch {
    // fall through: a watermark this gateway did not write starts a new baseline
  }
  return null;
}
