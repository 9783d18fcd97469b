import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = pathToFileURL(fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url))).href;
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ENDPOINT = /"endpoint":"(http:\/\/[^"]+)"/;

/** `npm start`'s program (`src/cli/main.ts` through tsx) as a child process, its output collected. */
export interface MainProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** The `endpoint` of the line that says where it listens, once it has been logged. */
  endpoint(): string | undefined;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];

/**
 * Starts the gateway's entry point with only PATH and `env` in its environment (`NODE_ENV=test`
 * unless given), from the checkout or `cwd`, with `preload` modules imported first.
 */
export function startMain(env: Record<string, string>, options: { cwd?: string; preload?: string[] } = {}): MainProcess {
  const imports = ['--import', TSX, ...(options.preload ?? []).flatMap((module) => ['--import', module])];
  const child = spawn(process.execPath, [...imports, MAIN], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, endpoint: () => ENDPOINT.exec(output)?.[1], exit };
}

/** Kills every started process still running: a failed test must not leave a server behind. */
export function killStartedMains(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
