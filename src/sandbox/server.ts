import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import qs from 'qs';
import { DOWNLOAD_PATH, UPLOAD_PATH, checkUpload, findDownload } from './attachments.js';
import { ApiError, errorObject } from './errors.js';
import { FaultBook, type Fault } from './faults.js';
import type { HandlerContext, HandlerResult, WorkspaceState } from './handler.js';
import { readBody, sendEmpty, sendJson, sendTruncatedJson, type Headers } from './http-util.js';
import type { Query } from './list.js';
import { RateLimiter, rateHeaders } from './rate-limit.js';
import { applyDueJobs } from './schema-jobs.js';
import { matchRoute, routeKey } from './routes.js';
import { createWorkspace } from './state.js';
import type { SeedCounts } from './seed.js';

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks an ephemeral port. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Seed of the demo data; default 42. */
  seed?: number;
  /** Approximate number of seeded records; default 300, up to 100,000. */
  records?: number;
  /** Requests per rolling minute per endpoint (method + route template); default 3000. */
  rateLimitPerMinute?: number;
  /** Largest attachment a signed upload accepts, in bytes; default 10 MiB. */
  maxUploadBytes?: number;
  /** How long select-option edits stay pending before they apply; default 300 ms. */
  schemaApplyDelayMs?: number;
  /** Records of these objects instead of their share of `records` (e.g. `{ deal: 100_000 }` for a long export). */
  objectCounts?: Partial<SeedCounts>;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `origin + '/v1'` */
  apiUrl: string;
  /** The workspace slug, `demo`. */
  workspace: string;
  /** The one accepted API key, `sandbox-key`. */
  apiKey: string;
  /** Stops listening and destroys open sockets. */
  close(): Promise<void>;
}

export const SANDBOX_WORKSPACE = 'demo';
export const SANDBOX_API_KEY = 'sandbox-key';
const DEFAULT_RECORDS = 300;
const MAX_RECORDS = 100_000;
const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

interface Stats {
  total: number;
  byRoute: Record<string, number>;
  /** Requests refused with 429 because the rate budget was spent. */
  rateLimited: number;
}

class Sandbox {
  workspace: WorkspaceState;
  readonly faults: FaultBook;
  readonly limiter: RateLimiter;
  stats: Stats = { total: 0, byRoute: {}, rateLimited: 0 };
  /** Added to the wall clock: lets tests reach retention windows and expiries without waiting. */
  clockOffsetMs = 0;

  constructor(
    private readonly seed: number,
    private readonly records: number,
    rateLimit: number,
    readonly maxUploadBytes: number,
    readonly schemaApplyDelayMs: number,
    private readonly objectCounts: Partial<SeedCounts> = {},
  ) {
    this.workspace = createWorkspace(seed, records, objectCounts);
    this.faults = new FaultBook(seed);
    this.limiter = new RateLimiter(rateLimit);
  }

