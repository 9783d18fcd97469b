/**
 * `npm start`: parse the configuration, start the embedded sandbox when no Clarify key is set,
 * create the gateway and serve it on HOST:PORT until SIGTERM/SIGINT. SIGHUP reloads the
 * workspace schema.
 */
import { createServer, type Server } from 'node:http';
import inspector from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, loadDotEnv, type GatewayConfig } from '../config/config.js';
import type { Gateway } from '../server/gateway.js';
import type { Upstream } from '../server/options.js';
import type { Logger } from '../observability/logger.js';
import { busyPorts, busyPortsMessage, isAddressInUse, type PortClaim } from './ports.js';
import type { TracingHandle } from '../observability/tracing.js';

// Everything past the configuration is imported after it parsed, so a bad configuration is
// reported at once, without loading the gateway.

const SANDBOX_HOST = '127.0.0.1';
/** `METRICS_PORT` listens here only: metrics are for the machine's own scraper or sidecar. */
const METRICS_HOST = '127.0.0.1';
/** How long the last log lines may take to reach stdout at exit. */
const FINAL_FLUSH_MS = 1_000;
/**
 * The shortest stall that ends the process, whatever SHUTDOWN_TIMEOUT_MS says: a shorter
 * shutdown bound should not turn a long garbage collection or schema build into a kill.
 */
const MIN_STALL_BOUND_MS = 5_000;

/** How often a gateway started by npm checks that its parent is still there. */
const PARENT_CHECK_MS = 250;

/**
 * Calls `onGone` once the parent process has exited (this process was then adopted by init or a
 * subreaper). `npm start` and `npx` run the gateway under `sh -c`, which dies on the SIGTERM npm
 * passes on without passing it further; watching the parent keeps the gateway from living on.
 */
function watchParent(onGone: () => void): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, PARENT_CHECK_MS);
  timer.unref();
}

function exitBusy(busy: PortClaim[]): never {
  process.stderr.write(`${busyPortsMessage(busy)}\n`);
  process.exit(2);
}

interface StartedUpstream extends Upstream {
  close(): Promise<void>;
}

async function startUpstream(config: GatewayConfig, logger: Logger): Promise<StartedUpstream> {
  if (!config.sandbox) {
    return { apiUrl: config.apiUrl, workspace: config.workspace, apiKey: config.apiKey, close: async () => {} };
  }
  const { startSandbox } = await import('../sandbox/server.js');
  const sandbox = await startSandbox({ port: config.sandbox.port, host: SANDBOX_HOST }).catch((error: unknown) =>
    isAddressInUse(error) ? exitBusy([{ port: config.sandbox?.port ?? 0, host: SANDBOX_HOST, variable: 'SANDBOX_PORT' }]) : Promise.reject(error),
  );
  logger.info(
    { apiUrl: sandbox.apiUrl, workspace: sandbox.workspace },
    'CLARIFY_API_KEY is not set: started the embedded sandbox (a local Clarify-compatible server with demo data)',
  );
  return { apiUrl: sandbox.apiUrl, workspace: sandbox.workspace, apiKey: sandbox.apiKey, close: () => sandbox.close() };
}

