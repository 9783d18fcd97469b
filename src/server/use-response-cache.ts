import { createHash } from 'node:crypto';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { listTagsOf, mutationInvalidations, type CacheEntity } from './cache-tags.js';
import type { LayeredCache } from './layered-cache.js';

/**
 * The response cache: Yoga's `useResponseCache` over a `LayeredCache` (Redis shared by every
 * replica, or this process alone), plus what the gateway adds around it:
 * - entries are keyed per credential scope (`scopeOf`), and a request without a valid credential
 *   neither reads nor fills the cache;
 * - reads also file under the lists they select (`<Type>[]`);
 * - every mutation, successful or not, invalidates what it may have changed (see `cache-tags.ts`)
 *   before its answer is sent, so the next read on any replica sees the write;
 * - a hit reports `extensions.cost` with 0 calls, and hits and misses are counted.
 */
export interface ResponseCacheOptions {
  cache: LayeredCache;
  /** Seconds an entry lives; 0 turns the cache off. */
  ttlSeconds: number;
  /** Seconds per GraphQL type, overriding `ttlSeconds` for answers that contain the type (0 = never cache). */
  ttlPerType?: Record<string, number>;
  /** The caller's cache scope; undefined when the request may not use the cache. */
  scopeOf(request: Request): string | undefined;
  /** The cost limit reported in `extensions.cost` of a hit. */
  costLimit: number;
  onLookup?(outcome: 'hit' | 'miss'): void;
}

interface ContextWithRequest {
  request?: Request;
}

const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');
/** Pending list tags waiting for their entry to be stored; bounded in case an entry is never stored. */
const MAX_PENDING = 10_000;

function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** A scope for caching: the workspace with a server key, a hash of the credential otherwise. */
export function credentialScope(credential: string): string {
  return `credential:${createHash('sha256').update(credential).digest('hex')}`;
}

export function useGatewayResponseCache(options: ResponseCacheOptions): Plugin[] {
  // Off: no plugin at all, since Yoga's builds a key (a hash of the document and variables) for
  // every request before it asks whether the cache is enabled.
  if (options.ttlSeconds <= 0) return [];
  const pendingTags = new Map<string, string[]>();
  const keyByContext = new WeakMap<object, string>();
  const enabledFor = (request: Request) => options.ttlSeconds > 0 && options.scopeOf(request) !== undefined;

  const store: Cache = {
    get: (id) => options.cache.get(id),
    set(id, result, entities, ttl) {
      const tags = pendingTags.get(id) ?? [];
      pendingTags.delete(id);
      return options.cache.set(id, result, [...entities, ...tags.map((typename) => ({ typename }))], ttl);
    },
    invalidate: (entities) => options.cache.invalidate(entities),
  };

  const ttlPerSchemaCoordinate: Record<string, number> = {};
  for (const [type, seconds] of Object.entries(options.ttlPerType ?? {})) ttlPerSchemaCoordinate[type] = seconds * 1000;

  const cachePlugin = useResponseCache<ContextWithRequest>({
    cache: store,
    ttl: options.ttlSeconds * 1000,
    ttlPerSchemaCoordinate,
    session: (request) => options.scopeOf(request) ?? null,
    enabled: (request) => enabledFor(request),
    includeExtensionMetadata: false,
    buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId, context }) => {
      const key = createHash('sha256')
        .update(`${sessionId ?? ''}\u0000${operationName ?? ''}\u0000${documentString}\u0000${stableStringify(variableValues ?? {})}`)
        .digest('hex');
      keyByContext.set(context as object, key);
      return key;
    },
  });

  const gatewayPlugin: Plugin = {
    onExecute({ args }) {
      const request = (args.contextValue as ContextWithRequest).request;
      if (!request || !enabledFor(request)) return;
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation?.operation === 'query') {
        options.onLookup?.('miss');
        const key = keyByContext.get(args.contextValue as object);
        if (key !== undefined) {
          if (pendingTags.size >= MAX_PENDING) pendingTags.clear();
          pendingTags.set(key, listTagsOf(args.document, args.schema));
        }
        return;
      }
      if (operation?.operation !== 'mutation') return;
      return {
        async onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const entities: CacheEntity[] = mutationInvalidations({
            schema: args.schema,
            document: args.document,
            operationName: args.operationName,
            variables: (args.variableValues ?? {}) as Record<string, unknown>,
            data: result.data as Record<string, unknown> | null | undefined,
          });
          if (entities.length > 0) await options.cache.invalidate(entities);
        },
      };
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const single = result as ExecutionResult & { [SERVED_FROM_CACHE]?: boolean };
      if (!single[SERVED_FROM_CACHE]) return;
      options.onLookup?.('hit');
      setResult({
        ...single,
        extensions: {
          ...single.extensions,
          cost: { predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit: options.costLimit },
        },
      });
    },
  };

  return [cachePlugin, gatewayPlugin];
}
