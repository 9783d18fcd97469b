import { isRecord } from '../client/documents.js';
import { GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import Negotiator from 'negotiator';
import type { Logger } from '../observability/logger.js';
import type { Registry } from 'prom-client';
import { ClarifyError } from '../client/errors.js';
import type { ErrorCode } from '../errors/codes.js';
import { refusalResponse, type RefusalOptions } from '../errors/refusal.js';
import { scopeAllows, type AccessScope } from '../plan/field-info.js';
import { BudgetShare } from './budget-share.js';
import { createBulkMetrics, type BulkMetrics } from './bulk-metrics.js';
import { planExportDocument, type ExportRequest } from './export-document.js';
import { startExport } from './export-stream.js';
import { importTarget } from './import-target.js';
import { startImport } from './import-stream.js';
import { NDJSON_TYPE } from './ndjson.js';
import { parseAnswer, type OperationAnswer, type RunOperation } from './operation-answer.js';
import { createPageHandOver, type PageHandOver } from './page-hand-over.js';

/** Who calls, as the gateway's authenticator decides it. */
type BulkCaller = { ok: true; credential: string; scope: AccessScope } | { ok: false; reason: string };

/** Settings of `/export` and `/import/{object}` (see docs/bulk.md). */
export interface BulkSettings {
  /** Percentage of the upstream rate budget bulk work may take, per credential (`BULK_BUDGET_SHARE`). */
  budgetShare: number;
  /** Longest `/import` line in bytes (`IMPORT_MAX_LINE_BYTES`). */
  importMaxLineBytes: number;
  /** Most lines of one `/import` request (`IMPORT_MAX_LINES`). */
  importMaxLines: number;
  /** Times a page or batch refused with `RATE_LIMITED` waits and asks again before the request ends. */
  rateLimitedRetries: number;
}

export interface BulkRouteOptions extends BulkSettings {
  graphqlEndpoint: string;
  /** Answers a request as the gateway does: each page and batch is a `/graphql` request of its own. */
  run(request: Request): Promise<Response>;
  authenticate(authorization: string | null): BulkCaller;
  /** The caller's GraphQL schema (for the import's input types). */
  schemaFor(credential: string): Promise<GraphQLSchema>;
  /** Upstream calls per minute per credential and endpoint (`RATE_LIMIT_PER_MINUTE`). */
  rateLimitPerMinute: number;
  /** `MAX_BODY_BYTES`: the limit of `/export`'s body, and of each import batch sent to `/graphql`. */
  bodyBytes: number;
  /** `MAX_TOKENS`: the most tokens an export document may hold, as on `/graphql`. */
  maxTokens: number;
  requestIdOf(request: Request): string;
  logger: Logger;
  registry: Registry;
}

export interface BulkRoutes {
  plugin: Plugin;
  /** Whether a `/graphql` request is an export's page (its answers are not worth caching). */
  isExportPage(request: Request): boolean;
}

const EXPORT_PATH = '/export';
export const IMPORT_PREFIX = '/import/';
/** Media types `/import` reads. */
const IMPORT_TYPES = [NDJSON_TYPE, 'application/jsonl', 'application/x-jsonlines'];

/**
 * A refusal before any line is written, which no cache keeps: the code's status from the table,
 * unless a protocol fixes another (405).
 */
function errorResponse(code: ErrorCode, message: string, options: RefusalOptions = {}): Response {
  return refusalResponse(code, message, { ...options, headers: { 'cache-control': 'no-store', ...options.headers } });
}

const mediaType = (request: Request): string => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** Whether the `Accept` header (absent: anything) takes NDJSON. */
function acceptsNdjson(request: Request): boolean {
  const accept = request.headers.get('accept');
  if (accept === null || accept.trim() === '') return true;
  return new Negotiator({ headers: { accept } }).mediaTypes([NDJSON_TYPE]).length > 0;
}


/** An export request's body, or why it cannot be one. */
async function readExportRequest(request: Request): Promise<ExportRequest | Response> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return errorResponse('BAD_USER_INPUT', 'The body is not JSON: send {"query": "…", "variables": {…}}.');
  }
  if (!isRecord(body) || typeof body['query'] !== 'string') return errorResponse('BAD_USER_INPUT', 'The body needs a `query` string.');
  const variables = body['variables'] ?? {};
  if (!isRecord(variables)) return errorResponse('BAD_USER_INPUT', '`variables` must be a JSON object.');
  const operationName = body['operationName'];
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return errorResponse('BAD_USER_INPUT', '`operationName` must be a string.');
  }
  return { query: body['query'], variables, operationName: operationName ?? undefined };
}

/** The code of a failure to load the caller's schema: Clarify's refusal of the credential, or unavailable. */
function schemaFailure(error: unknown): Response {
  if (ClarifyError.is(error) && error.code === 'UNAUTHENTICATED') return errorResponse('UNAUTHENTICATED', 'Clarify rejected the credential.', { headers: { 'www-authenticate': 'Bearer' } });
  return errorResponse('UPSTREAM_UNAVAILABLE', 'The workspace schema could not be loaded from Clarify.');
}

/** What both routes run with: their options, and the metrics, budget share and page hand-over they share. */
interface RouteContext {
  options: BulkRouteOptions;
  metrics: BulkMetrics;
  share: BudgetShare;
  pages: PageHandOver;
}

