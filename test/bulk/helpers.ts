import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway } from '../../src/server/gateway.js';

export interface Trailer {
  errors?: { message: string; extensions: { code: string } }[];
  extensions: Record<string, unknown>;
}

export interface NdjsonAnswer {
  status: number;
  headers: Headers;
  /** Every line but the last, parsed. */
  lines: Record<string, unknown>[];
  /** The last line, parsed. */
  trailer: Trailer;
  /** The whole body, parsed as JSON when it is not NDJSON (a refusal). */
  json?: { errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

function parse(status: number, headers: Headers, text: string): NdjsonAnswer {
  if (!(headers.get('content-type') ?? '').startsWith('application/x-ndjson')) {
    return { status, headers, lines: [], trailer: { extensions: {} }, json: JSON.parse(text) as NdjsonAnswer['json'] };
  }
  const parsed = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const trailer = parsed.pop() as unknown as Trailer;
  return { status, headers, lines: parsed, trailer };
}

/** `POST /export` in process: the response, its body unread (for a test that reads it as it comes). */
export async function postExport(
  gateway: Gateway,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return gateway.fetch('http://localhost/export', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/x-ndjson', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

/** `POST /export` in process, read to the end. */
export async function exportOf(
  gateway: Gateway,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<NdjsonAnswer> {
  const response = await postExport(gateway, query, variables, headers);
  return parse(response.status, response.headers, await response.text());
}

/** `POST /import/{object}` in process, read to the end. */
export async function importOf(gateway: Gateway, object: string, body: string, headers: Record<string, string> = {}): Promise<NdjsonAnswer> {
  const response = await gateway.fetch(`http://localhost/import/${object}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', accept: 'application/x-ndjson', ...headers },
    body,
  });
  return parse(response.status, response.headers, await response.text());
}

/** Requests the sandbox has served, by route. */
export async function sandboxCalls(sandbox: RunningSandbox): Promise<{ total: number; byRoute: Record<string, number> }> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  return (await response.json()) as { total: number; byRoute: Record<string, number> };
}

/** Runs `work` and returns its result with the upstream requests it caused. */
export async function counting<T>(sandbox: RunningSandbox, work: () => Promise<T>): Promise<{ result: T; calls: number; byRoute: Record<string, number> }> {
  const before = await sandboxCalls(sandbox);
  const result = await work();
  const after = await sandboxCalls(sandbox);
  const byRoute: Record<string, number> = {};
  for (const [route, count] of Object.entries(after.byRoute)) {
    const delta = count - (before.byRoute[route] ?? 0);
    if (delta > 0) byRoute[route] = delta;
  }
  return { result, calls: after.total - before.total, byRoute };
}
