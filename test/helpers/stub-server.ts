/** A tiny scripted HTTP server for behaviour the sandbox cannot script. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  receivedAt: number;
}

export type StubHandler = (request: StubRequest, res: ServerResponse, index: number) => unknown;

export interface Stub {
  origin: string;
  apiUrl: string;
  requests: StubRequest[];
  /** Requests whose connection closed before a response was completed. */
  closedEarly: number;
  /** Requests currently being handled (response not finished, connection open). */
  open: number;
  maxOpen: number;
  close(): Promise<void>;
}

export async function startStub(handler: StubHandler): Promise<Stub> {
  const stub: Stub = {
    origin: '',
    apiUrl: '',
    requests: [],
    closedEarly: 0,
    open: 0,
    maxOpen: 0,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    stub.open += 1;
    stub.maxOpen = Math.max(stub.maxOpen, stub.open);
    let settled = false;
    const settle = (early: boolean): void => {
      if (settled) return;
      settled = true;
      stub.open -= 1;
      if (early) stub.closedEarly += 1;
    };
    res.on('finish', () => settle(false));
    res.on('close', () => settle(!res.writableFinished));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: StubRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      stub.requests.push(request);
      void Promise.resolve(handler(request, res, stub.requests.length - 1)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stub.origin = `http://127.0.0.1:${port}`;
  stub.apiUrl = `${stub.origin}/v1`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function listBody(items: { type: string; id: string; attributes?: Record<string, unknown> }[], meta: Record<string, unknown>, links?: unknown): unknown {
  return links === undefined ? { data: items, meta } : { data: items, meta, links };
}
