/** The Clarify sandbox in its own process, so its CPU never mixes with a measured server's. */
import { startSandbox } from '../../src/sandbox/server.js';
import { fail, receiveInit, send } from './child-runtime.js';

interface Init {
  records: number;
  /** Records of these objects instead of their share (the export phase's deals). */
  objectCounts?: Record<string, number>;
}

try {
  const init = await receiveInit<Init>();
  // The benchmark must measure the gateway, not the sandbox's per-minute limit.
  const sandbox = await startSandbox({ records: init.records, rateLimitPerMinute: 100_000_000, ...(init.objectCounts ? { objectCounts: init.objectCounts } : {}) });
  send({ type: 'ready', origin: sandbox.origin, apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey });
} catch (error) {
  fail(error);
}
