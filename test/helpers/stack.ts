/** One sandbox and a gateway over it, started together and closed together. */
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/server.js';
import type { Gateway, GatewayOptions } from '../../src/server/gateway.js';
import { gatewayOver, serveOverHttp, startTestSandbox } from './gateway.js';

export interface TestStack {
  sandbox: RunningSandbox;
  /** The server-key gateway over `sandbox`, built with the options `startStack` was given. */
  gateway: Gateway;
  /** Another gateway over the same sandbox, closed with the stack. */
  gatewayOver(options?: Partial<GatewayOptions>): Promise<Gateway>;
  /** Serves `gateway` (the stack's own by default) over HTTP on a loopback port until the stack closes. */
  serve(gateway?: Gateway): Promise<{ origin: string; url: string }>;
  /** Stops the HTTP servers, closes every gateway, then the sandbox. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox (`sandboxOptions` go to `startTestSandbox`) and a gateway over it (`options` go
 * to `gatewayOver`). Return its `close` from
 * `beforeAll` to have vitest close it after the file's tests:
 *
 *     beforeAll(async () => {
 *       const stack = await startStack({ cache: { ttlSeconds: 60 } });
 *       ({ sandbox, gateway } = stack);
 *       return stack.close;
 *     });
 */
export async function startStack(options: Partial<GatewayOptions> = {}, sandboxOptions: SandboxOptions = {}): Promise<TestStack> {
  const sandbox = await startTestSandbox(sandboxOptions);
  const gateways: Gateway[] = [];
  const servers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const stop of servers.splice(0).reverse()) await stop();
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
    await sandbox.close();
  };
  const another = async (more: Partial<GatewayOptions> = {}): Promise<Gateway> => {
    const gateway = await gatewayOver(sandbox, more);
    gateways.push(gateway);
    return gateway;
  };
  try {
    const gateway = await another(options);
    return {
      sandbox,
      gateway,
      gatewayOver: another,
      async serve(served = gateway) {
        const server = await serveOverHttp(served, { closeGateway: false });
        servers.push(server.close);
        return { origin: server.origin, url: `${server.origin}/graphql` };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