/** Waits for a clean-up step, but not for longer than `ms`, and never fails. */
async function bounded(step: Promise<void> | undefined, ms: number): Promise<void> {
  if (!step) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    step.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** pino-pretty's formatter for a terminal: loaded only then, so JSON logging never pays for it. */
async function prettyFormat(): Promise<(line: string) => string> {
  const { prettyFactory } = await import('pino-pretty');
  return prettyFactory({ colorize: true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss' });
}

/** What a person at a terminal needs first: where to click, and what serves the data. */
function banner(facts: { endpoint: string; config: GatewayConfig; upstream: Upstream; mode: string }): string {
  const { endpoint, config, upstream, mode } = facts;
  const lines = [
    '',
    '  clarify-graphql is ready',
    '',
    `  ${config.graphiql ? 'GraphQL + GraphiQL' : 'GraphQL'}  ${endpoint}`,
    config.sandbox
      ? `  Sandbox             ${upstream.apiUrl}  (workspace ${upstream.workspace}, key sandbox-key; set CLARIFY_API_KEY to use Clarify)`
      : `  Clarify             ${upstream.apiUrl}  (workspace ${upstream.workspace}, ${mode})`,
    `  Browser apps        ${config.corsOrigins.length > 0 ? config.corsOrigins.join(', ') : config.corsLoopback ? 'any http://localhost:<port> origin (CORS_ORIGINS to change)' : 'same origin only (CORS_ORIGINS to allow more)'}`,
    '  Stop with Ctrl+C',
    '',
    '',
  ];
  return lines.join('\n');
}

/** `METRICS_PORT`: `/metrics` alone, on loopback, apart from the GraphQL port. */
async function listenForMetrics(config: GatewayConfig, gateway: Gateway, logger: Logger): Promise<Server> {
  const { metricsListener } = await import('./metrics-listener.js');
  const server = createServer(metricsListener(gateway.metrics.registry, config.metricsToken));
  const port = config.metricsPort ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, METRICS_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) =>
    isAddressInUse(error) ? exitBusy([{ port, host: METRICS_HOST, variable: 'METRICS_PORT' }]) : Promise.reject(error),
  );
  const metricsUrl = `http://${METRICS_HOST}:${(server.address() as AddressInfo).port}/metrics`;
  logger.info({ metricsUrl, token: config.metricsToken !== undefined }, `metrics at ${metricsUrl}`);
  return server;
}

async function main(): Promise<void> {
  let config: GatewayConfig;
  let dotEnv: string | undefined;
  try {
    dotEnv = loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (ConfigError.is(error)) {
      process.stderr.write(`clarify-graphql: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  // Both ports are checked before anything slow starts, so a second `npm start` fails at once.
  const claims: PortClaim[] = [{ port: config.port, host: config.host, variable: 'PORT' }];
  if (config.metricsPort) claims.push({ port: config.metricsPort, host: METRICS_HOST, variable: 'METRICS_PORT' });
  if (config.sandbox) claims.push({ port: config.sandbox.port, host: SANDBOX_HOST, variable: 'SANDBOX_PORT' });
  const busy = await busyPorts(claims);
  if (busy.length > 0) exitBusy(busy);

  const [{ createGateway }, { gatewayOptionsFromConfig }, { createLogger }, { LogDestination }, { startOtlpTracing }, { attachWebSocket }, { armForcedExit, watchEventLoop }] =
    await Promise.all([
      import('../server/gateway.js'),
      import('../server/options.js'),
      import('../observability/logger.js'),
      import('../observability/log-destination.js'),
      import('../observability/tracing.js'),
      import('../server/websocket.js'),
      import('./forced-exit.js'),
    ]);
  const pretty = config.logFormat === 'pretty';
  // Logging never waits for stdout: a reader that stops reading costs log lines (counted in
  // /metrics), not requests or the exit.
  const logs = new LogDestination({
    maxBufferedBytes: config.logBufferBytes,
    ...(pretty ? { format: await prettyFormat() } : {}),
  });
  const logger = createLogger(config.logLevel, logs);
  if (dotEnv) logger.info({ file: dotEnv }, `read variables from ${dotEnv} (the environment takes precedence)`);
  for (const warning of config.warnings) logger.warn(warning);
  const tracing: TracingHandle | undefined = config.otel ? await startOtlpTracing(config.otel) : undefined;
  if (config.otel) logger.info({ endpoint: config.otel.endpoint }, 'exporting OpenTelemetry traces');

  const upstream = await startUpstream(config, logger);
  let gateway: Gateway;
  try {
    gateway = await createGateway(gatewayOptionsFromConfig(config, upstream, { logger, tracer: tracing?.tracer }));
  } catch (error) {
    logger.fatal({ error: error instanceof Error ? error.message : String(error) }, 'could not start the gateway');
    await upstream.close();
    await tracing?.shutdown();
    await logs.drained(FINAL_FLUSH_MS);
    process.exit(1);
  }

  const server = createServer(gateway.handle);
  server.keepAliveTimeout = 5_000;
  // graphql-ws on the same path as HTTP GraphQL.
  const websocket = attachWebSocket(server, gateway, { maxPerConnection: config.subscriptions.maxPerConnection });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) =>
    isAddressInUse(error) ? exitBusy([{ port: config.port, host: config.host, variable: 'PORT' }]) : Promise.reject(error),
  );
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${displayHost(config.host)}:${port}/graphql`;
  const metricsServer = config.metricsPort === undefined ? undefined : await listenForMetrics(config, gateway, logger);
  logger.info(
    {
      endpoint,
      upstream: upstream.apiUrl,
      workspace: upstream.workspace,
      mode: gateway.mode,
      graphiql: config.graphiql,
    },
    config.graphiql ? `GraphQL and GraphiQL at ${endpoint}` : `GraphQL at ${endpoint}`,
  );
  if (pretty) process.stdout.write(banner({ endpoint, config, upstream, mode: gateway.mode }));
  // A debugger's pause stops the loop on purpose.
  if (!inspector.url()) watchEventLoop(Math.max(config.shutdownTimeoutMs, MIN_STALL_BOUND_MS));

  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading the workspace schema');
    gateway.reloadSchema().then(
      (changed) => logger.info({ changed }, 'schema reload finished'),
      (error: unknown) =>
        logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'schema reload failed'),
    );
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down: finishing requests in flight');
    const forced = setTimeout(() => {
      logger.warn('shutdown timed out; closing remaining connections');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    forced.unref();
    // Whatever happens to the clean-up below, the process ends: from this thread when it is free,
    // and from a watchdog thread a moment later when it is not.
    setTimeout(() => {
      logger.error('shutdown did not finish; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000).unref();
    armForcedExit(config.shutdownTimeoutMs + 6_000);
    // Subscriptions end at once (each with a SHUTTING_DOWN error), so they do not hold the shutdown.
    void bounded(gateway.live?.close(), 3_000);
    void bounded(websocket.close(), 3_000);
    metricsServer?.closeAllConnections();
    metricsServer?.close();
    server.close(() => {
      void (async () => {
        clearTimeout(forced);
        await bounded(gateway.close(), 3_000);
        await bounded(upstream.close(), 3_000);
        await bounded(tracing?.shutdown(), 3_000);
        logger.info({ droppedLogLines: logs.dropped }, 'stopped');
        // The last lines get a bounded chance to reach a reader; one that stopped reading loses them.
        await logs.drained(FINAL_FLUSH_MS);
        process.exit(0);
      })();
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (config.launchedByNpm) watchParent(() => shutdown('parent exited'));
}

void main();
