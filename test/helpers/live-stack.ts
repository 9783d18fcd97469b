import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import type { Gateway, GatewayOptions } from '../../src/server/gateway.js';
import { attachWebSocket, type WebSocketEndpoint } from '../../src/server/websocket.js';
import { gatewayOver } from './gateway.js';

export interface LiveStack {
  sandbox: RunningSandbox;
  gateway: Gateway;
  /** `http://127.0.0.1:PORT/graphql` */
  url: string;
  /** `ws://127.0.0.1:PORT/graphql` */
  wsUrl: string;
  close(): Promise<void>;
}

/** Short intervals so that tests run in seconds. */
export const TEST_INTERVAL_MS = 150;

/** A sandbox, a gateway over it served by a real HTTP server on loopback, and graphql-ws on the same path. */
export async function startLiveStack(
  options: Partial<GatewayOptions> = {},
  existing?: RunningSandbox,
  ws: { maxPerConnection?: number } = {},
): Promise<LiveStack> {
  const sandbox = existing ?? (await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 }));
  const subscriptions = options.subscriptions === false ? false : { minIntervalMs: TEST_INTERVAL_MS, pollsPerMinute: 1_000_000, ...options.subscriptions };
  const gateway = await gatewayOver(sandbox, { ...options, subscriptions });
  const server: Server = createServer(gateway.handle);
  const websocket: WebSocketEndpoint = attachWebSocket(server, gateway, ws);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    sandbox,
    gateway,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    async close() {
      await websocket.close();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!existing) await sandbox.close();
    },
  };
}

/** A REST call to the sandbox with its key; the parsed JSON body (or null for 204). */
export async function rest(sandbox: RunningSandbox, method: string, path: string, body?: unknown): Promise<Record<string, unknown> | null> {
  const response = await fetch(`${sandbox.apiUrl}/workspaces/${sandbox.workspace}${path}`, {
    method,
    headers: { authorization: `api-key ${sandbox.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : ((await response.json()) as Record<string, unknown>);
}

/** Calls the sandbox served per route template. */
export async function sandboxCalls(sandbox: RunningSandbox): Promise<Record<string, number>> {
  const response = await fetch(`${sandbox.origin}/__sandbox/stats`);
  return ((await response.json()) as { byRoute: Record<string, number> }).byRoute;
}

export const LIST_ROUTE = 'GET /objects/:object/resources';
export const DELETED_ROUTE = 'GET /objects/:object/deleted-resources';

/** Reads results from an iterator into an array as they come, until stopped. */
export function collect<T>(iterator: AsyncIterableIterator<T>): { items: T[]; done: Promise<void> } {
  const items: T[] = [];
  const done = (async () => {
    for await (const item of iterator) items.push(item);
  })();
  return { items, done };
}
