import DataLoader from 'dataloader';
import type { ClarifyClient } from '../client/clarify-client.js';
import type { CallOptions, ClarifyResource } from '../client/types.js';
import { USER_OBJECT } from '../workspace/model.js';

const USERS_PAGE_LIMIT = 500;

interface RecordKey {
  id: string;
  /** Relationship paths to `include` with the record when it has to be fetched. */
  include: readonly string[];
}

/**
 * The per-request record store. Records from list pages and `included` arrays prime it; a
 * record it lacks is fetched through one DataLoader per object, so the same (object, id) is
 * fetched at most once per request. It is made per request and never shared across
 * credentials.
 */
export class RecordLoader {
  private readonly records = new Map<string, ClarifyResource>();
  private readonly loaders = new Map<string, DataLoader<RecordKey, ClarifyResource | null, string>>();
  private readonly missing = new Set<string>();
  private readonly shared = new Map<string, Promise<unknown>>();
  private readonly limit: ConcurrencyLimit;

  constructor(
    private readonly client: ClarifyClient,
    private readonly call: CallOptions,
    maxConcurrency = 8,
  ) {
    this.limit = new ConcurrencyLimit(maxConcurrency);
  }

  /** Adds records that a response carried (primary data or `included`). */
  prime(resources: Iterable<ClarifyResource>): void {
    for (const resource of resources) {
      if (resource.identifierOnly) continue;
      const key = storeKey(resource.type, resource.id);
      this.records.set(key, resource);
      this.missing.delete(key);
    }
  }

  /** A record already in the store, without fetching. */
  peek(object: string, id: string): ClarifyResource | undefined {
    return this.records.get(storeKey(object, id));
  }

  /** Whether the store already knows the record does not exist. */
  knownMissing(object: string, id: string): boolean {
    return this.missing.has(storeKey(object, id));
  }

  /**
   * Runs `task` once per key in this request: concurrent and later callers with the same key
   * share its result (e.g. the members of one relationship, wanted by several parents).
   */
  once<T>(key: string, task: () => Promise<T>): Promise<T> {
    let promise = this.shared.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = task();
      this.shared.set(key, promise);
    }
    return promise;
  }

  /**
   * Forgets everything the request has read. A write can change records besides the one written
   * (the inverse side of a link, the old parent of a moved record), so after a write later fields
   * read afresh rather than from a store that may be stale.
   */
  forgetAll(): void {
    this.records.clear();
    this.missing.clear();
    this.shared.clear();
    for (const loader of this.loaders.values()) loader.clearAll();
  }

  /** Runs a fetch within the request's concurrency bound (the one record fetches share). */
  limited<T>(task: () => Promise<T>): Promise<T> {
    return this.limit.run(task);
  }

  /** The record, from the store or fetched (batched and de-duplicated); null when it does not exist. */
  async load(object: string, id: string, include: readonly string[] = []): Promise<ClarifyResource | null> {
    const known = this.peek(object, id);
    if (known) return known;
    if (this.knownMissing(object, id)) return null;
    return this.loaderFor(object).load({ id, include });
  }

  loadMany(object: string, ids: readonly string[], include: readonly string[] = []): Promise<(ClarifyResource | null)[]> {
    return Promise.all(ids.map((id) => this.load(object, id, include)));
  }

  private loaderFor(object: string): DataLoader<RecordKey, ClarifyResource | null, string> {
    let loader = this.loaders.get(object);
    if (!loader) {
      loader = new DataLoader<RecordKey, ClarifyResource | null, string>((keys) => this.fetchBatch(object, keys), {
        cacheKeyFn: (key) => key.id,
      });
      this.loaders.set(object, loader);
    }
    return loader;
  }

  private async fetchBatch(object: string, keys: readonly RecordKey[]): Promise<(ClarifyResource | null | Error)[]> {
    const include = [...new Set(keys.flatMap((k) => k.include))];
    const pending = keys.filter((k) => !this.peek(object, k.id));
    if (object === USER_OBJECT && pending.length > 1) await this.fetchAllUsers();
    else {
      const results = await Promise.allSettled(
        pending.map((key) => this.limit.run(() => this.fetchOne(object, key.id, include))),
      );
      const failures = new Map<string, Error>();
      pending.forEach((key, index) => {
        const result = results[index];
        if (result?.status === 'rejected') failures.set(key.id, toError(result.reason));
      });
      if (failures.size) return keys.map((k) => failures.get(k.id) ?? this.peek(object, k.id) ?? null);
    }
    return keys.map((k) => this.peek(object, k.id) ?? this.markMissing(object, k.id));
  }

  private async fetchOne(object: string, id: string, include: string[]): Promise<void> {
    if (object === USER_OBJECT) {
      const user = await this.client.getUser(id, this.call);
      if (user) this.prime([user]);
      return;
    }
    const document = await this.client.get(object, id, { include }, this.call);
    if (!document) return;
    this.prime([document.data]);
    this.prime(document.included);
  }

  /** Members are few: one page of `/users` answers many user ids in a single call. */
  private async fetchAllUsers(): Promise<void> {
    for (let offset = 0; ; offset += USERS_PAGE_LIMIT) {
      const page = await this.client.listUsers({ limit: USERS_PAGE_LIMIT, offset }, this.call);
      this.prime(page.data);
      if (page.data.length < USERS_PAGE_LIMIT || offset + page.data.length >= page.meta.totalRecords) return;
    }
  }

  private markMissing(object: string, id: string): null {
    this.missing.add(storeKey(object, id));
    return null;
  }
}

function storeKey(object: string, id: string): string {
  return `${object}\u0000${id}`;
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** Bounds how many fetches of one request run at once. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
