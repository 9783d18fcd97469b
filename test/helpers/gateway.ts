import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.js';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
    extensions?: Record<string, unknown>;
  };
  text: string;
}

export const silentLogger = pino({ level: 'silent' });

/** Creates a custom object upstream, as a workspace admin would in Clarify: `POST /schemas/objects`. */
export function createObjectUpstream(
  upstream: Pick<RunningSandbox, 'apiUrl' | 'workspace' | 'apiKey'>,
  object: { name: string; plural: string; description?: string },
): Promise<Response> {
  return fetch(`${upstream.apiUrl}/workspaces/${upstream.workspace}/schemas/objects`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `api-key ${upstream.apiKey}` },
    body: JSON.stringify(object),
  });
}

/** A sandbox on a loopback ephemeral port with a rate limit no test reaches; `options` add to or override that. */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000, ...options });
}

/** A server-key gateway over the sandbox, as quiet as possible. */
export async function gatewayOver(
  sandbox: RunningSandbox,
  options: Partial<GatewayOptions> = {},
): Promise<Gateway> {
  return createGateway({
    apiUrl: sandbox.apiUrl,
    workspace: sandbox.workspace,
    apiKey: sandbox.apiKey,
    allowUnauthenticated: true,
    logger: silentLogger,
    processMetrics: false,
    schemaReloadIntervalSeconds: 0,
    ...options,
  });
}

/**
 * A gateway served over HTTP on a loopback ephemeral port; `close` ends the connections, the server
 * and (unless `closeGateway: false`) the gateway.
 */
export async function serveOverHttp(gateway: Gateway, options: { closeGateway?: boolean } = {}): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer(gateway.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.closeGateway !== false) await gateway.close();
    },
  };
}

export async function graphql(
  gateway: Gateway,
  query: string,
  options: { variables?: Record<string, unknown>; headers?: Record<string, string>; operationName?: string } = {},
): Promise<GraphQLResponse> {
  return postBody(gateway, { query, variables: options.variables, operationName: options.operationName }, options.headers);
}

/** POSTs any GraphQL request body (persisted-query extensions, a missing query) and parses the JSON answer. */
export async function postBody(gateway: Gateway, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await gateway.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLResponse['body'];
  try {
    parsed = JSON.parse(text) as GraphQLResponse['body'];
  } catch {
    throw new Error(`Not JSON (${response.status}) for ${JSON.stringify(body).slice(0, 300)}:\n${text.slice(0, 500)}`);
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Requests the sandbox has served so far (every route, every status). */
export async function upstreamTotal(sandbox: RunningSandbox): Promise<number> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  const stats = (await response.json()) as { total: number };
  return stats.total;
}

/** Requests the sandbox has received on one route (counted on arrival, before any scripted delay). */
export async function upstreamCount(sandbox: Pick<RunningSandbox, 'origin'>, route: string): Promise<number> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  const stats = (await response.json()) as { byRoute: Record<string, number> };
  return stats.byRoute[route] ?? 0;
}

/**
 * Resolves once every request the sandbox was holding on a `delayMs` fault has been handled (a
 * delayed write has landed): the sandbox holds a marker request as long, and timers of equal
 * length fire in the order they were set.
 */
export async function afterHeldRequests(sandbox: RunningSandbox, delayMs: number): Promise<void> {
  const fault = await fetch(`${sandbox.origin}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: 'GET /users', delayMs, count: 1 }),
  });
  if (!fault.ok) throw new Error(`sandbox fault answered ${fault.status}`);
  const marker = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}/users?page[limit]=1`, { headers: { authorization: `api-key ${sandbox.apiKey}` } });
  await marker.arrayBuffer();
}

/** Hits and misses a gateway counted in a `{cache="hit"|"miss"}` counter (plans, compiled executions). */
export async function cacheLookups(gateway: Gateway, metricName: string): Promise<{ hit: number; miss: number }> {
  const metric = await gateway.metrics.registry.getSingleMetric(metricName)?.get();
  const count = (cache: string) => metric?.values.find((v) => v.labels['cache'] === cache)?.value ?? 0;
  return { hit: count('hit'), miss: count('miss') };
}
