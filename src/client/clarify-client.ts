/**
 * The one client through which the gateway talks to Clarify. Every method takes the per-call
 * `CallOptions` (credential, abort signal, request deadline, recorder); nothing about a caller is
 * kept between calls.
 */
import { BadDocument, parseIdentifiers, parseListDocument, parseResourceArray, parseSchemaPage, parseSingleDocument } from './documents.js';
import { ClarifyError } from './errors.js';
import { pathSegment, unusableIdReason } from './path-segment.js';
import { followableTarget, upstreamBase, type UpstreamBase } from './links.js';
import { clampLimit, includeList, listQueryPairs, MAX_PAGE_SIZE, withQuery, type QueryPair } from './query.js';
import { LocalRateBudget, type RateBudget } from './rate-limit.js';
import type { RetryMode } from './retry.js';
import { Transport, type ClientLogger, type HttpMethod, type UpstreamRequest, type UpstreamResponse } from './transport.js';
import type { CallOptions, CallRecorder, ClarifyResource, ListPage, ListParams, ResourceIdentifier, SingleDocument } from './types.js';

export type { ClientLogger } from './transport.js';

export interface ClarifyClientOptions {
  /** API base, e.g. `https://api.clarify.ai/v1` or the sandbox's `apiUrl`. */
  apiUrl: string;
  /** Workspace slug. */
  workspace: string;
  /** Records per page; default 500, never more than 500 sent. */
  pageSize?: number;
  /** Attempts per call, first one included; default 3. */
  maxAttempts?: number;
  /** Deadline of one attempt in ms (headers and body); default 10 000. */
  callTimeoutMs?: number;
  /** Largest response body accepted; default 20 MB. */
  maxBodyBytes?: number;
  /** undici Pool connections and the bound on concurrent upstream requests; default 16. */
  connections?: number;
  /** pino-compatible logger; never receives a credential. */
  logger?: ClientLogger;
  /** Full-jitter backoff base in ms; default 250. */
  retryBaseMs?: number;
  /**
   * Longest wait before a retry or a rate-limited send, in ms; default 60 000. A `Retry-After`
   * longer than this fails the call instead of waiting.
   */
  maxRetryDelayMs?: number;
  /** Receives every call of every request (process-wide accounting, metrics). */
  recorder?: CallRecorder;
  /**
   * Where calls take their rate budget. Default: one in this process, at `rateLimitPerMinute`
   * per credential and endpoint, paced by Clarify's `X-RateLimit-*` headers.
   */
  rateBudget?: RateBudget;
  /** Calls per minute per credential and endpoint when Clarify sends no rate headers; default 3000. */
  rateLimitPerMinute?: number;
  /**
   * Most attempts of an upsert whose outcome stays unknown (answers lost after sending); it is
   * sent again until an answer arrives, the request deadline passes or this many were made.
   * Default 10.
   */
  maxUnknownAttempts?: number;
}

const ROUTES = {
  schemas: 'GET /schemas',
  list: 'GET /objects/:object/resources',
  get: 'GET /objects/:object/resources/:id',
  create: 'POST /objects/:object/records',
  bulkCreate: 'POST /objects/:object/records/bulk',
  update: 'PATCH /objects/:object/records/:id',
  bulkUpdate: 'PATCH /objects/:object/records',
  delete: 'DELETE /objects/:object/records/:id',
  bulkDelete: 'DELETE /objects/:object/records',
  listRelationship: 'GET /objects/:object/records/:id/relationships/:rel',
  linkRelationship: 'PATCH /objects/:object/records/:id/relationships/:rel',
  unlinkRelationship: 'DELETE /objects/:object/records/:id/relationships/:rel',
  listDeleted: 'GET /objects/:object/deleted-resources',
  listUsers: 'GET /users',
  getUser: 'GET /users/:id',
} as const;

/** Most pages a single iteration will follow before calling the upstream's links circular. */
const MAX_PAGES = 10_000;

const seg = pathSegment;

/** Custom objects: the real API answers 500 to single-record PATCH, so they use bulk PATCH. */
function isCustomObject(object: string): boolean {
  return object.startsWith('c_');
}

export class ClarifyClient {
  private readonly base: UpstreamBase;
  private readonly pageSize: number;
  private readonly transport: Transport;

