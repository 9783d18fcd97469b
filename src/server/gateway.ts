import { useSseSingleConnection } from './use-sse-single-connection.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { ClarifyClient } from '../client/clarify-client.js';
import type { CallRecord } from '../client/types.js';
import { PlanCache } from '../plan/plan-cache.js';
import { createGraphiQLAssets } from './graphiql-assets.js';
import { GRAPHIQL_EXAMPLE_TABS, GRAPHIQL_PASS_THROUGH_TAB } from './graphiql-examples.js';
import { LiveFeeds } from '../live/feeds.js';
import { createFeedTransport } from './live-transport.js';
import { useIncrementalDelivery } from './use-incremental-delivery.js';
import { useUnservedStreams } from './use-unserved-streams.js';
import { createReadinessProbe, useServiceRoutes, withRedisReadiness, type Readiness } from './health.js';
import {
  armorPlugins,
  useBodyLimit,
  useCsrfGuard,
  useDisableIntrospection,
  useValidationErrorCode,
} from './limits.js';
import { clientLogger, droppedLogLines, yogaLogger } from './logger.js';
import { maskError } from './mask-error.js';
import { createDocumentCache } from './document-cache.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { resolveGatewayOptions, type GatewayMode, type GatewayOptions, type ResolvedGatewayOptions } from './options.js';
import type { SharedRedis } from '../shared-state/redis.js';
import { createSharedState } from './shared-state.js';
import { useCompression } from './use-compression.js';
import { useCors } from './use-cors.js';
import { createTrustedDocuments, type TrustedDocuments } from './trusted-documents.js';
import { upstreamScope, useGatewayResponseCache } from './use-response-cache.js';
import { createOperationObserver } from './use-operation-observer.js';
import { useCompiledExecution } from './use-compiled-execution.js';
import { useErrorStatus } from './use-error-status.js';
import { useRequestChecks } from './use-request-checks.js';
import { useOperationPlan } from './use-operation-plan.js';
import { useRequestState, type GatewayRequestContext } from './use-request-state.js';
import { IMPORT_PREFIX, useBulkRoutes } from '../bulk/use-bulk-routes.js';
import { createWorkspaceSchema } from './workspace-schema.js';

