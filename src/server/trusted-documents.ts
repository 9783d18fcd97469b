import { createHash } from 'node:crypto';
import type { ApqOutcome } from '../observability/metrics.js';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { codedError } from '../errors/coded-error.js';
import { RedisDocumentStore } from '../shared-state/redis-document-store.js';

/**
 * Trusted documents (persisted operations).
 *
 * - An allow-list maps document ids to documents. It comes from a file (GraphQL Code Generator's
 *   client preset `persisted-documents.json`, any JSON object of id → document, or an Apollo
 *   persisted-query manifest) and, with Redis, from the hash `<prefix>td:docs`, which the file's
 *   entries are also written to at start so replicas without the file know them.
 * - Callers send `extensions.persistedQuery.sha256Hash` (APQ style) or `documentId`.
 * - `only: true`: any request carrying a document of its own is refused with `FORBIDDEN`, an id
 *   not on the list with `PERSISTED_QUERY_NOT_FOUND`, before the document is parsed, before the
 *   caller's schema is loaded, with no upstream call.
 * - `only: false`: documents run as usual and automatic persisted queries work: a request with a
 *   document and its SHA-256 registers it (in Redis when configured, so every replica learns it),
 *   and later requests may send the hash alone. A document is registered only once its caller
 *   was authenticated and it parsed and validated (when the request's context is built), and only
 *   up to a size; both stores are bounded in bytes, the oldest registrations going first.
 */

export interface TrustedDocumentsOptions {
  /** Path of the allow-list file (`TRUSTED_DOCUMENTS_FILE`). */
  file?: string;
  /** Allow-list entries given directly (id → document). */
  documents?: Record<string, string>;
  /** Refuse every document that is not on the allow-list (`TRUSTED_DOCUMENTS_ONLY`). Default false. */
  only?: boolean;
  /** Bounds of automatic persisted query registrations. */
  apq?: ApqOptions;
}

export interface ApqOptions {
  /** Largest document registered, in UTF-8 bytes; a larger one runs but is not registered. Default 32 KiB. */
  maxDocumentBytes?: number;
  /** Bytes of documents kept, in this process and (all replicas together) in Redis; the oldest go first. Default 8 MiB. */
  maxBytes?: number;
  /** How long a registration lives, in seconds. Default 86 400 (a day). */
  ttlSeconds?: number;
}

export interface TrustedDocumentStore {
  redis?: Redis;
  available?: () => boolean;
  onFallback?: () => void;
  /** Counts each document sent with its hash (for `/metrics`). */
  onRegistration?: (outcome: ApqOutcome) => void;
}

const APQ_DEFAULTS: Required<ApqOptions> = { maxDocumentBytes: 32 * 1024, maxBytes: 8 * 1024 * 1024, ttlSeconds: 24 * 3600 };

/** The property `name` of an object value; undefined for anything else. */
function propertyOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
}

