/**
 * The gateway in its own process: `createGateway` over the sandbox in server-key mode without
 * caller tokens (allowed on loopback), production defaults, no periodic schema reload, and a
 * client rate budget as lifted as the sandbox's.
 */
import { createGateway } from '../../src/server/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { fail, listen, receiveInit, send, withBenchRoutes } from './child-runtime.js';

interface Init {
  apiUrl: string;
  workspace: string;
  apiKey: string;
  logLevel: string;
  /** Upstream pool connections; the gateway's default (16) when absent. */
  connections?: number;
  /** Response cache TTL in seconds; off when absent. */
  cacheTtlSeconds?: number;
  /** graphql-jit for bounded queries and mutations (the default), or graphql-js for everything. */
  compiledExecution?: boolean;
  /** Shared Redis for the cache and rate budget; in-process when absent. */
  redis?: { url: string; keyPrefix: string };
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];

function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

try {
  const init = await receiveInit<Init>();
  if (!isLevel(init.logLevel)) throw new Error(`unknown log level "${init.logLevel}"`);
  const gateway = await createGateway({
    apiUrl: init.apiUrl,
    workspace: init.workspace,
    apiKey: init.apiKey,
    allowUnauthenticated: true,
    production: true,
    schemaReloadIntervalSeconds: 0,
    // The sandbox's rate limit is lifted; so is the gateway's own budget, or the long phases
    // (the leak check) would measure its pacing at 3,000 calls a minute instead of the gateway.
    rateLimitPerMinute: 100_000_000,
    logger: createLogger(init.logLevel),
    ...(init.connections ? { client: { connections: init.connections } } : {}),
    ...(init.cacheTtlSeconds ? { cache: { ttlSeconds: init.cacheTtlSeconds } } : {}),
    ...(init.redis ? { redis: init.redis } : {}),
    ...(init.compiledExecution === false ? { compiledExecution: false } : {}),
  });
  if (gateway.redis) {
    const until = Date.now() + 10_000;
    while (!gateway.redis.available()) {
      if (Date.now() > until) throw new Error('Redis did not connect within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const origin = await listen(withBenchRoutes(gateway.handle));
  send({ type: 'ready', origin, mode: gateway.mode });
} catch (error) {
  fail(error);
}
