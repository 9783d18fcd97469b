/**
 * Picks what the contract suite talks to: the real Clarify API when CLARIFY_API_URL,
 * CLARIFY_WORKSPACE and CLARIFY_API_KEY are all set, otherwise a sandbox on an ephemeral port.
 */
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/server.js';

const env = process.env;
export const REAL_API = Boolean(env.CLARIFY_API_URL && env.CLARIFY_WORKSPACE && env.CLARIFY_API_KEY);
/** For `describe.skipIf(SANDBOX_ONLY)`: behaviour only the sandbox has (controls, seeded data). */
export const SANDBOX_ONLY = REAL_API;

export interface ErrorItem {
  status: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
}
export interface ErrorDoc {
  errors: ErrorItem[];
}
export interface RelationshipBlock {
  data: Identifier | Identifier[] | null;
  meta?: { count: number };
}
export interface Identifier {
  type: string;
  id: string;
}
export interface Resource {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships: Record<string, RelationshipBlock>;
}
export interface ListDoc {
  data: Resource[];
  included?: Resource[];
  meta: { total_records: number; total_pages: number; offset: number; limit: number };
  links: { next: string | null; prev: string | null };
}
export interface SingleDoc {
  data: Resource;
  included?: Resource[];
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when empty). */
  json<T = unknown>(): T;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  rawBody?: string;
  /** Overrides the Authorization header; null sends none. */
  authorization?: string | null;
}

export class Api {
  private constructor(
    /** The workspace base, e.g. `http://127.0.0.1:PORT/v1/workspaces/demo`. */
    readonly base: string,
    readonly origin: string,
    readonly apiKey: string,
    readonly sandbox: RunningSandbox | undefined,
  ) {}

  static async open(options: SandboxOptions = {}): Promise<Api> {
    if (REAL_API) {
      const apiUrl = env.CLARIFY_API_URL!.replace(/\/+$/, '');
      return new Api(`${apiUrl}/workspaces/${env.CLARIFY_WORKSPACE!}`, new URL(apiUrl).origin, env.CLARIFY_API_KEY!, undefined);
    }
    const sandbox = await startSandbox(options);
    return new Api(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}`, sandbox.origin, sandbox.apiKey, sandbox);
  }

  async close(): Promise<void> {
    await this.sandbox?.close();
  }

  /** `path` is relative to the workspace base and may carry a query written exactly as it should be sent. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.send(method, `${this.base}${path}`, options);
  }

  async send(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    const authorization = options.authorization === undefined ? `api-key ${this.apiKey}` : options.authorization;
    if (authorization !== null) headers.authorization = authorization;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: <T>() => (text === '' ? undefined : JSON.parse(text)) as T,
    };
  }

  get(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request('GET', path, options);
  }

  post(path: string, body: unknown): Promise<ApiResponse> {
    return this.request('POST', path, { body });
  }

  patch(path: string, body: unknown): Promise<ApiResponse> {
    return this.request('PATCH', path, { body });
  }

  delete(path: string, body?: unknown): Promise<ApiResponse> {
    return this.request('DELETE', path, body === undefined ? {} : { body });
  }

  async list(path: string): Promise<ListDoc> {
    const response = await this.get(path);
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${response.text}`);
    return response.json<ListDoc>();
  }

  async one(path: string): Promise<SingleDoc> {
    const response = await this.get(path);
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${response.text}`);
    return response.json<SingleDoc>();
  }

  /** Sandbox controls (`/__sandbox/...`); only valid against a sandbox. */
  async control(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    if (!this.sandbox) throw new Error('Sandbox controls are not available against the real API');
    return this.send(method, `${this.sandbox.origin}/__sandbox${path}`, { body, authorization: null });
  }

  async reset(): Promise<void> {
    if (this.sandbox) await this.control('POST', '/reset');
  }

  /**
   * Moves the target's clock on by `ms`, so the next timestamp it writes is later than the last:
   * the sandbox's clock control, or, against the real API, a wait (its clock is not ours to move).
   */
  async advanceClock(ms = 1): Promise<void> {
    if (this.sandbox) await this.control('POST', '/clock', { advanceMs: ms });
    else await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** A suffix that keeps records made by one run apart from any other data. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export function firstError(response: ApiResponse): ErrorItem {
  const doc = response.json<ErrorDoc>();
  const error = doc.errors[0];
  if (!error) throw new Error(`No error in body: ${response.text}`);
  return error;
}

export function attr<T>(resource: Resource, name: string): T {
  return resource.attributes[name] as T;
}