function isDocumentMap(value: unknown): value is Record<string, string> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * A document id as the allow-list keys it: `sha256:<hex>` (GraphQL over HTTP's persisted
 * documents appendix, written by GraphQL Code Generator's client preset) and a bare `<hex>` (APQ,
 * Apollo's manifest) name the same document.
 */
export function documentKey(id: string): string {
  return id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
}

/** Reads an allow-list: `{ id: document }` or an Apollo manifest `{ operations: [{ id, body }] }`; ids keyed by `documentKey`. */
export function parseAllowList(text: string, origin: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const entries = new Map<string, string>();
  const operations = propertyOf(parsed, 'operations');
  if (Array.isArray(operations)) {
    for (const [index, operation] of operations.entries()) {
      const id = propertyOf(operation, 'id');
      const body = propertyOf(operation, 'body');
      if (typeof id !== 'string' || typeof body !== 'string') throw new Error(`${origin}: operations[${index}] needs a string id and body`);
      entries.set(documentKey(id), body);
    }
    return entries;
  }
  if (!isDocumentMap(parsed)) throw new Error(`${origin}: expected a JSON object mapping document ids to documents`);
  for (const [id, document] of Object.entries(parsed)) entries.set(documentKey(id), document);
  return entries;
}

function loadAllowList(options: TrustedDocumentsOptions): Map<string, string> {
  const entries = new Map<string, string>(Object.entries(options.documents ?? {}).map(([id, document]) => [documentKey(id), document]));
  if (options.file) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      throw new Error(`Trusted documents file ${options.file} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const [id, document] of parseAllowList(text, `Trusted documents file ${options.file}`)) entries.set(id, document);
  }
  return entries;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The document id a request names, if any: APQ's `sha256Hash` or `documentId`, as a `documentKey`. */
function documentIdOf(params: GraphQLParams): string | undefined {
  const sha256Hash = propertyOf(propertyOf(params.extensions, 'persistedQuery'), 'sha256Hash');
  if (typeof sha256Hash === 'string') return documentKey(sha256Hash);
  const documentId = propertyOf(params, 'documentId');
  if (typeof documentId === 'string' && documentId !== '') return documentKey(documentId);
  return undefined;
}

export interface TrustedDocuments {
  /** The guard: must run before the request's caller and schema are settled. */
  guard: Plugin;
  /** Yoga's persisted-operations plugin, fed what the guard resolved; runs before the response cache. */
  resolver: Plugin;
  /** Registers the documents sent with their hash; must run after the caller is authenticated. */
  registrar: Plugin;
  /** Number of entries on the allow-list this process loaded. */
  size: number;
  /** Writes the loaded allow-list to Redis (no-op without it). */
  publish(): Promise<void>;
}

export function createTrustedDocuments(options: TrustedDocumentsOptions, store: TrustedDocumentStore = {}): TrustedDocuments {
  const allowList = loadAllowList(options);
  const only = options.only ?? false;
  const apq = { ...APQ_DEFAULTS, ...options.apq };
  const registered = new LRUCache<string, string>({
    maxSize: apq.maxBytes,
    maxEntrySize: apq.maxDocumentBytes,
    sizeCalculation: (document) => Math.max(1, Buffer.byteLength(document)),
    ttl: apq.ttlSeconds * 1000,
  });
  // By request, then by id: a batched request may name several documents.
  const resolved = new WeakMap<Request, Map<string, string>>();
  /** Documents a request sent with a matching hash, by id, until they are registered. */
  const offered = new WeakMap<Request, Map<string, string>>();
  const shared = store.redis ? new RedisDocumentStore(store.redis, apq) : undefined;
  const useRedis = () => (shared && (!store.available || store.available()) ? shared : undefined);

  const fromRedis = async (read: (documents: RedisDocumentStore) => Promise<string | null>): Promise<string | undefined> => {
    const documents = useRedis();
    if (!documents) {
      if (shared) store.onFallback?.();
      return undefined;
    }
    try {
      return (await read(documents)) ?? undefined;
    } catch {
      store.onFallback?.();
      return undefined;
    }
  };

  const lookup = async (id: string): Promise<string | undefined> => {
    const listed = allowList.get(id) ?? (await fromRedis((documents) => documents.listed(id)));
    if (listed !== undefined || only) return listed;
    return registered.get(id) ?? (await fromRedis((documents) => documents.registered(id)));
  };

  const register = async (id: string, document: string): Promise<void> => {
    registered.set(id, document);
    store.onRegistration?.('registered');
    await fromRedis(async (documents) => {
      await documents.register(id, document);
      return null;
    });
  };

  const offer = (request: Request, id: string, document: string): void => {
    if (Buffer.byteLength(document) > apq.maxDocumentBytes) {
      store.onRegistration?.('too-large');
      return;
    }
    let documents = offered.get(request);
    if (!documents) offered.set(request, (documents = new Map()));
    documents.set(id, document);
  };

  const guard: Plugin = {
    onRequestParse({ request }) {
      return {
        async onRequestParseDone({ requestParserResult }) {
          const list = Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult];
          for (const params of list) {
            const id = documentIdOf(params);
            if (params.query) {
              if (only) {
                throw codedError('This gateway runs trusted documents only: send the id of a document from the allow-list.', 'FORBIDDEN');
              }
              if (id !== undefined) {
                if (sha256(params.query) !== id) throw codedError('The document does not match its sha256Hash.', 'BAD_USER_INPUT');
                offer(request, id, params.query);
              }
              continue;
            }
            if (id === undefined) continue;
            const document = await lookup(id);
            if (document === undefined) {
              if (only) throw codedError('PersistedQueryNotFound: the document id is not on the allow-list.', 'PERSISTED_QUERY_NOT_FOUND');
              // Automatic persisted queries: the client sends the document next, on a 200.
              throw codedError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', { http: { status: 200 } });
            }
            let documents = resolved.get(request);
            if (!documents) resolved.set(request, (documents = new Map()));
            documents.set(id, document);
          }
        },
      };
    },
  };

  const resolver = usePersistedOperations({
    allowArbitraryOperations: !only,
    extractPersistedOperationId: (params) => documentIdOf(params) ?? null,
    getPersistedOperation: (id, request) => resolved.get(request)?.get(id) ?? allowList.get(id) ?? null,
    customErrors: {
      notFound: () => codedError('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND'),
      keyNotFound: () => codedError('Send a GraphQL document or the id of a trusted document.', 'BAD_REQUEST'),
      persistedQueryOnly: () => codedError('This gateway runs trusted documents only.', 'FORBIDDEN'),
    },
  });

  const registrar: Plugin = {
    // The context is built only for an authenticated caller's document that parsed and validated.
    async onContextBuilding({ context }) {
      const documents = offered.get(context.request);
      const id = documentIdOf(context.params);
      const document = id === undefined ? undefined : documents?.get(id);
      if (id === undefined || document === undefined) return;
      documents?.delete(id);
      await register(id, document);
    },
    onResponse({ request, response }) {
      const left = offered.get(request);
      if (!left) return;
      offered.delete(request);
      for (let n = 0; n < left.size; n += 1) store.onRegistration?.(response.status === 401 ? 'unauthenticated' : 'invalid');
    },
  };

  return {
    guard,
    resolver,
    registrar,
    size: allowList.size,
    async publish() {
      await shared?.publish(allowList);
    },
  };
}