  reset(): void {
    this.workspace = createWorkspace(this.seed, this.records, this.objectCounts);
    this.faults.reset();
    this.limiter.reset();
    this.stats = { total: 0, byRoute: {}, rateLimited: 0 };
    this.clockOffsetMs = 0;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const questionMark = rawUrl.indexOf('?');
    const path = questionMark === -1 ? rawUrl : rawUrl.slice(0, questionMark);
    const rawQuery = questionMark === -1 ? '' : rawUrl.slice(questionMark + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    if (path.startsWith(UPLOAD_PATH) || path.startsWith(DOWNLOAD_PATH)) {
      await this.signedTransfer(method, path, req, res);
      return;
    }
    const body = await readBody(req);

    if (path.startsWith('/__sandbox/')) {
      this.control(method, path, body, res);
      return;
    }
    if (!path.startsWith('/v1/')) {
      sendJson(res, 404, { errors: [errorObject(404, `No such path "${path}"; the API lives under /v1/workspaces/{slug}`)] });
      return;
    }

    const segments = path.split('/').slice(1).map(safeDecode);
    const [, workspacesSegment, slug, ...rest] = segments;
    const match = workspacesSegment === 'workspaces' && slug !== undefined ? matchRoute(method, rest) : ({ kind: 'none' } as const);
    const key =
      match.kind === 'route' ? routeKey(match.route) : match.kind === 'method-not-allowed' ? `${method} ${match.template}` : `${method} (unknown path)`;
    this.stats.total++;
    this.stats.byRoute[key] = (this.stats.byRoute[key] ?? 0) + 1;

    const fault = this.faults.take(key);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status !== undefined) {
      const headers: Headers = rateHeaders(this.limiter.peek(key));
      if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      sendJson(res, fault.status, { errors: [errorObject(fault.status, 'Scripted fault')] }, headers);
      return;
    }

    const auth = req.headers.authorization;
    if (!isAuthorized(auth)) {
      const detail =
        auth === undefined
          ? 'Missing Authorization header; send "Authorization: api-key KEY"'
          : /^bearer\s/i.test(auth)
            ? 'API keys are sent as "Authorization: api-key KEY"; Bearer tokens are not accepted here'
            : 'Unknown API key';
      this.respond(res, { status: 401, body: { errors: [errorObject(401, detail)] } }, rateHeaders(this.limiter.peek(key)), fault);
      return;
    }

    // The budget is the workspace's: a request for a workspace that does not exist spends none of it.
    if (slug !== SANDBOX_WORKSPACE) {
      const detail = `Workspace "${slug ?? ''}" does not exist`;
      this.respond(res, { status: 404, body: { errors: [errorObject(404, detail)] } }, rateHeaders(this.limiter.peek(key)), fault);
      return;
    }

    const rate = this.limiter.take(key);
    const headers: Headers = rateHeaders(rate);
    if (!rate.allowed) {
      headers['Retry-After'] = String(rate.resetSeconds);
      this.stats.rateLimited++;
      const detail = `Rate limit of ${rate.limit} requests per minute exceeded for ${key}`;
      this.respond(res, { status: 429, body: { errors: [errorObject(429, detail)] } }, headers, fault);
      return;
    }

    let result: HandlerResult;
    try {
      if (slug !== SANDBOX_WORKSPACE) throw new ApiError(404, `Workspace "${slug ?? ''}" does not exist`);
      if (match.kind === 'none') throw new ApiError(404, `No endpoint ${method} ${path}`);
      if (match.kind === 'method-not-allowed') throw new ApiError(405, `${method} is not supported on ${match.template}`);
      const host = req.headers.host ?? `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 0}`;
      const context: HandlerContext = {
        params: match.params,
        query: parseQuery(rawQuery),
        url: { origin: `http://${host}`, path, rawQuery },
        body: memoBody(body),
        workspace: this.workspace,
        now: () => this.now(),
        maxUploadBytes: this.maxUploadBytes,
        schemaApplyDelayMs: this.schemaApplyDelayMs,
      };
      applyDueJobs(this.workspace.extras, this.now());
      result = match.route.handler(context);
    } catch (error) {
      result = errorResult(error);
    }
    this.respond(res, result, headers, fault);
  }

  private respond(res: ServerResponse, result: HandlerResult, headers: Headers, fault: Fault | undefined): void {
    if (fault?.drop) {
      res.socket?.destroy();
      return;
    }
    if (fault?.malformed) {
      sendTruncatedJson(res, result.status, result.body, headers);
      return;
    }
    if (result.body === undefined) sendEmpty(res, result.status, headers);
    else sendJson(res, result.status, result.body, headers);
  }

