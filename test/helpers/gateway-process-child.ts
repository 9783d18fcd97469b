// The child side of `gateway-process.ts`: prints where it listens as one JSON line, and stops
// when its standard input closes.
import { pino } from 'pino';
import { startSandbox } from '../../src/sandbox/server.js';
import { createGateway } from '../../src/server/gateway.js';
import { serveOverHttp } from './gateway.js';

const adminToken = 'admin-token-for-the-gateway-process';
const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', rateLimitPerMinute: 1_000_000 });
const gateway = await createGateway({
  apiUrl: sandbox.apiUrl,
  workspace: sandbox.workspace,
  apiKey: sandbox.apiKey,
  allowUnauthenticated: true,
  adminToken,
  logger: pino({ level: 'silent' }),
  processMetrics: false,
  schemaReloadIntervalSeconds: 0,
  rateLimitPerMinute: 1_000_000,
});
const served = await serveOverHttp(gateway);
process.stdout.write(
  `${JSON.stringify({ origin: served.origin, sandboxOrigin: sandbox.origin, apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey, adminToken })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    await served.close();
    await sandbox.close();
    process.exit(0);
  })();
});
