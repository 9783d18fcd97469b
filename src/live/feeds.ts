import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { ClarifyClient } from '../client/clarify-client.js';
import { credentialFingerprint } from '../client/credential-fingerprint.js';
import { codedError } from '../errors/coded-error.js';
import type { CallRecorder, FilterCondition } from '../client/types.js';
import { LIVE_DEFAULTS, type LiveOptions } from './defaults.js';
import { Poller, type PollOutcome } from './poller.js';
import { ChangeSource, DeletionSource, type PollSource, type SavedWatermark } from './sources.js';
import { SubscriberQueue } from './subscriber-queue.js';
import type { FeedMessage, LiveDelivery } from './types.js';

export type { LiveOptions } from './defaults.js';

/** Where a feed's poller runs and how its messages reach subscribers. */
export interface FeedTransport {
  /**
   * Starts delivering `key`'s messages to `deliver`, and runs `startPoller` whenever this process
   * should poll for it (always, in one process; while it holds the lease, across replicas).
   */
  open(key: string, deliver: (message: FeedMessage) => void, poller: PollerFactory): FeedHandle;
  /** Feeds polled in the whole deployment, when the transport knows (across replicas). */
  activeFeeds?(): number;
}

export interface FeedHandle {
  close(): Promise<void>;
}

/** Makes the poller of a feed; `publish` sends its messages to every subscriber. */
export type PollerFactory = (hooks: {
  publish: (message: FeedMessage) => void | Promise<void>;
  restore?: SavedWatermark | null;
  afterPoll?: (outcome: PollOutcome, saved: SavedWatermark | null) => void | Promise<void>;
}) => Poller;

export interface LiveObserver {
  poll(object: string, outcome: PollOutcome): void;
}

/** What the schema's subscription fields find in the request context. */
export interface LiveContext {
  /** Absent when the gateway serves no subscriptions. */
  live?: LiveFeeds;
  /** Who subscription limits count the request against (`SubscribeRequest.caller`). */
  caller?: string;
}

export interface SubscribeRequest {
  /** Upstream credential; feeds are never shared across credentials. */
  credential: string;
  /**
   * Who the limits count this subscription against: a gateway token or a credential, hashed.
   * Default: the credential.
   */
  caller?: string;
  object: string;
  filter: FilterCondition[];
  /** Relationship paths the subscriber's selection wants included with each record. */
  include: string[];
  signal?: AbortSignal;
}

interface Feed {
  key: string;
  object: string;
  credentialKey: string;
  /** The caller whose poller share this feed uses. */
  opener: string;
  subscribers: Set<SubscriberQueue>;
  includes: Map<string, number>;
  handle: FeedHandle;
  pollers: Set<Poller>;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function limitError(message: string): GraphQLError {
  return codedError(message, 'SUBSCRIPTION_LIMIT_EXCEEDED');
}

/** In one process: the poller runs while the feed has subscribers; messages go straight to them. */
export const localFeedTransport: FeedTransport = {
  open(_key, deliver, makePoller) {
    const poller = makePoller({ publish: deliver });
    poller.start();
    return { close: () => poller.stop() };
  },
};

/** The deletions of one object for one credential, shared by every change feed of that object. */
interface DeletionFeed {
  key: string;
  /** Change feeds that listen to it. */
  users: number;
  handle: FeedHandle;
  pollers: Set<Poller>;
}

/**
 * Subscriptions fed by shared pollers. Every subscriber with the same credential, object and
 * compiled filter shares one feed and so one poller: a poll per interval however many subscribe.
 * The deletions of an object are polled once per credential for all its feeds. A feed stops
 * polling when its last subscriber leaves.
 */
export class LiveFeeds {
  private readonly options: Required<LiveOptions>;
  private readonly feeds = new Map<string, Feed>();
  private readonly deletions = new Map<string, DeletionFeed>();
  private readonly perCaller = new Map<string, number>();
  private readonly pollersPerCaller = new Map<string, number>();
  private closed = false;
  private polls = 0;
  private deletionPolls = 0;

  constructor(
    private readonly client: ClarifyClient,
    options: LiveOptions = {},
    private readonly deps: { transport?: FeedTransport; observer?: LiveObserver; recorder?: CallRecorder } = {},
  ) {
    this.options = { ...LIVE_DEFAULTS, ...options };
  }