/** Runs a page or batch as a `/graphql` request of the caller's; an export's page is handed over as the object execution made. */
function runner(context: RouteContext, request: Request, requestId: string, exportPage: boolean): RunOperation {
  const { options, pages } = context;
  const authorization = request.headers.get('authorization');
  return async (operation, signal) => {
    const body = JSON.stringify(operation);
    const page = exportPage ? pages.open() : undefined;
    let response: Response;
    let handed: ExecutionResult | undefined;
    try {
      response = await options.run(
        new Request(`http://localhost${options.graphqlEndpoint}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json',
            'content-length': String(Buffer.byteLength(body)),
            'x-request-id': requestId,
            ...(authorization !== null ? { authorization } : {}),
            ...page?.headers,
          },
          body,
          signal,
        }),
      );
    } finally {
      handed = page && pages.close(page.token);
    }
    if (handed === undefined) return parseAnswer(response.status, await response.text());
    await response.body?.cancel();
    const answer: OperationAnswer = { status: response.status, body: { data: handed.data ?? null } };
    if (handed.extensions !== undefined) answer.body.extensions = handed.extensions;
    return answer;
  };
}

/** The caller, or the refusal of its credential. */
function authenticate(options: BulkRouteOptions, request: Request): (BulkCaller & { ok: true }) | Response {
  const caller = options.authenticate(request.headers.get('authorization'));
  if (!caller.ok) return errorResponse('UNAUTHENTICATED', caller.reason, { headers: { 'www-authenticate': 'Bearer' } });
  return caller;
}

/** `POST /export`: the request is checked and planned, then the export runs. */
async function exportRoute(context: RouteContext, request: Request): Promise<Response> {
  const { options } = context;
  const caller = authenticate(options, request);
  if (caller instanceof Response) return caller;
  if (!acceptsNdjson(request)) return errorResponse('NOT_ACCEPTABLE', `An export answers ${NDJSON_TYPE}; send Accept: ${NDJSON_TYPE} (or */*).`);
  if (mediaType(request) !== 'application/json') {
    return errorResponse('UNSUPPORTED_MEDIA_TYPE', 'Send the export request as application/json: {"query": "…", "variables": {…}}.');
  }
  const exportRequest = await readExportRequest(request);
  if (exportRequest instanceof Response) return exportRequest;
  let document;
  try {
    document = planExportDocument(exportRequest, options.maxTokens);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return errorResponse(error.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED', error.message);
  }
  const requestId = options.requestIdOf(request);
  return startExport({
    document,
    run: runner(context, request, requestId, true),
    share: context.share,
    credential: caller.credential,
    logger: options.logger,
    metrics: context.metrics,
    requestId,
    rateLimitedRetries: options.rateLimitedRetries,
    signal: request.signal,
  });
}

/** `POST /import/{object}`: the request is checked against the caller's schema, then the import runs. */
async function importRoute(context: RouteContext, request: Request, object: string): Promise<Response> {
  const { options } = context;
  const caller = authenticate(options, request);
  if (caller instanceof Response) return caller;
  if (!acceptsNdjson(request)) return errorResponse('NOT_ACCEPTABLE', `An import answers ${NDJSON_TYPE}; send Accept: ${NDJSON_TYPE} (or */*).`);
  if (!IMPORT_TYPES.includes(mediaType(request))) {
    return errorResponse('UNSUPPORTED_MEDIA_TYPE', `Send the lines to import as ${NDJSON_TYPE}: one JSON object per line.`);
  }
  let schema: GraphQLSchema;
  try {
    schema = await options.schemaFor(caller.credential);
  } catch (error) {
    return schemaFailure(error);
  }
  const target = importTarget(schema, object);
  if (!target) return errorResponse('NOT_FOUND', `The workspace has no object "${object}" whose records can be created (use its Clarify slug, such as person or c_sales_order).`);
  if (!scopeAllows(caller.scope, target.scope)) {
    return errorResponse('FORBIDDEN', `An import runs ${target.field}, which needs a ${target.scope} token.`, { errorExtensions: { requiredScope: target.scope } });
  }
  const requestId = options.requestIdOf(request);
  return startImport({
    target,
    body: request.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() }),
    run: runner(context, request, requestId, false),
    share: context.share,
    credential: caller.credential,
    logger: options.logger,
    metrics: context.metrics,
    requestId,
    maxLineBytes: options.importMaxLineBytes,
    maxLines: options.importMaxLines,
    batchBytes: options.bodyBytes,
    rateLimitedRetries: options.rateLimitedRetries,
    signal: request.signal,
  });
}

/** The object an import path names (`/import/{object}`); '' when it cannot be decoded. */
function importObject(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice(IMPORT_PREFIX.length));
  } catch {
    return '';
  }
}

/**
 * `POST /export` and `POST /import/{object}` (docs/bulk.md). Both authenticate like `/graphql`
 * and run every page or batch as a `/graphql` operation of the caller's, so limits, scopes,
 * masking, metrics and the response cache's invalidation apply to them as to any other.
 */
export function useBulkRoutes(options: BulkRouteOptions): BulkRoutes {
  const context: RouteContext = {
    options,
    metrics: createBulkMetrics(options.registry),
    share: new BudgetShare(options.rateLimitPerMinute, options.budgetShare),
    pages: createPageHandOver(),
  };
  const plugin: Plugin = {
    onResultProcess: context.pages.onResultProcess,
    async onRequest({ request, url, endResponse }) {
      const isExport = url.pathname === EXPORT_PATH;
      const isImport = url.pathname.startsWith(IMPORT_PREFIX);
      if (!isExport && !isImport) return;
      if (request.method !== 'POST') {
        endResponse(errorResponse('BAD_USER_INPUT', `${url.pathname} takes POST.`, { status: 405, headers: { allow: 'POST' } }));
        return;
      }
      endResponse(isExport ? await exportRoute(context, request) : await importRoute(context, request, importObject(url.pathname)));
    },
  };
  return { plugin, isExportPage: context.pages.isPage };
}
