import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type GraphiQLOptions, type YogaServerInstance } from 'graphql-yoga';
import { ClarifyClient } from '../client/clarify-client.js';
import type { CallRecord } from '../client/types.js';
import { LiveFeeds } from '../live/feeds.js';
import { clientLogger, droppedLogLines, yogaLogger, type Logger } from '../observability/logger.js';
import { createMetrics, type GatewayMetrics } from '../observability/metrics.js';
import { createReadinessProbe, withRedisReadiness, type Readiness } from '../observability/readiness.js';
import { PlanCache } from '../plan/plan-cache.js';
import { createSharedState, type SharedState } from '../shared-state/create-shared-state.js';
import { createFeedTransport } from '../shared-state/feed-transport.js';
import type { RedisFeedTransport } from '../shared-state/redis-feed-transport.js';
import type { SharedRedis } from '../shared-state/redis.js';
import { createDocumentCache } from './document-cache.js';
import { createGraphiQLAssets } from './graphiql-assets.js';
import { GRAPHIQL_EXAMPLE_TABS, GRAPHIQL_PASS_THROUGH_TAB } from './graphiql-examples.js';
import { maskError } from './mask-error.js';
import { resolveGatewayOptions, type GatewayMode, type GatewayOptions, type ResolvedGatewayOptions } from './options.js';
import { assemblePipeline } from './pipeline.js';
import { IMPORT_PREFIX, useBulkRoutes } from '../bulk/use-bulk-routes.js';
import { createTrustedDocuments, type TrustedDocuments } from './trusted-documents.js';
import { createWorkspaceSchema, type WorkspaceSchema } from './workspace-schema.js';
import { armorPlugins } from './plugins/use-armor.js';
import { useBodyLimit } from './plugins/use-body-limit.js';
import { useCompiledExecution } from './plugins/use-compiled-execution.js';
import { useCompression } from './plugins/use-compression.js';
import { useCors } from './plugins/use-cors.js';
import { useCsrfGuard } from './plugins/use-csrf-guard.js';
import { useDisableIntrospection } from './plugins/use-disable-introspection.js';
import { useErrorStatus } from './plugins/use-error-status.js';
import { useIncrementalDelivery } from './plugins/use-incremental-delivery.js';
import { createOperationObserver } from './plugins/use-operation-observer.js';
import { useOperationPlan } from './plugins/use-operation-plan.js';
import { useRequestChecks } from './plugins/use-request-checks.js';
import { useRequestState, type GatewayRequestContext } from './plugins/use-request-state.js';
import { upstreamScope, useGatewayResponseCache } from './plugins/use-response-cache.js';
import { useServiceRoutes } from './plugins/use-service-routes.js';
import { useSseSingleConnection } from './plugins/use-sse-single-connection.js';
import { useUnservedStreams } from './plugins/use-unserved-streams.js';
import { useValidationErrorCode } from './plugins/use-validation-error-code.js';

export type { GatewayRequestContext } from './plugins/use-request-state.js';
export type { GatewayOptions } from './options.js';

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, GatewayRequestContext>;

export interface Gateway {
  /** The Yoga server; a WHATWG fetch handler and a Node request listener. */
  yoga: GatewayYoga;
  /** Answers a WHATWG `Request` (for tests, edge runtimes, or `app.all('/graphql', …)`). */
  fetch: GatewayYoga['fetch'];
  /** Node `http` request listener, also usable as Express middleware. */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The current GraphQL schema (undefined in pass-through mode until a caller loaded it). */
  getSchema(): GraphQLSchema | undefined;
  /** Re-reads the workspace schema now; true when it changed. */
  reloadSchema(): Promise<boolean>;
  /** Whether the gateway can serve: schema loaded (server key) and upstream reachable. */
  readiness(): Promise<Readiness>;
  metrics: GatewayMetrics;
  mode: GatewayMode;
  /** The shared Redis connection, when `redis` was given. */
  redis: SharedRedis | undefined;
  /** The subscription feeds (undefined when subscriptions are off). */
  live: LiveFeeds | undefined;
  /** Stops the reload timer and closes the upstream connection pool and the Redis connection. */
  close(): Promise<void>;
}


function graphiqlOptions(options: ResolvedGatewayOptions): GraphiQLOptions {
  const placeholder =
    options.mode === 'pass-through'
      ? { Authorization: 'api-key <your Clarify API key>' }
      : options.tokens.length > 0
        ? { Authorization: 'Bearer <gateway token>' }
        : undefined;
  return {
    title: 'Clarify GraphQL',
    defaultTabs: options.mode === 'pass-through' ? [GRAPHIQL_PASS_THROUGH_TAB, ...GRAPHIQL_EXAMPLE_TABS] : GRAPHIQL_EXAMPLE_TABS,
    ...(placeholder ? { defaultHeaders: JSON.stringify(placeholder, null, 2) } : {}),
  };
}