  /** Subscribes to a feed; throws `SUBSCRIPTION_LIMIT_EXCEEDED` past a limit. */
  subscribe(request: SubscribeRequest): AsyncIterableIterator<LiveDelivery> {
    if (this.closed) throw new GraphQLError('The gateway is shutting down.', { extensions: { code: 'SHUTTING_DOWN' } });
    const credentialKey = credentialFingerprint(request.credential);
    const key = feedKey(credentialKey, request.object, request.filter);
    const caller = request.caller ?? credentialKey;
    const held = this.perCaller.get(caller) ?? 0;
    if (held >= this.options.maxPerCredential) {
      throw limitError(`This caller already holds ${held} subscriptions, the most allowed (MAX_SUBSCRIPTIONS_PER_CREDENTIAL); end one first.`);
    }
    let feed = this.feeds.get(key);
    if (!feed && this.feeds.size >= this.options.maxPollers) {
      throw limitError(
        `The gateway already polls ${this.feeds.size} distinct feeds, the most allowed (MAX_SUBSCRIPTION_POLLERS); ` +
          'subscribe with a filter another subscriber already uses, or try later.',
      );
    }
    const opened = this.pollersPerCaller.get(caller) ?? 0;
    if (!feed && opened >= this.pollerShare()) {
      throw limitError(
        `This caller already opened ${opened} distinct feeds, its share of MAX_SUBSCRIPTION_POLLERS (SUBSCRIPTION_POLLER_SHARE); ` +
          'end one, or subscribe with a filter one of them already uses.',
      );
    }
    if (!feed) feed = this.openFeed(key, credentialKey, caller, request);
    const subscribers = feed.subscribers;
    const theFeed = feed;
    const include = request.include;
    const queue = new SubscriberQueue(() => {
      subscribers.delete(queue);
      for (const path of include) decrement(theFeed.includes, path);
      decrement(this.perCaller, caller);
      if (subscribers.size === 0) void this.closeFeed(theFeed);
    });
    subscribers.add(queue);
    for (const path of include) theFeed.includes.set(path, (theFeed.includes.get(path) ?? 0) + 1);
    this.perCaller.set(caller, held + 1);
    request.signal?.addEventListener('abort', () => void queue.return(), { once: true });
    return queue;
  }

  /**
   * Feeds, subscribers, the pollers running in this process (none for a feed whose lease another
   * replica holds), the polls per minute they spend now (changes and deletions),
   * and the change and deletion polls made so far.
   */
  stats(): { feeds: number; subscribers: number; pollers: number; pollsPerMinute: number; polls: number; deletionPolls: number } {
    let subscribers = 0;
    let pollsPerMinute = 0;
    const pollers = [...this.feeds.values()].flatMap((feed) => [...feed.pollers]).concat([...this.deletions.values()].flatMap((d) => [...d.pollers]));
    for (const feed of this.feeds.values()) subscribers += feed.subscribers.size;
    for (const poller of pollers) pollsPerMinute += 60_000 / Math.max(1, poller.intervalMs);
    return { feeds: this.feeds.size, subscribers, pollers: pollers.length, pollsPerMinute, polls: this.polls, deletionPolls: this.deletionPolls };
  }

  /** Ends every subscription and stops every poller. */
  async close(): Promise<void> {
    this.closed = true;
    const feeds = [...this.feeds.values()];
    for (const feed of feeds) for (const queue of [...feed.subscribers]) queue.fail('SHUTTING_DOWN', 'The gateway is shutting down; subscribe again.');
    await Promise.all(feeds.map((feed) => this.closeFeed(feed)));
  }

  /** Distinct feeds one caller may open: its share of `maxPollers`, at least one. */
  private pollerShare(): number {
    return Math.max(1, Math.floor((this.options.maxPollers * this.options.pollerShare) / 100));
  }

  /** The poll budget divided among the feeds of this process, or of the deployment when that is more. */
  private pollInterval(): number {
    const feeds = Math.max(this.feeds.size + this.deletions.size, this.deps.transport?.activeFeeds?.() ?? 0);
    return (feeds * 60_000) / this.options.pollsPerMinute;
  }

