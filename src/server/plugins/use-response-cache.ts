import { createHash, randomUUID } from 'node:crypto';
import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { answerTags, familyOf, idsAt, mutationTags } from '../../plan/effects.js';
import type { OperationPlan } from '../../plan/plan.js';
import type { LayeredCache } from '../../shared-state/layered-cache.js';
import { scopedTag } from '../../shared-state/memory-response-cache.js';
import { ReadFlights } from './response-cache-flights.js';

/**
 * The response cache (see docs/response-cache.md). A query's answer is stored under a hash of the
 * caller's scope, the executed document, the operation name and the variables, filed under the
 * tags the operation plan says it reads (the records it shows, by id). Every mutation, successful
 * or not, invalidates the tags its fields declare before its answer is sent, so the next read on
 * any replica sees the write.
 *
 * - A read notes its tag families' versions before it goes upstream, and its answer is stored only
 *   if they did not move meanwhile: an answer read across a write is never stored.
 * - Concurrent misses of one key on a replica make one upstream read (single flight); a request
 *   joins a read in flight only if no write was invalidated since it began.
 * - `@defer`/`@stream` answers, answers with errors and introspection are never stored.
 * - An `If-None-Match` is answered 304 only for the caller's own entry, after authentication.
 * - A hit reports `extensions.cost` with 0 calls, and hits and misses are counted.
 */
export interface ResponseCacheOptions {
  cache: LayeredCache;
  /** Seconds an entry lives; 0 turns the cache off. */
  ttlSeconds: number;
  /** Seconds per GraphQL type, overriding `ttlSeconds` for answers that contain the type (0 = never cache). */
  ttlPerType?: Record<string, number>;
  /**
   * The caller's cache scope (upstream, and the credential in pass-through mode); undefined when
   * the request may not use the cache. Entries are never shared across scopes.
   */
  scopeOf(request: Request): string | undefined;
  /** The upstream (API URL and workspace) whose data the tags name. */
  upstream: string;
  /** The cost limit reported in `extensions.cost` of a hit. */
  costLimit: number;
  onLookup?(outcome: 'hit' | 'miss'): void;
}

interface CacheContext {
  request?: Request;
  plan?: OperationPlan;
  /** The request's upstream call options: its deadline bounds a wait for another replica's read. */
  call?: { deadline?: number };
}

const SERVED = Symbol.for('clarify-graphql.servedFromResponseCache');
type Served = ExecutionResult & { [SERVED]?: { etag: string | undefined } };

/** Whether a result was answered from the response cache (the operation log marks it `cached`). */
export function servedFromCache(result: unknown): boolean {
  return typeof result === 'object' && result !== null && SERVED in result;
}

/**
 * JSON with every object's keys sorted and its undefined properties dropped, so that equal
 * variables make one key on every replica whatever order they were sent in. Replicas of other
 * versions sharing the store make the same keys only while this output stays the same.
 */
function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Each document's id, made once per document and held weakly: it goes when the document goes. */
const documentIds = new WeakMap<DocumentNode, string>();

/** The id of an executed document: a hash of its printed text. */
function documentId(document: DocumentNode): string {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = sha256(print(document))));
  return id;
}

/** The key of an answer: a hash of the caller's scope, the operation name, the executed document and the variables. */
function cacheKey(scope: string, operationName: string | null | undefined, document: DocumentNode, variables: unknown): string {
  return sha256(`${scope}\u0000${operationName ?? ''}\u0000${documentId(document)}\u0000${stableStringify(variables ?? {})}`);
}

/** A scope part for an upstream: its API URL and workspace. */
export function upstreamScope(apiUrl: string, workspace: string): string {
  return `upstream:${sha256(`${apiUrl}\u0000${workspace}`)}`;
}

