import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSandbox } from '../../src/sandbox/server.js';

/**
 * One upstream URL in front of several sandboxes: each caller credential (the full
 * `Authorization` value) is sent to its own sandbox with that sandbox's key; any other credential
 * gets 401. Lets a pass-through gateway serve tenants whose data differ.
 */
export interface TenantProxy {
  /** `http://127.0.0.1:<port>/v1` */
  apiUrl: string;
  close(): Promise<void>;
}

export async function startTenantProxy(tenants: Record<string, RunningSandbox>): Promise<TenantProxy> {
  const server: Server = createServer((req, res) => {
    const target = tenants[req.headers.authorization ?? ''];
    if (!target) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ status: '401', title: 'Unauthorized' }] }));
      return;
    }
    const url = new URL(target.origin);
    const upstream = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `api-key ${target.apiKey}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${origin}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every `id` value anywhere in a GraphQL answer. */
export function collectIds(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectIds(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'id' && typeof inner === 'string') into.push(inner);
      else collectIds(inner, into);
    }
  }
  return into;
}
