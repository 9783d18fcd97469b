import { once } from 'node:events';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP relay in front of an upstream (the sandbox) that can hold back the answer of one
 * request: the upstream answers at once, the relay keeps the answer until `release()`. A read
 * whose answer was computed before a write and arrives after it.
 */
export interface HoldProxy {
  /** The relay's origin; use `${origin}/v1` as the API URL. */
  readonly origin: string;
  /** Holds the answer of the next request `matches` accepts; `answered` resolves once the upstream answered it. */
  holdNext(matches: (method: string, path: string) => boolean): { answered: Promise<void>; release: () => void };
  close(): Promise<void>;
}

interface Hold {
  matches: (method: string, path: string) => boolean;
  answered: () => void;
  released: Promise<void>;
}

export async function startHoldProxy(upstreamOrigin: string): Promise<HoldProxy> {
  const target = new URL(upstreamOrigin);
  const holds: Hold[] = [];
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const index = holds.findIndex((hold) => hold.matches(method, path));
    const hold = index === -1 ? undefined : holds.splice(index, 1)[0];
    const upstream = request({ host: target.hostname, port: target.port, method, path, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const send = () => {
          const headers: IncomingHttpHeaders = { ...answer.headers };
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(Buffer.concat(chunks));
        };
        if (!hold) return send();
        hold.answered();
        void hold.released.then(send);
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdNext(matches) {
      let answered = () => undefined as void;
      let release = () => undefined as void;
      const answeredPromise = new Promise<void>((resolve) => (answered = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ matches, answered, released });
      return { answered: answeredPromise, release };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
