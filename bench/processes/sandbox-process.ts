/** The Clarify sandbox in its own process, so its CPU never mixes with a measured server's. */
import { startSandbox } from '../../src/sandbox/server.js';
import { fail, receiveInit, send } from './child-runtime.js';

interface Init {
  records: number;
}

try {
  const init = await receiveInit<Init>();
  // The benchmark must measure the gateway, not the sandbox's per-minute limit.
  const sandbox = await startSandbox({ records: init.records, rateLimitPerMinute: 100_000_000 });
  send({ type: 'ready', origin: sandbox.origin, apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey });
} catch (error) {
  fail(error);
}