  /** Signed file URLs: no API key, the token in the path is the credential. */
  private async signedTransfer(method: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const extras = this.workspace.extras;
    const fail = (status: number, detail: string): void => {
      req.resume();
      res.setHeader('Connection', 'close');
      sendJson(res, status, { errors: [errorObject(status, detail)] });
    };
    if (path.startsWith(DOWNLOAD_PATH)) {
      if (method !== 'GET') return fail(405, 'Downloads are fetched with GET');
      const found = findDownload(extras, path.slice(DOWNLOAD_PATH.length), this.now());
      if ('status' in found) return fail(found.status, found.detail);
      res.writeHead(200, {
        'Content-Type': found.contentType,
        'Content-Length': found.content.length,
        'Content-Disposition': `attachment; filename="${found.fileName.replace(/["\\\r\n]/g, '_')}"`,
      });
      res.end(found.content);
      return;
    }
    if (method !== 'PUT') return fail(405, 'Uploads are sent with PUT');
    const lengthHeader = req.headers['content-length'];
    const declared = lengthHeader === undefined ? undefined : Number(lengthHeader);
    const check = checkUpload(extras, path.slice(UPLOAD_PATH.length), this.now(), declared);
    if (!check.ok) return fail(check.status, check.detail);
    const { upload } = check;
    const chunks: Buffer[] = [];
    let received = 0;
    const tooLarge = await new Promise<boolean>((resolve, reject) => {
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > upload.size) {
          req.removeAllListeners('data');
          resolve(true);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(false));
      req.on('error', reject);
    });
    if (tooLarge) return fail(413, `The file is larger than the ${upload.size} bytes declared for this upload`);
    if (received !== upload.size) return fail(400, `Received ${received} bytes; this upload was declared as ${upload.size}`);
    upload.content = Buffer.concat(chunks);
    sendEmpty(res, 200);
  }

  private control(method: string, path: string, body: Buffer, res: ServerResponse): void {
    try {
      if (method === 'GET' && path === '/__sandbox/stats') {
        sendJson(res, 200, { total: this.stats.total, byRoute: { ...this.stats.byRoute }, rateLimited: this.stats.rateLimited });
      } else if (method === 'POST' && path === '/__sandbox/reset') {
        this.reset();
        sendJson(res, 200, { ok: true });
      } else if (method === 'POST' && path === '/__sandbox/faults') {
        this.faults.script(memoBody(body)());
        sendJson(res, 200, { faults: this.faults.list() });
      } else if (method === 'POST' && path === '/__sandbox/clock') {
        const request = memoBody(body)();
        const advance = typeof request === 'object' && request !== null ? (request as { advanceMs?: unknown }).advanceMs : undefined;
        if (typeof advance !== 'number' || !Number.isFinite(advance) || advance < 0) {
          throw new ApiError(400, 'Send {"advanceMs": N} with N ≥ 0; the clock only moves forward');
        }
        this.clockOffsetMs += advance;
        sendJson(res, 200, { now: new Date(this.now()).toISOString(), offsetMs: this.clockOffsetMs });
      } else if (method === 'GET' && path === '/__sandbox/faults') {
        sendJson(res, 200, { faults: this.faults.list() });
      } else {
        throw new ApiError(404, `No sandbox control ${method} ${path}`);
      }
    } catch (error) {
      const result = errorResult(error);
      sendJson(res, result.status, result.body);
    }
  }
}

function isAuthorized(header: string | undefined): boolean {
  if (header === undefined) return false;
  const match = /^(\S+)\s+(.+)$/.exec(header.trim());
  return match !== null && match[1]!.toLowerCase() === 'api-key' && match[2] === SANDBOX_API_KEY;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Bracket notation (`filter[amount][Greater than or equal]=5`), raw or percent-encoded, `+` as space. */
function parseQuery(rawQuery: string): Query {
  return qs.parse(rawQuery, {
    depth: 8,
    arrayLimit: 200,
    parameterLimit: 5000,
    allowDots: false,
    allowPrototypes: false,
    ignoreQueryPrefix: true,
    comma: false,
    duplicates: 'combine',
  }) as Query;
}

function memoBody(buffer: Buffer): () => unknown {
  let parsed: { value: unknown } | undefined;
  return () => {
    if (parsed) return parsed.value;
    const text = buffer.toString('utf8');
    if (text.trim() === '') throw new ApiError(400, 'The request body is empty; a JSON body is required');
    try {
      parsed = { value: JSON.parse(text) as unknown };
    } catch (error) {
      throw new ApiError(400, `The request body is not valid JSON: ${(error as Error).message}`);
    }
    return parsed.value;
  };
}

function errorResult(error: unknown): HandlerResult {
  if (error instanceof ApiError) return { status: error.status, body: { errors: error.errors } };
  const detail = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { errors: [errorObject(500, `Unexpected sandbox error: ${detail}`)] } };
}

/** Starts a sandbox with a freshly seeded demo workspace. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const records = Math.min(MAX_RECORDS, Math.max(1, Math.floor(options.records ?? DEFAULT_RECORDS)));
  const sandbox = new Sandbox(options.seed ?? 42, records, options.rateLimitPerMinute ?? 3000, options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    options.schemaApplyDelayMs ?? 300,
    options.objectCounts,
  );
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    sandbox.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        const result = errorResult(error);
        sendJson(res, result.status, result.body);
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    origin,
    apiUrl: `${origin}/v1`,
    workspace: SANDBOX_WORKSPACE,
    apiKey: SANDBOX_API_KEY,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