  constructor(options: ClarifyClientOptions) {
    this.base = upstreamBase(options.apiUrl, options.workspace);
    this.pageSize = clampLimit(options.pageSize, MAX_PAGE_SIZE);
    this.transport = new Transport({
      origin: this.base.origin,
      maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? 3)),
      callTimeoutMs: options.callTimeoutMs ?? 10_000,
      maxBodyBytes: options.maxBodyBytes ?? 20 * 1024 * 1024,
      connections: Math.max(1, Math.floor(options.connections ?? 16)),
      retryBaseMs: options.retryBaseMs ?? 250,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
      maxUnknownAttempts: Math.max(1, Math.floor(options.maxUnknownAttempts ?? 10)),
      logger: options.logger,
      recorder: options.recorder,
      rateBudget: options.rateBudget ?? new LocalRateBudget({ perMinute: options.rateLimitPerMinute }),
    });
  }

  /** Every `/schemas` item (raw; the workspace model parses them), following `links.next`. */
  async listSchemas(call: CallOptions): Promise<unknown[]> {
    const items: unknown[] = [];
    let path = this.path('/schemas');
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page += 1) {
      seen.add(path);
      const response = await this.send({ method: 'GET', route: ROUTES.schemas, path, mode: 'idempotent' }, call);
      const parsed = this.narrow(ROUTES.schemas, response, parseSchemaPage);
      items.push(...parsed.items);
      if (parsed.next === null || parsed.items.length === 0) return items;
      path = this.nextTarget(ROUTES.schemas, parsed.next, seen, pathnameOf(this.path('/schemas')));
    }
    throw this.badResponse(ROUTES.schemas, 'links.next never ended');
  }

  /** One page of `/objects/{object}/resources`. */
  list(object: string, params: ListParams, call: CallOptions): Promise<ListPage> {
    return this.listPage(ROUTES.list, `/objects/${seg(object)}/resources`, params, call);
  }

  /**
   * Every page of a list, in order. Follows `links.next` when it stays on the configured origin
   * and workspace path (anything else throws `UPSTREAM_BAD_RESPONSE` before a request is made);
   * without links, continues by `page[offset]` until `meta.total_records` is reached.
   */
  listAll(object: string, params: ListParams, call: CallOptions): AsyncIterable<ListPage> {
    return this.pages(ROUTES.list, `/objects/${seg(object)}/resources`, params, call);
  }

  /** One record with `relationships` (and `included` for `include`); null when upstream says 404. */
  async get(object: string, id: string, params: { include?: string[] }, call: CallOptions): Promise<SingleDocument | null> {
    const pairs: QueryPair[] = params.include && params.include.length > 0 ? [['include', includeList(params.include)]] : [];
    if (unusableIdReason(id) !== undefined) return null;
    const path = withQuery(this.path(`/objects/${seg(object)}/resources/${seg(id)}`), pairs);
    const response = await this.sendOrNull({ method: 'GET', route: ROUTES.get, path, mode: 'idempotent' }, call);
    return response === null ? null : this.narrow(ROUTES.get, response, parseSingleDocument);
  }

  /**
   * Create, or upsert on `matchOn` (the object's unique field). With `matchOn` the call is
   * idempotent and retried like a read; without it, it is retried only after a 429.
   * `matched` is true only when upstream answered 200 (an existing record was matched), and
   * null when the answer followed an attempt that may have been applied: its 200 may then be
   * matching the record that attempt created.
   */
  async create(
    object: string,
    attributes: Record<string, unknown>,
    opts: { matchOn?: string },
    call: CallOptions,
  ): Promise<{ document: SingleDocument; matched: boolean | null }> {
    const body: Record<string, unknown> = { data: { type: object, attributes } };
    if (opts.matchOn !== undefined) body.match_on = opts.matchOn;
    const response = await this.send(
      {
        method: 'POST',
        route: ROUTES.create,
        path: this.path(`/objects/${seg(object)}/records`),
        body,
        ...(opts.matchOn !== undefined ? { mode: 'idempotent', retryUntilKnown: true } : { mode: 'once' }),
      },
      call,
    );
    const matched = response.afterPossibleApply ? null : response.status === 200;
    return { document: this.narrow(ROUTES.create, response, parseSingleDocument), matched };
  }

  /** One bulk create/upsert call (all or nothing). The caller chunks to 25. Results in input order. */
  async bulkCreate(object: string, items: Record<string, unknown>[], opts: { matchOn?: string }, call: CallOptions): Promise<ClarifyResource[]> {
    const body: Record<string, unknown> = { data: items.map((attributes) => ({ type: object, attributes })) };
    if (opts.matchOn !== undefined) body.match_on = opts.matchOn;
    const response = await this.send(
      {
        method: 'POST',
        route: ROUTES.bulkCreate,
        path: this.path(`/objects/${seg(object)}/records/bulk`),
        body,
        ...(opts.matchOn !== undefined ? { mode: 'idempotent', retryUntilKnown: true } : { mode: 'once' }),
      },
      call,
    );
    return this.narrow(ROUTES.bulkCreate, response, parseResourceArray);
  }

  /** Partial update. Custom objects (`c_…`) go through bulk PATCH with one item. */
  async update(object: string, id: string, attributes: Record<string, unknown>, call: CallOptions): Promise<ClarifyResource> {
    if (isCustomObject(object)) {
      const [updated] = await this.bulkUpdate(object, [{ id, attributes }], call);
      if (updated === undefined) throw this.badResponse(ROUTES.bulkUpdate, 'bulk update answered no record');
      return updated;
    }
    const body = { data: { type: object, id, attributes } };
    const response = await this.send(
      { method: 'PATCH', route: ROUTES.update, path: this.path(`/objects/${seg(object)}/records/${this.idSegment(ROUTES.update, id)}`), body, mode: 'idempotent' },
      call,
    );
    return this.narrow(ROUTES.update, response, parseSingleDocument).data;
  }

  /** Bulk update; a 404 for any unknown id means nothing was applied. */
  async bulkUpdate(object: string, items: { id: string; attributes: Record<string, unknown> }[], call: CallOptions): Promise<ClarifyResource[]> {
    const body = { data: items.map((item) => ({ type: object, id: item.id, attributes: item.attributes })) };
    const response = await this.send(
      { method: 'PATCH', route: ROUTES.bulkUpdate, path: this.path(`/objects/${seg(object)}/records`), body, mode: 'idempotent' },
      call,
    );
    return this.narrow(ROUTES.bulkUpdate, response, parseResourceArray);
  }

  /**
   * Deletes one record. A 404 on a retry, after an attempt whose answer was lost, counts as done;
   * a 404 on the first attempt throws `NOT_FOUND`.
   */
  async delete(object: string, id: string, call: CallOptions): Promise<void> {
    await this.send(
      {
        method: 'DELETE',
        route: ROUTES.delete,
        path: this.path(`/objects/${seg(object)}/records/${this.idSegment(ROUTES.delete, id)}`),
        mode: 'idempotent',
        notFoundMeansDoneAfterRetry: true,
      },
      call,
    );
  }

  /**
   * Bulk delete (atomic upstream). A 404 always throws `NOT_FOUND`: it means some id is unknown
   * and nothing was deleted, or, after a retry, that an earlier attempt may already have deleted
   * them (`attempts` > 1 tells the two apart for the caller).
   */
  async bulkDelete(object: string, ids: string[], call: CallOptions): Promise<void> {
    await this.send(
      {
        method: 'DELETE',
        route: ROUTES.bulkDelete,
        path: this.path(`/objects/${seg(object)}/records`),
        body: { items: ids },
        mode: 'idempotent',
      },
      call,
    );
  }

  /**
   * One page of related records. Items that come back without `attributes` (identifier-only
   * variant) are returned with empty attributes and `identifierOnly: true`; the caller loads them.
   */
  async listRelationship(object: string, id: string, rel: string, params: ListParams, call: CallOptions): Promise<ListPage> {
    return this.listPage(ROUTES.listRelationship, this.relationshipPath(object, id, rel), params, call);
  }

  /** Every page of related records (same link rules as `listAll`). */
  listAllRelationship(object: string, id: string, rel: string, params: ListParams, call: CallOptions): AsyncIterable<ListPage> {
    return this.pages(ROUTES.listRelationship, this.relationshipPath(object, id, rel), params, call);
  }

  /**
   * PATCH a relationship. Send the complete wanted set: to-one and many-to-many replace,
   * one-to-many adds. Returns the identifiers linked after the change.
   */
  async linkRelationship(object: string, id: string, rel: string, targets: ResourceIdentifier[], call: CallOptions): Promise<ResourceIdentifier[]> {
    const body = { data: targets.map((target) => ({ type: target.type, id: target.id })) };
    const response = await this.send(
      { method: 'PATCH', route: ROUTES.linkRelationship, path: this.path(this.relationshipPath(object, id, rel)), body, mode: 'idempotent' },
      call,
    );
    return this.narrow(ROUTES.linkRelationship, response, parseIdentifiers);
  }

  /** Unlinks only the listed records; records that were not linked are ignored upstream. */
  async unlinkRelationship(object: string, id: string, rel: string, targets: ResourceIdentifier[], call: CallOptions): Promise<void> {
    const body = { data: targets.map((target) => ({ type: target.type, id: target.id })) };
    await this.send(
      { method: 'DELETE', route: ROUTES.unlinkRelationship, path: this.path(this.relationshipPath(object, id, rel)), body, mode: 'idempotent' },
      call,
    );
  }

  /**
   * One page of the object's records deleted lately (`/deleted-resources`): each as last stored,
   * with `_deleted_at`. Filter and sort on `_deleted_at` only.
   */
  listDeleted(object: string, params: ListParams, call: CallOptions): Promise<ListPage> {
    return this.listPage(ROUTES.listDeleted, `/objects/${seg(object)}/deleted-resources`, params, call);
  }

  /** One page of workspace members. */
  listUsers(params: ListParams, call: CallOptions): Promise<ListPage> {
    return this.listPage(ROUTES.listUsers, '/users', params, call);
  }

  /** Every page of workspace members. */
  listAllUsers(params: ListParams, call: CallOptions): AsyncIterable<ListPage> {
    return this.pages(ROUTES.listUsers, '/users', params, call);
  }

  /** One member; null on 404 (also for actor ids such as `system`). */
  async getUser(id: string, call: CallOptions): Promise<ClarifyResource | null> {
    if (unusableIdReason(id) !== undefined) return null;
    const response = await this.sendOrNull({ method: 'GET', route: ROUTES.getUser, path: this.path(`/users/${seg(id)}`), mode: 'idempotent' }, call);
    return response === null ? null : this.narrow(ROUTES.getUser, response, parseSingleDocument).data;
  }

  /**
   * One page of any other list endpoint of the workspace (activities, attachments, saved lists,
   * deleted resources). `relative` is the path under the workspace, already encoded; `route` is
   * its template for accounting and errors.
   */
  listAt(route: string, relative: string, params: ListParams, call: CallOptions): Promise<ListPage> {
    return this.listPage(route, relative, params, call);
  }

  /**
   * Any other call under the workspace, answered with its parsed JSON body (undefined when empty).
   * With `nullOn404` a 404 resolves to null instead of throwing `NOT_FOUND`.
   */
  async sendAt(
    request: { method: HttpMethod; route: string; relative: string; body?: unknown; mode: RetryMode; nullOn404?: boolean },
    call: CallOptions,
  ): Promise<UpstreamResponse | null> {
    const upstream: UpstreamRequest = { method: request.method, route: request.route, path: this.path(request.relative), mode: request.mode };
    if (request.body !== undefined) upstream.body = request.body;
    return request.nullOn404 ? this.sendOrNull(upstream, call) : this.send(upstream, call);
  }

  /** Calls and attempts made so far, and the pool's open/in-flight requests. */
  stats(): { calls: number; attempts: number; running: number; pending: number; connected: number } {
    return this.transport.stats();
  }

  /** Waits for in-flight requests, then closes the connections. */
  close(): Promise<void> {
    return this.transport.close();
  }

  private path(relative: string): string {
    return `${this.base.workspacePath}${relative}`;
  }

  private relationshipPath(object: string, id: string, rel: string): string {
    return `/objects/${seg(object)}/records/${this.idSegment(ROUTES.listRelationship, id)}/relationships/${seg(rel)}`;
  }

  /**
   * An id as one opaque path segment. An id that can never name a record (empty, `.`, `..`, a
   * lone surrogate) is refused as `NOT_FOUND` before anything is sent.
   */
  private idSegment(route: string, id: string): string {
    const reason = unusableIdReason(id);
    if (reason !== undefined) {
      throw new ClarifyError(`Clarify ${route} was not sent: ${reason}`, { code: 'NOT_FOUND', route, issues: [{ detail: `No record with id "${id}" (${reason})` }] });
    }
    return seg(id);
  }

  private send(request: UpstreamRequest, call: CallOptions): Promise<UpstreamResponse> {
    return this.transport.send(request, call);
  }

  private async sendOrNull(request: UpstreamRequest, call: CallOptions): Promise<UpstreamResponse | null> {
    try {
      return await this.transport.send(request, call);
    } catch (error) {
      if (ClarifyError.is(error) && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  private listPath(relative: string, params: ListParams): string {
    return withQuery(this.path(relative), listQueryPairs(params, this.pageSize));
  }

  private async listPage(route: string, relative: string, params: ListParams, call: CallOptions): Promise<ListPage> {
    const shape = { limit: clampLimit(params.limit, this.pageSize), offset: Math.max(0, Math.floor(params.offset ?? 0)) };
    return this.fetchPage(route, this.listPath(relative, params), shape, call);
  }

  private async fetchPage(route: string, path: string, shape: { limit: number; offset: number }, call: CallOptions): Promise<ListPage> {
    const response = await this.send({ method: 'GET', route, path, mode: 'idempotent' }, call);
    return this.narrow(route, response, (body) => parseListDocument(body, shape));
  }

  private async *pages(route: string, relative: string, params: ListParams, call: CallOptions): AsyncGenerator<ListPage> {
    const limit = clampLimit(params.limit, this.pageSize);
    let offset = Math.max(0, Math.floor(params.offset ?? 0));
    let path = this.listPath(relative, { ...params, limit, offset });
    const listPathname = pathnameOf(path);
    const seen = new Set<string>();
    for (let count = 0; count < MAX_PAGES; count += 1) {
      seen.add(path);
      const page = await this.fetchPage(route, path, { limit, offset }, call);
      yield page;
      if (page.data.length === 0) return;
      const reached = page.meta.offset + page.data.length;
      if (page.links.next !== null) {
        path = this.nextTarget(route, page.links.next, seen, listPathname);
        offset = reached;
        continue;
      }
      if (reached >= page.meta.totalRecords) return;
      offset = reached;
      path = this.listPath(relative, { ...params, limit, offset });
    }
    throw this.badResponse(route, 'links.next never ended');
  }

  /** Validates an upstream `links.next` before anything is sent to it. */
  private nextTarget(route: string, link: string, seen: Set<string>, listPathname: string): string {
    const target = followableTarget(link, this.base);
    if (target === undefined) throw this.badResponse(route, 'links.next points outside the configured API origin and workspace; not followed');
    // The next page of a list is the same list: a link to another endpoint is not followed.
    if (pathnameOf(target) !== listPathname) throw this.badResponse(route, 'links.next points at another endpoint; not followed');
    const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
    const limit = new URLSearchParams(query).get('page[limit]');
    if (limit !== null && !(Number(limit) >= 1 && Number(limit) <= this.pageSize)) {
      throw this.badResponse(route, 'links.next asks for a page size over the configured limit; not followed');
    }
    if (seen.has(target)) throw this.badResponse(route, 'links.next repeats a page already read');
    return target;
  }

  private narrow<T>(route: string, response: UpstreamResponse, parse: (body: unknown) => T): T {
    try {
      return parse(response.body);
    } catch (error) {
      if (BadDocument.is(error)) throw this.badResponse(route, error.message, response.status);
      throw error;
    }
  }

  private badResponse(route: string, detail: string, status?: number): ClarifyError {
    return new ClarifyError(`Clarify ${route}: unexpected response (${detail})`, { code: 'UPSTREAM_BAD_RESPONSE', route, status, issues: [{ detail }] });
  }
}

/** The path of a request target, without its query. */
function pathnameOf(target: string): string {
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}
