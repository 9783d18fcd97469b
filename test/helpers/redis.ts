import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';

/**
 * A real `redis-server` for tests: its own process on a free loopback port, nothing persisted
 * (`--save '' --appendonly no`), stopped by `stop()` or, at the latest, when the test process
 * exits. `kill()` and `start()` let a test take Redis away mid-run and bring it back on the
 * same port.
 */
export interface TestRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** True while the server process runs. */
  running(): boolean;
  /** Starts the server again on the same port (after `kill`); empty, as nothing is persisted. */
  start(): Promise<void>;
  /** Stops the server abruptly (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, until `resume()`. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT); it then answers what was sent meanwhile. */
  resume(): void;
  /** Stops the server and forgets it. */
  stop(): Promise<void>;
}

const REDIS_SERVER = 'redis-server';
const READY_TIMEOUT_MS = 10_000;
const live = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

/** Resolves once `PING` answers `PONG`; rejects after `timeoutMs`. */
export async function waitForRedis(port: number, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await pingOnce(port)) return;
    if (Date.now() > until) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}

function spawnServer(port: number): { child: ChildProcess; output: () => string } {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return { child, output: () => output };
}

async function launch(port: number): Promise<ChildProcess> {
  const { child, output } = spawnServer(port);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`could not run ${REDIS_SERVER}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output()}`)),
    );
  });
  exited.catch(() => undefined);
  await Promise.race([waitForRedis(port), exited]);
  return child;
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `redis-server` on a free port; retries with another port if one was taken meanwhile. */
export async function startRedis(): Promise<TestRedis> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(port);
      return handle(port, child);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function handle(port: number, first: ChildProcess): TestRedis {
  let child: ChildProcess | undefined = first;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      child = await launch(port);
    },
    async kill() {
      if (child) await terminate(child, 'SIGKILL');
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async stop() {
      child?.kill('SIGCONT');
      if (child) await terminate(child, 'SIGTERM');
      child = undefined;
    },
  };
}