export function useGatewayResponseCache(options: ResponseCacheOptions): Plugin[] {
  // Off: no plugin at all.
  if (options.ttlSeconds <= 0) return [];
  const { cache } = options;
  const tagOf = (tag: string) => scopedTag(options.upstream, tag);
  const flights = new ReadFlights(cache);

  /** The TTL of an answer: the shortest of the global one and those of the types it holds. */
  const ttlMsOf = (plan: OperationPlan, data: unknown): number => {
    let seconds = options.ttlSeconds;
    for (const position of plan.cache.reads.records) {
      const perType = options.ttlPerType?.[position.type];
      if (perType === undefined) continue;
      const { ids, unseen } = idsAt(data, position);
      if (ids.length > 0 || unseen) seconds = Math.min(seconds, perType);
    }
    return seconds * 1000;
  };

  const served = (result: ExecutionResult, etag: string | undefined): Served => ({ ...result, [SERVED]: { etag } });

  const plugin: Plugin = {
    onExecute({ args, setResultAndStopExecution, executeFn, setExecuteFn }) {
      const context = args.contextValue as CacheContext;
      const request = context.request;
      const plan = context.plan;
      if (!request || !plan) return;
      const operation = getOperationAST(args.document, args.operationName ?? undefined)?.operation;
      // Every write invalidates, whatever the scope of the request that made it.
      if (operation === 'mutation') {
        return {
          async onExecuteDone({ result }) {
            // An incremental answer's payload comes later: take its records as unknown.
            const whole = Symbol.asyncIterator in result ? undefined : result;
            const paths = (whole?.errors ?? []).flatMap((error) => (error.path ? [error.path] : []));
            const tags = mutationTags(plan.cache.writes, whole?.data, paths);
            if (tags.length === 0) return;
            flights.invalidated();
            await cache.invalidate(tags.map(tagOf), [...new Set(tags.map(familyOf))].map(tagOf));
          },
        };
      }
      const reads = plan.cache.reads;
      if (operation !== 'query' || !reads.cacheable) return;
      const scope = options.scopeOf(request);
      if (scope === undefined) return;
      const key = cacheKey(scope, args.operationName, args.document, args.variableValues);
      const families = reads.families.map(tagOf);

      return (async () => {
        const found = await cache.get(key);
        if (found) {
          options.onLookup?.('hit');
          setResultAndStopExecution(served(found.result, found.etag));
          return;
        }
        const read = await flights.joinOrBegin(key, families);
        if ('answer' in read) {
          options.onLookup?.('hit');
          setResultAndStopExecution(served(read.answer, undefined));
          return;
        }
        const { own } = read;
        const theirs = await own.claim(context.call?.deadline);
        if (theirs) {
          options.onLookup?.('hit');
          setResultAndStopExecution(served(theirs.result, theirs.etag));
          return;
        }
        options.onLookup?.('miss');
        const seen = await own.versions;
        setExecuteFn(async (executeArgs) => {
          try {
            return await executeFn(executeArgs);
          } catch (error) {
            own.settle(undefined);
            own.end();
            throw error;
          }
        });
        return {
          async onExecuteDone({ result, setResult }) {
            if (Symbol.asyncIterator in result || result.errors?.length || !result.data) {
              own.settle(undefined);
              own.end();
              return;
            }
            const answer: ExecutionResult = { data: result.data };
            own.settle(answer);
            try {
              const ttlMs = ttlMsOf(plan, result.data);
              if (seen === undefined || ttlMs <= 0) return;
              const etag = `"${sha256(`${key}\u0000${randomUUID()}`)}"`;
              const tags = answerTags(reads, result.data).map(tagOf);
              if (await cache.set(key, { result: answer, etag }, tags, ttlMs, families, seen)) {
                setResult({ ...result, extensions: { ...result.extensions, http: { headers: { ETag: etag } } } });
              }
            } finally {
              own.end();
            }
          },
        };
      })();
    },
    onResultProcess({ request, result, setResult, setResultProcessor }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      const hit = (result as Served)[SERVED];
      if (!hit) return;
      const { etag } = hit;
      if (etag !== undefined && request.headers.get('if-none-match') === etag) {
        setResultProcessor((_result, fetchAPI) => new fetchAPI.Response(null, { status: 304, headers: { ETag: etag } }), 'application/json');
        return;
      }
      setResult({
        ...result,
        extensions: {
          ...result.extensions,
          cost: { predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit: options.costLimit },
          ...(etag !== undefined ? { http: { headers: { ETag: etag } } } : {}),
        },
      });
    },
  };

  return [plugin];
}
