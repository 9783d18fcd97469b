/** Starting the sandbox and driving its test controls from client tests. */
import { startSandbox } from '../../src/sandbox/server.js';
import { ClarifyClient, type ClarifyClientOptions } from '../../src/client/clarify-client.js';
import { ClarifyError } from '../../src/client/errors.js';
import type { Fault } from '../../src/sandbox/faults.js';

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

/** A fault as the sandbox's `/__sandbox/faults` control takes it. */
export type FaultScript = Fault;

export class SandboxControl {
  constructor(readonly sandbox: RunningSandbox) {}

  get credential(): string {
    return `api-key ${this.sandbox.apiKey}`;
  }

  client(options: Partial<ClarifyClientOptions> = {}): ClarifyClient {
    return new ClarifyClient({ apiUrl: this.sandbox.apiUrl, workspace: this.sandbox.workspace, retryBaseMs: 5, callTimeoutMs: 5000, ...options });
  }

  async stats(): Promise<{ total: number; byRoute: Record<string, number> }> {
    const response = await fetch(`${this.sandbox.origin}/__sandbox/stats`);
    return (await response.json()) as { total: number; byRoute: Record<string, number> };
  }

  /** Requests the sandbox received on one route since the last reset. */
  async count(route: string): Promise<number> {
    return (await this.stats()).byRoute[route] ?? 0;
  }

  async reset(): Promise<void> {
    await this.post('/__sandbox/reset', {});
  }

  async fault(script: FaultScript): Promise<void> {
    await this.post('/__sandbox/faults', script);
  }

  async clearFaults(): Promise<void> {
    await this.post('/__sandbox/faults', { clear: true });
  }

  private async post(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${this.sandbox.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`sandbox control ${path} answered ${response.status}: ${await response.text()}`);
  }
}

export async function startControlledSandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<SandboxControl> {
  return new SandboxControl(await startSandbox(options));
}

/** The ClarifyError a call rejects with (fails the test when it resolves or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<ClarifyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClarifyError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
