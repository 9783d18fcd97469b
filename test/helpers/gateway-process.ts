import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * A sandbox and a server-key gateway served over loopback HTTP in a child process, so a request
 * that blocks the gateway's event loop cannot block the test that sent it: the test's own
 * timeouts keep running, and `close` ends the child whatever it is doing.
 */
export interface GatewayProcess {
  /** `http://127.0.0.1:PORT` of the gateway. */
  origin: string;
  /** `http://127.0.0.1:PORT` of the sandbox (its `/__sandbox/*` controls). */
  sandboxOrigin: string;
  /** The sandbox's REST base and credentials, for setting up data. */
  apiUrl: string;
  workspace: string;
  apiKey: string;
  /** The token of `POST /admin/reload-schema`. */
  adminToken: string;
  child: ChildProcess;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./gateway-process-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function startGatewayProcess(execArgv: string[] = []): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...execArgv, '--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code, signal) => reject(new Error(`gateway process exited (${code ?? signal}) before it listened`)));
  });
  const started = JSON.parse(first) as Omit<GatewayProcess, 'child' | 'close'>;
  return {
    ...started,
    child,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}
