/**
 * What every benchmark child shares: the `init` handshake over IPC, exit when the parent goes
 * away, and `/__bench/*` routes that report the process's own CPU time and memory.
 */
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';

/** Resolves with the parent's `init` message; exits when the parent disconnects. */
export function receiveInit<T>(): Promise<T> {
  if (!process.send) throw new Error('This file runs as a benchmark child (forked with IPC).');
  process.on('disconnect', () => process.exit(0));
  process.once('SIGTERM', () => process.exit(0));
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'init') {
        process.off('message', onMessage);
        process.on('message', answerUsage);
        resolve(message as T);
      }
    };
    process.on('message', onMessage);
  });
}

/**
 * Answers `{type: 'usage'}` over IPC, for children whose HTTP server is not ours (the sandbox),
 * and `{type: 'profile-start'}` / `{type: 'profile-stop', file}`: a CPU profile of this process
 * between the two, written to `file` (bench/profile.ts).
 */
function answerUsage(message: unknown): void {
  if (typeof message !== 'object' || message === null) return;
  const { type } = message as { type?: unknown };
  if (type === 'usage') {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    send({ type: 'usage', cpuUs: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed });
  } else if (type === 'profile-start') {
    profiler ??= new Session();
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler?.post('Profiler.start', () => send({ type: 'profile-started' })));
  } else if (type === 'profile-stop') {
    const { file } = message as { file?: unknown };
    profiler?.post('Profiler.stop', (error, result) => {
      if (error || typeof file !== 'string') send({ type: 'error', message: error?.message ?? 'no file for the profile' });
      else {
        writeFileSync(file, JSON.stringify(result.profile));
        send({ type: 'profile-stopped', file });
      }
      profiler?.disconnect();
    });
  }
}

let profiler: Session | undefined;

export function send(message: object): void {
  process.send?.(message);
}

/** Reports a start-up failure to the parent and exits. */
export function fail(error: unknown): never {
  send({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
}

export interface Usage {
  /** CPU time of this process since it started, µs. */
  cpuUs: number;
  rss: number;
  heapUsed: number;
  /** Requests received and not yet answered (benchmark routes excluded). */
  inflight: number;
  /** Requests answered so far. */
  served: number;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/**
 * Wraps a request listener with `GET /__bench/usage` and `POST /__bench/gc` (a full collection
 * when the child has `--expose-gc`, then the usage), and counts requests in flight.
 */
export function withBenchRoutes(handler: RequestListener): RequestListener {
  let inflight = 0;
  let served = 0;
  const usage = (): Usage => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    return { cpuUs: cpu.user + cpu.system, rss: memory.rss, heapUsed: memory.heapUsed, inflight, served };
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url.startsWith('/__bench/')) {
      if (url === '/__bench/gc' && collectGarbage) {
        collectGarbage();
        collectGarbage();
      }
      const body = JSON.stringify(usage());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      req.resume();
      return;
    }
    inflight += 1;
    res.once('close', () => {
      inflight -= 1;
      served += 1;
    });
    handler(req, res);
  };
}

/** Listens on an ephemeral loopback port and returns the origin. */
export async function listen(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