export type { GatewayRequestContext } from './use-request-state.js';
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
  const shared = createSharedState(options, metrics);
  const client = new ClarifyClient({
    rateLimitPerMinute: options.rateLimitPerMinute,
    ...(shared.rateBudget ? { rateBudget: shared.rateBudget } : {}),
    ...options.client,
    apiUrl: options.apiUrl,
    workspace: options.workspace,
    logger: clientLogger(logger, metrics),
    recorder: { record: (entry: CallRecord) => metrics.upstreamCall(entry) },
  });

  let trusted: TrustedDocuments;
  try {
    trusted = createTrustedDocuments(options.trustedDocuments, {
      redis: shared.redis?.client,
      available: () => shared.redis?.available() ?? false,
      onFallback: () => metrics.redisFallback('documents'),
      onRegistration: (outcome) => metrics.apqRegistration(outcome),
    });
  } catch (error) {
    await client.close();
    await shared.redis?.close();
    throw error;
  }
  // Redis keeps nothing across restarts, so the allow-list is written again whenever it connects.
  shared.redis?.onAvailabilityChange((up) => {
    if (up) trusted.publish().catch((error: unknown) => logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not store the trusted documents in Redis'));
  });

  const plans = new PlanCache({ onLookup: (hit) => metrics.operationPlan(hit ? 'hit' : 'miss') });
  // Plans made for the old schema are never asked for again; drop them with it.
  const workspaceSchema = createWorkspaceSchema({ options, client, logger, metrics, onChange: () => plans.clear() });
  try {
    await workspaceSchema.start();
  } catch (error) {
    await client.close();
    await shared.redis?.close();
    throw error;
  }
  const { source } = workspaceSchema;
  const readiness = withRedisReadiness(createReadinessProbe(options.apiUrl, options.mode, source), shared.redis);
  const observer = createOperationObserver({ logger, metrics, tracer });
  const feedTransport = options.subscriptions === false ? undefined : createFeedTransport(shared.redis, options.subscriptions, logger);
  const live =
    options.subscriptions === false
      ? undefined
      : new LiveFeeds(
          client,
          // A server key without caller tokens has one caller: a share of the pollers would only cap it.
          options.mode === 'server-key' && options.tokens.length === 0 ? { ...options.subscriptions, pollerShare: 100 } : options.subscriptions,
          {
            observer: { poll: (object, outcome) => metrics.subscriptionPoll(object, outcome) },
            ...(feedTransport ? { transport: feedTransport } : {}),
          },
        );
  if (live) metrics.observeSubscriptions(() => live.stats());
  const requestState = useRequestState({
    live,
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
    requestIdOf: observer.requestIdOf,
    logger,
    registry: metrics.registry,
  });
  const plugins: Plugin[] = [
    useCors({ origins: options.corsOrigins, loopback: options.corsLoopback, costLimit: limits.cost }, { logger, requestIdOf: observer.requestIdOf }),
    ...(options.graphiql ? [graphiql.plugin] : []),
    useBodyLimit(limits.bodyBytes, limits.cost, () => metrics.error('PAYLOAD_TOO_LARGE'), (url) => url.pathname.startsWith(IMPORT_PREFIX)),
    useCsrfGuard(limits.cost),
    useSseSingleConnection({
      graphqlEndpoint: options.graphqlEndpoint,
      authenticate: workspaceSchema.authenticate,
      maxPerConnection: options.maxPerConnection,
      run: (request) => Promise.resolve(yoga.fetch(request)),
    }),
    useRequestChecks({ graphqlEndpoint: options.graphqlEndpoint, graphiql: options.graphiql, costLimit: limits.cost }),
    useErrorStatus(),
    observer.plugin,
    useServiceRoutes({
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
    bulk.plugin,
    ...armorPlugins(limits, options.introspection),
    ...(options.introspection ? [] : [useDisableIntrospection()]),
    useValidationErrorCode(),
    documentCache.plugin,
    // Incremental delivery for queries, or one response for a client that accepts no stream;
    // its validation rules refuse it on root mutation and subscription fields.
    ...useIncrementalDelivery(),
    trusted.resolver,
    trusted.registrar,
    useOperationPlan(plans, limits.cost, () => metrics.error('COST_LIMIT_EXCEEDED'), () => metrics.error('FORBIDDEN')),
    // After the plan, which says whether the operation streams.
    ...(options.compiledExecution
      ? [
          useCompiledExecution((lookup) =>
            lookup === 'hit' || lookup === 'miss' ? metrics.compiledExecution(lookup) : metrics.standardExecution(lookup),
          ),
        ]
      : []),
    // After the plan: what a read files under and what a write invalidates come from it.
    ...useGatewayResponseCache({
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
    ...(options.compression ? [useCompression()] : []),
    useUnservedStreams(),
  ];

  const yoga: GatewayYoga = createYoga<Record<string, unknown>, GatewayRequestContext>({
    graphqlEndpoint: options.graphqlEndpoint,
    healthCheckEndpoint: '/health',
    landingPage: false,
    // useBodyLimit refuses an oversized body before parsing (declared or streamed); Yoga's own
    // check would pipe every body through a second size-counting stream.
    maxRequestBodySize: false,
    // Bounded by count and size; documents that fail validation are not kept.
    parserAndValidationCache: documentCache.caches,
    // CORS, preflights included, is useCors's.
    cors: false,
    graphiql: options.graphiql ? graphiqlOptions(options) : false,
    renderGraphiQL: (opts) => graphiql.page(opts),
    // Never dev mode: it would echo `originalError` (parser messages) to callers.
    maskedErrors: { maskError: (error, message) => maskError(error, message), isDev: false },
    logging: yogaLogger(logger),
    // The request state comes first: every later hook may rely on the caller being authenticated.
    // Trusted documents refuse before that, so a refused document costs not even a schema read.
    plugins: [trusted.guard, requestState.plugin, ...plugins],
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
    live,
    async close() {
      workspaceSchema.stop();
      await live?.close();
      await feedTransport?.close();
      await client.close();
      await shared.redis?.close();
    },
  };
}