/**
 * Creates the gateway: a Yoga server over the workspace's GraphQL schema with auth, limits,
 * masking, cost, metrics and tracing. In server-key mode it loads the workspace schema before
 * resolving and rejects if that fails.
 */
export async function createGateway(gatewayOptions: GatewayOptions): Promise<Gateway> {
  const options = resolveGatewayOptions(gatewayOptions);
  const { logger, limits, tracer } = options;
  const metrics = createMetrics({ processMetrics: options.processMetrics });
  metrics.observeLogDrops(() => droppedLogLines(logger));
  // What is opened is closed in the reverse order, by close() or when start-up fails half-way.
  const opened: (() => Promise<void> | void)[] = [];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) await close();
  };
  const shared = createSharedState(options, metrics);
  opened.push(() => shared.redis?.close());
  const client = new ClarifyClient({
    rateLimitPerMinute: options.rateLimitPerMinute,
    ...(shared.rateBudget ? { rateBudget: shared.rateBudget } : {}),
    ...options.client,
    apiUrl: options.apiUrl,
    workspace: options.workspace,
    logger: clientLogger(logger, metrics),
    recorder: { record: (entry: CallRecord) => metrics.upstreamCall(entry) },
  });
  opened.push(() => client.close());

  const plans = new PlanCache({ onLookup: (hit) => metrics.operationPlan(hit ? 'hit' : 'miss') });
  let trusted: TrustedDocuments;
  let workspaceSchema: WorkspaceSchema;
  try {
    trusted = createTrustedDocuments(options.trustedDocuments, {
      redis: shared.redis?.client,
      available: () => shared.redis?.available() ?? false,
      onFallback: () => metrics.redisFallback('documents'),
      onRegistration: (outcome) => metrics.apqRegistration(outcome),
    });
    // Plans made for the old schema are never asked for again; drop them with it.
    workspaceSchema = createWorkspaceSchema({ options, client, logger, metrics, onChange: () => plans.clear() });
    await workspaceSchema.start();
  } catch (error) {
    await closeOpened();
    throw error;
  }
  opened.push(() => workspaceSchema.stop());
  // Redis keeps nothing across restarts, so the allow-list is written again whenever it connects.
  shared.redis?.onAvailabilityChange((up) => {
    if (up) trusted.publish().catch((error: unknown) => logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not store the trusted documents in Redis'));
  });

  const { source } = workspaceSchema;
  const readiness = withRedisReadiness(createReadinessProbe(options.apiUrl, options.mode, source), shared.redis);
  const observer = createOperationObserver({ logger, metrics, tracer });
  const live = createLive(options, client, shared, metrics, logger);
  if (live) {
    opened.push(() => live.transport?.close());
    opened.push(() => live.feeds.close());
    metrics.observeSubscriptions(() => live.feeds.stats());
  }
  const requestState = useRequestState({
    live: live?.feeds,
    authenticate: workspaceSchema.authenticate,
    source,
    client,
    logger,
    tracer,
    requestTimeoutMs: options.requestTimeoutMs,
    requestIdOf: observer.requestIdOf,
    writeLock: options.writeLock ?? shared.writeLock,
  });

  const documentCache = createDocumentCache();
  const upstream = upstreamScope(options.apiUrl, options.workspace);
  metrics.observeDocumentCache(() => documentCache.stats());
  // GraphiQL's bundle (9 MB) is loaded on the first page view, not at start-up, and served apart
  // from the endpoint so that browsers keep it.
  const graphiql = createGraphiQLAssets(`${options.graphqlEndpoint}/graphiql`);
  const bulk = useBulkRoutes({
    ...options.bulk,
    graphqlEndpoint: options.graphqlEndpoint,
    run: (request) => Promise.resolve(yoga.fetch(request)),
    authenticate: (authorization) => workspaceSchema.authenticate(authorization),
    schemaFor: async (credential) => (await source.snapshotFor(credential)).schema,
    rateLimitPerMinute: options.rateLimitPerMinute,
    bodyBytes: limits.bodyBytes,
    maxTokens: limits.tokens,
    requestIdOf: observer.requestIdOf,
    logger,
    registry: metrics.registry,
  });
  const plugins = assemblePipeline<GatewayRequestContext>({
    trustedDocumentsGuard: trusted.guard,
    requestState: requestState.plugin,
    cors: useCors({ origins: options.corsOrigins, loopback: options.corsLoopback, costLimit: limits.cost }, { logger, requestIdOf: observer.requestIdOf }),
    graphiql: options.graphiql && graphiql.plugin,
    // An import's body is streamed line by line under its own limits.
    bodyLimit: useBodyLimit(limits.bodyBytes, limits.cost, () => metrics.error('PAYLOAD_TOO_LARGE'), (url) => url.pathname.startsWith(IMPORT_PREFIX)),
    csrfGuard: useCsrfGuard(limits.cost),
    sseSingleConnection: useSseSingleConnection({
      graphqlEndpoint: options.graphqlEndpoint,
      authenticate: workspaceSchema.authenticate,
      maxPerConnection: options.maxPerConnection,
      run: (request) => Promise.resolve(yoga.fetch(request)),
    }),
    requestChecks: useRequestChecks({ graphqlEndpoint: options.graphqlEndpoint, graphiql: options.graphiql, costLimit: limits.cost }),
    errorStatus: useErrorStatus(),
    operationObserver: observer.plugin,
    serviceRoutes: useServiceRoutes({
      metrics,
      metricsAccess: options.metricsAccess,
      readiness,
      adminTokens: [
        ...(options.adminToken ? [options.adminToken] : []),
        ...options.tokens.filter((entry) => entry.scope === 'admin').map((entry) => entry.token),
      ],
      reloadSchema: workspaceSchema.reload,
      currentVersion: () => source.current()?.version,
      logger,
    }),
    bulk: bulk.plugin,
    armor: armorPlugins(limits, options.introspection),
    disableIntrospection: !options.introspection && useDisableIntrospection(),
    validationErrorCode: useValidationErrorCode(),
    documentCache: documentCache.plugin,
    incrementalDelivery: useIncrementalDelivery(),
    trustedDocuments: [trusted.resolver, trusted.registrar],
    operationPlan: useOperationPlan(plans, limits.cost, () => metrics.error('COST_LIMIT_EXCEEDED'), () => metrics.error('FORBIDDEN')),
    compiledExecution:
      options.compiledExecution &&
      useCompiledExecution((lookup) => (lookup === 'hit' || lookup === 'miss' ? metrics.compiledExecution(lookup) : metrics.standardExecution(lookup))),
    responseCache: useGatewayResponseCache({
      cache: shared.responseCache,
      ttlSeconds: options.cache.ttlSeconds,
      ttlPerType: options.cache.ttlPerType,
      costLimit: limits.cost,
      upstream,
      scopeOf: (request) => {
        // The caller the request state authenticated; the scope never spans upstreams or, in pass-through mode, credentials.
        const state = requestState.stateOf(request);
        // An export's pages are read once, in order: storing them would only push other answers out.
        if (!state || bulk.isExportPage(request)) return undefined;
        // In pass-through mode the caller is the credential's fingerprint, made once at authentication.
        return options.mode === 'server-key' ? upstream : `${upstream}:${state.caller}`;
      },
      onLookup: (outcome) => metrics.responseCache(outcome),
    }),
    compression: options.compression && useCompression(),
    unservedStreams: useUnservedStreams(),
  });

  const yoga: GatewayYoga = createYoga<Record<string, unknown>, GatewayRequestContext>({
    graphqlEndpoint: options.graphqlEndpoint,
    healthCheckEndpoint: '/health',
    landingPage: false,
    // The body-limit stage refuses an oversized body before parsing (declared or streamed); Yoga's
    // own check would pipe every body through a second size-counting stream.
    maxRequestBodySize: false,
    // Bounded by count and size; documents that fail validation are not kept.
    parserAndValidationCache: documentCache.caches,
    // CORS, preflights included, is the cors stage's.
    cors: false,
    graphiql: options.graphiql ? graphiqlOptions(options) : false,
    renderGraphiQL: (opts) => graphiql.page(opts),
    // Never dev mode: it would echo `originalError` (parser messages) to callers.
    maskedErrors: { maskError: (error, message) => maskError(error, message), isDev: false },
    logging: yogaLogger(logger),
    plugins,
  });

  return {
    yoga,
    fetch: yoga.fetch,
    handle: (req, res) => {
      void yoga.requestListener(req, res);
    },
    getSchema: () => source.current()?.schema,
    reloadSchema: workspaceSchema.reload,
    readiness,
    metrics,
    mode: options.mode,
    redis: shared.redis,
    live: live?.feeds,
    close: closeOpened,
  };
}

/**
 * The subscription feeds, polling through Redis when it is configured (one replica per feed
 * holds its lease and publishes to all); undefined when subscriptions are off.
 */
function createLive(
  options: ResolvedGatewayOptions,
  client: ClarifyClient,
  shared: SharedState,
  metrics: GatewayMetrics,
  logger: Logger,
): { feeds: LiveFeeds; transport: RedisFeedTransport | undefined } | undefined {
  if (options.subscriptions === false) return undefined;
  const transport = createFeedTransport(shared.redis, options.subscriptions, logger);
  // A server key without caller tokens has one caller: a share of the pollers would only cap it.
  const settings = options.mode === 'server-key' && options.tokens.length === 0 ? { ...options.subscriptions, pollerShare: 100 } : options.subscriptions;
  const feeds = new LiveFeeds(client, settings, {
    observer: { poll: (object, outcome) => metrics.subscriptionPoll(object, outcome) },
    ...(transport ? { transport } : {}),
  });
  return { feeds, transport };
}
