/**
 * Child processes of the benchmark: each server runs in its own process so its CPU and memory
 * are its own. Every child is killed when the run ends, fails or is interrupted; children also
 * exit by themselves when the IPC channel to this process closes.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Child<Ready> {
  name: string;
  process: ChildProcess;
  ready: Ready;
  /** Sends one IPC message and waits for the child's reply of the given type. */
  ask<Reply>(message: object, replyType: string, timeoutMs?: number): Promise<Reply>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let nodeEnv = 'production';

/** NODE_ENV of the children started from now on (`--node-env`). */
export function setChildNodeEnv(value: string): void {
  nodeEnv = value;
}

function killAll(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

interface Message {
  type: string;
  [key: string]: unknown;
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function waitFor<T>(child: ChildProcess, name: string, type: string, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${name}: no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: unknown): void => {
      if (!isMessage(message)) return;
      if (message.type === 'error') finish(new Error(`${name}: ${String(message.message)}`));
      else if (message.type === type) finish(undefined, message as T);
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`${name} exited (${signal ?? code ?? 'unknown'}) before "${type}"`));
    function finish(error: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * Forks the compiled `processes/<entry>.js` (built by `npm run bench` into `.bench-dist/`) with
 * plain Node, as users run the gateway: no TypeScript loader in the measured process. Hands it
 * `init` and resolves with its `ready` message.
 */
export async function startChild<Ready>(
  name: string,
  entry: string,
  init: object,
  options: { exposeGc?: boolean; timeoutMs?: number } = {},
): Promise<Child<Ready>> {
  const file = fileURLToPath(new URL(`../.bench-dist/bench/processes/${entry}.js`, import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is missing: run the benchmark with \`npm run bench\`, which compiles it first.`);
  const child = fork(file, [], {
    execArgv: options.exposeGc ? ['--expose-gc'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: nodeEnv },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const readyPromise = waitFor<Ready>(child, name, 'ready', options.timeoutMs ?? 60_000);
  child.send({ ...init, type: 'init' });
  let ready: Ready;
  try {
    ready = await readyPromise;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name,
    process: child,
    ready,
    ask<Reply>(message: object, replyType: string, timeoutMs = 30_000): Promise<Reply> {
      const reply = waitFor<Reply>(child, name, replyType, timeoutMs);
      child.send(message);
      return reply;
    },
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every child still running. */
export async function stopAll(children: Array<Child<unknown> | undefined>): Promise<void> {
  await Promise.all(children.map((child) => child?.stop()));
  killAll();
}
