import { createHash, randomUUID } from 'node:crypto';
import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { answerTags, familyOf, idsAt, mutationTags } from '../../plan/effects.js';
import type { OperationPlan } from '../../plan/plan.js';
import type { LayeredCache } from '../../shared-state/layered-cache.js';
import { scopedTag } from '../../shared-state/memory-response-cache.js';
import { ReadFlights, type OwnRead } from './response-cache-flights.js';
import { noCallCost } from './use-operation-plan.js';

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
export function stableStringify(value: unknown): string {
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

/** One gateway's response cache, as its hooks share it. */
interface ResponseCache {
  readonly options: ResponseCacheOptions;
  readonly store: LayeredCache;
  readonly flights: ReadFlights;
  /** A tag scoped by the upstream whose data it names. */
  tagOf(tag: string): string;
}

/** A cacheable query of a request, read under one key. */
interface Read {
  readonly key: string;
  /** The families (scoped) whose versions an answer to it is stored against. */
  readonly families: readonly string[];
  readonly plan: OperationPlan;
  readonly context: CacheContext;
}

type OnExecute = NonNullable<Plugin['onExecute']>;
type ExecutePayload = Parameters<OnExecute>[0];
type ExecuteHooks = Exclude<Awaited<ReturnType<OnExecute>>, void>;
type ExecuteDoneResult = Parameters<NonNullable<ExecuteHooks['onExecuteDone']>>[0]['result'];
type ResultProcessPayload = Parameters<NonNullable<Plugin['onResultProcess']>>[0];

const served = (result: ExecutionResult, etag: string | undefined): Served => ({ ...result, [SERVED]: { etag } });

/** The TTL of an answer: the shortest of the global one and those of the types it holds. */
function ttlMsOf(options: ResponseCacheOptions, plan: OperationPlan, data: unknown): number {
  let seconds = options.ttlSeconds;
  for (const position of plan.cache.reads.records) {
    const perType = options.ttlPerType?.[position.type];
    if (perType === undefined) continue;
    const { ids, unseen } = idsAt(data, position);
    if (ids.length > 0 || unseen) seconds = Math.min(seconds, perType);
  }
  return seconds * 1000;
}

/**
 * Invalidates the tags a mutation's fields declare, and their families, before its answer is
 * sent; the reads in flight on this replica from before it are joined no more.
 */
async function invalidateWrites(cache: ResponseCache, plan: OperationPlan, result: ExecuteDoneResult): Promise<void> {
  // An incremental answer's payload comes later: take its records as unknown.
  const whole = Symbol.asyncIterator in result ? undefined : result;
  const paths = (whole?.errors ?? []).flatMap((error) => (error.path ? [error.path] : []));
  const tags = mutationTags(plan.cache.writes, whole?.data, paths);
  if (tags.length === 0) return;
  cache.flights.invalidated();
  await cache.store.invalidate(tags.map(cache.tagOf), [...new Set(tags.map(familyOf))].map(cache.tagOf));
}

/**
 * A cacheable query, in order: the stored answer; the answer of a read of its key in flight on
 * this replica; the answer of the replica that claimed its key; else a miss, read upstream.
 */
async function readThrough(cache: ResponseCache, read: Read, payload: ExecutePayload): Promise<ExecuteHooks | undefined> {
  const hit = (result: ExecutionResult, etag: string | undefined): undefined => {
    cache.options.onLookup?.('hit');
    payload.setResultAndStopExecution(served(result, etag));
    return undefined;
  };
  const found = await cache.store.get(read.key);
  if (found) return hit(found.result, found.etag);
  const inFlight = await cache.flights.joinOrBegin(read.key, read.families);
  if ('answer' in inFlight) return hit(inFlight.answer, undefined);
  const theirs = await inFlight.own.claim(read.context.call?.deadline);
  if (theirs) return hit(theirs.result, theirs.etag);
  cache.options.onLookup?.('miss');
  return readMiss(cache, read, inFlight.own, payload);
}

/**
 * A miss goes upstream as the request's own read. Its answer is handed to the requests that
 * joined it as soon as it is there, and the read ends once the answer is stored or given up.
 */
async function readMiss(cache: ResponseCache, read: Read, own: OwnRead, { executeFn, setExecuteFn }: ExecutePayload): Promise<ExecuteHooks> {
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
        const etag = await storeAnswer(cache, read, answer, seen);
        if (etag !== undefined) setResult({ ...result, extensions: { ...result.extensions, http: { headers: { ETag: etag } } } });
      } finally {
        own.end();
      }
    },
  };
}

/**
 * Stores a miss's answer, with a new ETag, unless its TTL is 0 or its families' versions could not
 * be read before it went upstream or moved since. The ETag when it was stored, else undefined.
 */
async function storeAnswer(cache: ResponseCache, read: Read, answer: ExecutionResult, seen: readonly string[] | undefined): Promise<string | undefined> {
  const ttlMs = ttlMsOf(cache.options, read.plan, answer.data);
  if (seen === undefined || ttlMs <= 0) return undefined;
  const etag = `"${sha256(`${read.key}\u0000${randomUUID()}`)}"`;
  const tags = answerTags(read.plan.cache.reads, answer.data).map(cache.tagOf);
  const stored = await cache.store.set(read.key, { result: answer, etag }, tags, ttlMs, read.families, seen);
  return stored ? etag : undefined;
}

/**
 * An answer from the cache: 304 when the request's If-None-Match is its ETag, else the answer
 * with its ETag and the cost of no upstream call.
 */
function sendFromCache({ request, result, setResult, setResultProcessor }: ResultProcessPayload, costLimit: number): void {
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
      cost: noCallCost(costLimit),
      ...(etag !== undefined ? { http: { headers: { ETag: etag } } } : {}),
    },
  });
}

export function useGatewayResponseCache(options: ResponseCacheOptions): Plugin[] {
  // Off: no plugin at all.
  if (options.ttlSeconds <= 0) return [];
  const cache: ResponseCache = {
    options,
    store: options.cache,
    flights: new ReadFlights(options.cache),
    tagOf: (tag) => scopedTag(options.upstream, tag),
  };
  const plugin: Plugin = {
    onExecute(payload) {
      const { args } = payload;
      const context = args.contextValue as CacheContext;
      const { request, plan } = context;
      if (!request || !plan) return;
      const operation = getOperationAST(args.document, args.operationName ?? undefined)?.operation;
      // Every write invalidates, whatever the scope of the request that made it.
      if (operation === 'mutation') return { onExecuteDone: ({ result }) => invalidateWrites(cache, plan, result) };
      if (operation !== 'query' || !plan.cache.reads.cacheable) return;
      const scope = options.scopeOf(request);
      if (scope === undefined) return;
      const key = cacheKey(scope, args.operationName, args.document, args.variableValues);
      return readThrough(cache, { key, families: plan.cache.reads.families.map(cache.tagOf), plan, context }, payload);
    },
    onResultProcess: (payload) => sendFromCache(payload, options.costLimit),
  };
  return [plugin];
}