  /** A poller factory for a source; `pollers` tracks the running ones for the figures. */
  private pollerFactory(credential: string, object: string, pollers: Set<Poller>, makeSource: () => PollSource, counted: () => void): PollerFactory {
    return (hooks) => {
      const source = makeSource();
      if (hooks.restore !== undefined) source.restore(hooks.restore);
      const poller: Poller = new Poller({
        source,
        timing: {
          minIntervalMs: this.options.minIntervalMs,
          maxIntervalMs: this.options.maxIntervalMs,
          budgetIntervalMs: () => this.pollInterval(),
        },
        call: { credential, ...(this.deps.recorder ? { recorder: this.deps.recorder } : {}) },
        callTimeoutMs: this.options.pollTimeoutMs,
        emit: hooks.publish,
        afterPoll: async (outcome) => {
          counted();
          this.deps.observer?.poll(object, outcome);
          await hooks.afterPoll?.(outcome, source.save());
        },
        onStopped: () => pollers.delete(poller),
      });
      pollers.add(poller);
      return poller;
    };
  }

  private openFeed(key: string, credentialKey: string, opener: string, request: SubscribeRequest): Feed {
    const feed: Feed = {
      key,
      object: request.object,
      credentialKey,
      opener,
      subscribers: new Set(),
      includes: new Map(),
      pollers: new Set(),
      handle: { close: async () => {} },
    };
    this.feeds.set(key, feed);
    this.pollersPerCaller.set(opener, (this.pollersPerCaller.get(opener) ?? 0) + 1);
    const makeSource = () =>
      new ChangeSource({
        client: this.client,
        object: request.object,
        filter: request.filter,
        include: () => [...feed.includes.keys()].sort(),
        pageSize: this.options.pageSize,
        maxPagesPerPoll: this.options.maxPagesPerPoll,
      });
    const makePoller = this.pollerFactory(request.credential, request.object, feed.pollers, makeSource, () => (this.polls += 1));
    feed.handle = this.transport().open(key, (message) => this.deliver(feed, message), makePoller);
    this.useDeletions(credentialKey, request);
    return feed;
  }

  private transport(): FeedTransport {
    return this.deps.transport ?? localFeedTransport;
  }

  private useDeletions(credentialKey: string, request: SubscribeRequest): void {
    const key = deletionKey(credentialKey, request.object);
    const existing = this.deletions.get(key);
    if (existing) {
      existing.users += 1;
      return;
    }
    const deletion: DeletionFeed = { key, users: 1, pollers: new Set(), handle: { close: async () => {} } };
    this.deletions.set(key, deletion);
    const makeSource = () =>
      new DeletionSource({ client: this.client, object: request.object, pageSize: this.options.pageSize, maxPagesPerPoll: this.options.maxPagesPerPoll });
    const makePoller = this.pollerFactory(request.credential, request.object, deletion.pollers, makeSource, () => (this.deletionPolls += 1));
    deletion.handle = this.transport().open(
      key,
      (message) => {
        // A workspace without the deletions endpoint (or a refused read of it) stops deletion
        // polling only; the change feeds report a refused credential themselves.
        if ('error' in message) return;
        for (const feed of this.feeds.values()) {
          if (feed.credentialKey === credentialKey && feed.object === request.object) this.deliver(feed, message);
        }
      },
      makePoller,
    );
  }

  private releaseDeletions(feed: Feed): Promise<void> {
    const key = deletionKey(feed.credentialKey, feed.object);
    const deletion = this.deletions.get(key);
    if (!deletion) return Promise.resolve();
    deletion.users -= 1;
    if (deletion.users > 0) return Promise.resolve();
    this.deletions.delete(key);
    return deletion.handle.close();
  }

  private deliver(feed: Feed, message: FeedMessage): void {
    if ('error' in message) {
      for (const queue of [...feed.subscribers]) queue.fail(message.error.code, message.error.message);
      return;
    }
    for (const event of message.events) for (const queue of feed.subscribers) queue.push({ event });
  }

  private async closeFeed(feed: Feed): Promise<void> {
    if (this.feeds.get(feed.key) !== feed) return;
    this.feeds.delete(feed.key);
    decrement(this.pollersPerCaller, feed.opener);
    await Promise.all([feed.handle.close(), this.releaseDeletions(feed)]);
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const next = (map.get(key) ?? 0) - 1;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}

/** The feed of a credential, an object and a compiled filter (order of conditions ignored). */
function feedKey(credentialKey: string, object: string, filter: FilterCondition[]): string {
  const conditions = filter.map((c) => JSON.stringify([c.path, c.operator, c.value])).sort();
  return `${credentialKey}:${object}:${sha256(`[${conditions.join(',')}]`).slice(0, 32)}`;
}

/** The deletions of an object, per credential. */
function deletionKey(credentialKey: string, object: string): string {
  return `${credentialKey}:${object}:deleted`;
}
