import type { Logger } from 'pino';
import { MemoryResponseCache, everythingOf, type CachedAnswer, type ResponseStore } from './memory-response-cache.js';

/** Most tags kept for Redis's return; beyond, every answer of their upstreams goes instead. */
const MAX_PENDING_TAGS = 10_000;

export interface LayeredCacheOptions {
  /** The shared store (Redis); undefined keeps the cache in this process. */
  shared?: ResponseStore;
  /** Whether the shared store is reachable right now. */
  sharedAvailable?: () => boolean;
  /** Called when a shared operation failed or was skipped because Redis is away. */
  onFallback?: (operation: 'get' | 'set' | 'invalidate') => void;
  /** Most answers the in-process store keeps (without a shared store). Default 1000. */
  localMaxEntries?: number;
  logger?: Logger;
}

/**
 * The response cache's store: Redis when it is configured, this process's own LRU otherwise.
 *
 * With Redis configured, the cache is used only while Redis is reachable and this replica has no
 * invalidation Redis has not seen: a local answer would miss the other replicas' writes, and
 * Redis's answers would miss this replica's. So while Redis is away every read goes upstream,
 * and the tags of every write acknowledged meanwhile are kept; when Redis answers again they are
 * invalidated there (moving their versions) before this replica reads or fills the cache again.
 * A Redis failure never fails a request: it is counted and the request goes on uncached.
 */
export class LayeredCache implements ResponseStore {
  private readonly local: MemoryResponseCache | undefined;
  private readonly options: LayeredCacheOptions;
  /** Tags and families whose invalidation Redis has not seen yet. */
  private readonly pendingTags = new Set<string>();
  private readonly pendingFamilies = new Set<string>();
  private flushing: Promise<boolean> | undefined;

  constructor(options: LayeredCacheOptions = {}) {
    this.options = options;
    this.local = options.shared ? undefined : new MemoryResponseCache(options.localMaxEntries ?? 1000);
  }

  /** Invalidations made while Redis was away, not yet replayed there. */
  get pendingInvalidations(): number {
    return this.pendingTags.size + this.pendingFamilies.size;
  }

  /** Redis is back: replay the invalidations it missed. */
  reconnected(): Promise<boolean> {
    return this.flush();
  }

  /** The shared store when it can be trusted now (reachable, and told of every write); else undefined. */
  private async trusted(): Promise<ResponseStore | undefined> {
    const { shared, sharedAvailable } = this.options;
    if (!shared) return this.local;
    if (sharedAvailable && !sharedAvailable()) return undefined;
    if (this.pendingInvalidations > 0 && !(await this.flush())) return undefined;
    return shared;
  }

  private flush(): Promise<boolean> {
    const { shared } = this.options;
    if (!shared || this.pendingInvalidations === 0) return Promise.resolve(true);
    this.flushing ??= (async () => {
      const tags = [...this.pendingTags];
      const families = [...this.pendingFamilies];
      try {
        await shared.invalidate(tags, families);
        for (const tag of tags) this.pendingTags.delete(tag);
        for (const family of families) this.pendingFamilies.delete(family);
        this.options.logger?.info({ tags: tags.length }, 'replayed the invalidations made while Redis was away');
        return this.pendingInvalidations === 0;
      } catch (error) {
        this.fellBack('invalidate', error);
        return false;
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  private fellBack(operation: 'get' | 'set' | 'invalidate', error?: unknown): void {
    this.options.onFallback?.(operation);
    this.logFailure(operation, error);
  }

  private logFailure(operation: 'versions' | 'get' | 'set' | 'invalidate', error: unknown): void {
    if (error !== undefined) {
      this.options.logger?.warn(
        { operation, error: error instanceof Error ? error.message : String(error) },
        'shared response cache failed; answering uncached',
      );
    }
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const store = await this.trusted();
    if (!store) {
      this.fellBack('get');
      return undefined;
    }
    try {
      return await store.get(key);
    } catch (error) {
      this.fellBack('get', error);
      return undefined;
    }
  }

  /**
   * The families' versions, or undefined when the cache cannot be used now (nothing will be
   * stored). Not counted as a fallback: a request asks for versions only after its lookup (`get`),
   * which counted the request's fallback already.
   */
  async versions(families: readonly string[]): Promise<string[] | undefined> {
    const store = await this.trusted();
    if (!store) return undefined;
    try {
      return await store.versions(families);
    } catch (error) {
      this.logFailure('versions', error);
      return undefined;
    }
  }

  async set(key: string, answer: CachedAnswer, tags: readonly string[], ttlMs: number, families: readonly string[], seen: readonly string[]): Promise<boolean> {
    const store = await this.trusted();
    if (!store) {
      this.fellBack('set');
      return false;
    }
    try {
      return await store.set(key, answer, tags, ttlMs, families, seen);
    } catch (error) {
      this.fellBack('set', error);
      return false;
    }
  }

  /** Claims a read across replicas; without a usable shared store every caller reads (true). */
  async claim(key: string, token: string, ttlMs: number): Promise<boolean> {
    const store = await this.trusted();
    try {
      return store ? await store.claim(key, token, ttlMs) : true;
    } catch {
      return true;
    }
  }

  async claimed(key: string): Promise<boolean> {
    const store = await this.trusted();
    try {
      return store ? await store.claimed(key) : false;
    } catch {
      return false;
    }
  }

  async release(key: string, token: string): Promise<void> {
    const store = await this.trusted();
    try {
      await store?.release(key, token);
    } catch {
      // The claim expires by itself.
    }
  }

  /** Invalidates in Redis, or keeps the tags for when it returns; never rejects. */
  async invalidate(tags: readonly string[], families: readonly string[]): Promise<void> {
    const { shared, sharedAvailable } = this.options;
    if (!shared) return this.local?.invalidate(tags, families);
    if ((!sharedAvailable || sharedAvailable()) && this.pendingInvalidations === 0) {
      try {
        await shared.invalidate(tags, families);
        return;
      } catch (error) {
        this.fellBack('invalidate', error);
      }
    } else this.fellBack('invalidate');
    for (const tag of tags) this.pendingTags.add(tag);
    for (const family of families) this.pendingFamilies.add(family);
    if (this.pendingTags.size > MAX_PENDING_TAGS) {
      const everything = new Set([...this.pendingTags].map(everythingOf));
      this.pendingTags.clear();
      for (const tag of everything) this.pendingTags.add(tag);
    }
    if (!sharedAvailable || sharedAvailable()) await this.flush();
  }
}
