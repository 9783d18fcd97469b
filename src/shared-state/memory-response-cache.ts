import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';

/** A tag as stored: scoped by the upstream whose data it names. */
export const scopedTag = (upstream: string, tag: string): string => `${upstream}|${tag}`;

/** The tag every answer of the same upstream as `scoped` files under. */
export const everythingOf = (scoped: string): string => `${scoped.slice(0, scoped.indexOf('|') + 1)}*`;

/** A cached answer: the result as first sent (data only), and the ETag it was sent with. */
export interface CachedAnswer {
  result: ExecutionResult;
  etag: string;
}

/**
 * Where the response cache keeps answers. Tags say what an answer holds; families group tags for
 * versions: a store succeeds only while the families' versions are those read (`versions`)
 * before the answer was fetched, and an invalidation changes them.
 */
export interface ResponseStore {
  get(key: string): Promise<CachedAnswer | undefined>;
  /**
   * The families' current versions, in order ('' for one never invalidated); undefined when the
   * store cannot be used now, and nothing read meanwhile will be stored.
   */
  versions(families: readonly string[]): Promise<string[] | undefined>;
  /** Stores the answer unless a family's version moved from `seen`; true when stored. */
  set(key: string, answer: CachedAnswer, tags: readonly string[], ttlMs: number, families: readonly string[], seen: readonly string[]): Promise<boolean>;
  /** Drops every answer filed under one of the tags and moves the families' versions. */
  invalidate(tags: readonly string[], families: readonly string[]): Promise<void>;
  /**
   * Claims the read of a key for `ttlMs` across replicas: true when this caller should read it
   * upstream, false while another holds the claim. Released by `release` (or by expiry).
   */
  claim(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Whether some caller still holds the claim of a key. */
  claimed(key: string): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
}

/** The response cache's store in this process: an LRU of answers, an index per tag, a counter per family. */
export class MemoryResponseCache implements ResponseStore {
  private readonly answers: LRUCache<string, { answer: CachedAnswer; tags: readonly string[] }>;
  private readonly byTag = new Map<string, Set<string>>();
  private readonly familyVersions = new Map<string, number>();

  constructor(maxEntries = 1000) {
    this.answers = new LRUCache({
      max: maxEntries,
      ttlAutopurge: false,
      dispose: (entry, key) => {
        for (const tag of entry.tags) {
          const keys = this.byTag.get(tag);
          keys?.delete(key);
          if (keys?.size === 0) this.byTag.delete(tag);
        }
      },
    });
  }

  get(key: string): Promise<CachedAnswer | undefined> {
    return Promise.resolve(this.answers.get(key)?.answer);
  }

  versions(families: readonly string[]): Promise<string[]> {
    return Promise.resolve(families.map((family) => String(this.familyVersions.get(family) ?? '')));
  }

  async set(key: string, answer: CachedAnswer, tags: readonly string[], ttlMs: number, families: readonly string[], seen: readonly string[]): Promise<boolean> {
    if (!(ttlMs > 0)) return false;
    const current = await this.versions(families);
    if (current.some((version, i) => version !== seen[i])) return false;
    this.answers.set(key, { answer, tags }, { ttl: Math.max(1, Math.round(ttlMs)) });
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /** One process: its reads in flight are joined in the plugin, so every claim succeeds. */
  claim(): Promise<boolean> {
    return Promise.resolve(true);
  }

  claimed(): Promise<boolean> {
    return Promise.resolve(false);
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  invalidate(tags: readonly string[], families: readonly string[]): Promise<void> {
    for (const family of families) this.familyVersions.set(family, (this.familyVersions.get(family) ?? 0) + 1);
    for (const tag of tags) {
      for (const key of [...(this.byTag.get(tag) ?? [])]) this.answers.delete(key);
      this.byTag.delete(tag);
    }
    return Promise.resolve();
  }
}
