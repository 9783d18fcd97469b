import { createHash } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import { credentialFingerprint } from '../client/credential-fingerprint.js';

/**
 * Holds the GraphQL schema built from the workspace's `/schemas` and swaps it when the workspace
 * changes. A request takes one snapshot when it starts and keeps it to the end, so a swap never
 * disturbs an operation in flight; new requests get the new snapshot.
 */

export interface SchemaSnapshot<M> {
  schema: GraphQLSchema;
  model: M;
  /** SHA-256 of the `/schemas` documents the snapshot was built from. */
  fingerprint: string;
  loadedAt: number;
  /** 1 for the first schema, +1 on every change. */
  version: number;
}

export interface SchemaSourceOptions<M> {
  /** Reads the raw `/schemas` items with the given credential. */
  readSchemas(credential: string): Promise<unknown[]>;
  /** Turns the items into the model and the GraphQL schema. */
  build(items: unknown[]): { model: M; schema: GraphQLSchema };
  onChange?(snapshot: SchemaSnapshot<M>, previous: SchemaSnapshot<M> | undefined): void;
}

export interface SchemaSource<M> {
  /** The snapshot for a request made with this upstream credential. */
  snapshotFor(credential: string): Promise<SchemaSnapshot<M>>;
  /** The newest snapshot, if any has been loaded. */
  current(): SchemaSnapshot<M> | undefined;
  /**
   * Re-reads `/schemas` now (server key) or marks every cached schema stale (pass-through, where
   * the gateway holds no credential of its own). Resolves true when the schema changed.
   */
  reload(): Promise<boolean>;
  /**
   * Re-reads the schema this credential sees, and no other: the server's schema (server key), or
   * only this caller's cached schema, read again on its next request (pass-through).
   */
  reloadFor(credential: string): Promise<boolean>;
}

function fingerprintOf(items: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(items)).digest('hex');
}

/** Shared by both modes: builds a snapshot only when the documents changed. */
class SnapshotBuilder<M> {
  private latest: SchemaSnapshot<M> | undefined;
  private readonly byFingerprint = new Map<string, SchemaSnapshot<M>>();
  constructor(private readonly options: SchemaSourceOptions<M>) {}

  get current(): SchemaSnapshot<M> | undefined {
    return this.latest;
  }

  fromItems(items: unknown[]): { snapshot: SchemaSnapshot<M>; changed: boolean } {
    const fingerprint = fingerprintOf(items);
    const known = this.byFingerprint.get(fingerprint);
    if (known) {
      const changed = this.latest !== known;
      if (changed) this.promote(known);
      return { snapshot: known, changed };
    }
    const { model, schema } = this.options.build(items);
    const snapshot: SchemaSnapshot<M> = {
      schema,
      model,
      fingerprint,
      loadedAt: Date.now(),
      version: (this.latest?.version ?? 0) + 1,
    };
    // Keep a few recent builds so credentials that see the same workspace share one schema.
    this.byFingerprint.set(fingerprint, snapshot);
    for (const oldest of this.byFingerprint.keys()) {
      if (this.byFingerprint.size <= 4) break;
      this.byFingerprint.delete(oldest);
    }
    this.promote(snapshot);
    return { snapshot, changed: true };
  }

  private promote(snapshot: SchemaSnapshot<M>): void {
    const previous = this.latest;
    this.latest = snapshot;
    this.options.onChange?.(snapshot, previous);
  }
}

/** Server-key mode: one credential, one schema, reloaded on demand or on a timer. */
export class ServerKeySchemaSource<M> implements SchemaSource<M> {
  private readonly builder: SnapshotBuilder<M>;
  private inflight: Promise<boolean> | undefined;

  constructor(
    private readonly options: SchemaSourceOptions<M>,
    private readonly credential: string,
  ) {
    this.builder = new SnapshotBuilder(options);
  }

  current(): SchemaSnapshot<M> | undefined {
    return this.builder.current;
  }

  async snapshotFor(): Promise<SchemaSnapshot<M>> {
    if (!this.builder.current) await this.reload();
    const loaded = this.current();
    if (!loaded) throw new Error('The workspace schema could not be loaded.');
    return loaded;
  }

  reloadFor(): Promise<boolean> {
    return this.reload();
  }

  /** Concurrent calls share one upstream read. */
  reload(): Promise<boolean> {
    this.inflight ??= (async () => {
      try {
        const items = await this.options.readSchemas(this.credential);
        return this.builder.fromItems(items).changed;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }
}

/** How long a credential Clarify refused is refused without asking again. */
const REFUSAL_TTL_MS = 30_000;

function isCredentialRefusal(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN';
}

interface CachedEntry<M> {
  snapshot: SchemaSnapshot<M>;
  expiresAt: number;
}

/**
 * Pass-through mode: the gateway has no credential of its own, so it reads `/schemas` with each
 * caller's credential the first time it sees it, and caches the result under a hash of that
 * credential for `ttlMs`. A caller whose credential Clarify rejects gets the rejection and never
 * sees a schema another caller loaded; callers of the same workspace share one built schema.
 */
export class PassThroughSchemaSource<M> implements SchemaSource<M> {
  private readonly builder: SnapshotBuilder<M>;
  private readonly cache = new Map<string, CachedEntry<M>>();
  private readonly inflight = new Map<string, Promise<SchemaSnapshot<M>>>();
  /** Credentials Clarify refused lately: refused again without asking, so nobody can spend the workspace's rate budget with bad keys. */
  private readonly refused = new Map<string, { error: unknown; expiresAt: number }>();

  constructor(
    private readonly options: SchemaSourceOptions<M>,
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {
    this.builder = new SnapshotBuilder(options);
  }

  current(): SchemaSnapshot<M> | undefined {
    return this.builder.current;
  }

  snapshotFor(credential: string): Promise<SchemaSnapshot<M>> {
    const key = credentialFingerprint(credential);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.snapshot);
    const refused = this.refused.get(key);
    if (refused && refused.expiresAt > Date.now()) return Promise.reject(refused.error);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const items = await this.options.readSchemas(credential);
          const { snapshot } = this.builder.fromItems(items);
          this.refused.delete(key);
          this.remember(key, snapshot);
          return snapshot;
        } catch (error) {
          if (isCredentialRefusal(error)) this.rememberRefusal(key, error);
          throw error;
        } finally {
          this.inflight.delete(key);
        }
      })();
      this.inflight.set(key, pending);
    }
    return pending;
  }

  async reload(): Promise<boolean> {
    const hadEntries = this.cache.size > 0;
    this.cache.clear();
    this.refused.clear();
    return hadEntries;
  }

  async reloadFor(credential: string): Promise<boolean> {
    return this.cache.delete(credentialFingerprint(credential));
  }

  private rememberRefusal(key: string, error: unknown): void {
    this.refused.set(key, { error, expiresAt: Date.now() + Math.min(this.ttlMs, REFUSAL_TTL_MS) });
    for (const oldest of this.refused.keys()) {
      if (this.refused.size <= this.maxEntries) break;
      this.refused.delete(oldest);
    }
  }

  private remember(key: string, snapshot: SchemaSnapshot<M>): void {
    this.cache.delete(key);
    this.cache.set(key, { snapshot, expiresAt: Date.now() + this.ttlMs });
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.maxEntries) break;
      this.cache.delete(oldest);
    }
  }
}
