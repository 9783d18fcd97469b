import { createInMemoryCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Logger } from './logger.js';

type CacheEntity = { typename: string; id?: number | string };

/** The shared store as the layered cache needs it; every method may reject. */
export interface SharedCacheStore {
  set(responseId: string, result: ExecutionResult, entities: Iterable<CacheEntity>, ttl: number): Promise<void>;
  get(responseId: string): Promise<ExecutionResult | undefined>;
  invalidate(entities: Iterable<CacheEntity>): Promise<void>;
}

export interface LayeredCacheOptions {
  /** The shared store (Redis); undefined keeps the cache in this process. */
  shared?: SharedCacheStore;
  /** Whether the shared store is reachable right now. */
  sharedAvailable?: () => boolean;
  /** Called when a shared operation failed and the local cache answered instead. */
  onFallback?: (operation: 'get' | 'set' | 'invalidate') => void;
  /** Most responses the local cache keeps. Default 1000. */
  localMaxEntries?: number;
  logger?: Logger;
}

/**
 * The response cache's store: Redis when it is configured and reachable, the process's own LRU
 * otherwise. A Redis failure never fails a request: the operation falls back to the local cache
 * and is counted. While Redis is away the local cache sees only this replica's writes, so when
 * Redis returns the local entries are dropped rather than trusted.
 */
export class LayeredCache implements Cache {
  private local: Cache;
  private readonly options: LayeredCacheOptions;

  constructor(options: LayeredCacheOptions = {}) {
    this.options = options;
    this.local = this.newLocal();
  }

  /** Forgets every local entry (Redis came back; local entries may be stale). */
  resetLocal(): void {
    this.local = this.newLocal();
  }

  private newLocal(): Cache {
    return createInMemoryCache({ max: this.options.localMaxEntries ?? 1000 });
  }

  private useShared(): SharedCacheStore | undefined {
    const { shared, sharedAvailable } = this.options;
    if (!shared) return undefined;
    if (sharedAvailable && !sharedAvailable()) {
      return undefined;
    }
    return shared;
  }

  private fellBack(operation: 'get' | 'set' | 'invalidate', error: unknown): void {
    this.options.onFallback?.(operation);
    this.options.logger?.warn(
      { operation, error: error instanceof Error ? error.message : String(error) },
      'shared response cache failed; using the local cache',
    );
  }

  async get(responseId: string): Promise<ExecutionResult | undefined> {
    const shared = this.useShared();
    if (shared) {
      try {
        return await shared.get(responseId);
      } catch (error) {
        this.fellBack('get', error);
      }
    } else if (this.options.shared) {
      this.options.onFallback?.('get');
    }
    return (await this.local.get(responseId)) ?? undefined;
  }

  async set(responseId: string, result: ExecutionResult, entities: Iterable<CacheEntity>, ttl: number): Promise<void> {
    const list = [...entities];
    const shared = this.useShared();
    if (shared) {
      try {
        await shared.set(responseId, result, list, ttl);
        return;
      } catch (error) {
        this.fellBack('set', error);
      }
    } else if (this.options.shared) {
      this.options.onFallback?.('set');
    }
    await this.local.set(responseId, result, list, ttl);
  }

  /** Invalidates locally and in Redis; never rejects. */
  async invalidate(entities: Iterable<CacheEntity>): Promise<void> {
    const list = [...entities];
    await this.local.invalidate(list);
    const shared = this.useShared();
    if (shared) {
      try {
        await shared.invalidate(list);
      } catch (error) {
        this.fellBack('invalidate', error);
      }
    } else if (this.options.shared) {
      this.options.onFallback?.('invalidate');
    }
  }
}
