import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { errorCodeInfo } from '../errors/codes.js';
import { ClarifyClient, type ClarifyClientOptions } from '../client/clarify-client.js';
import type { CallRecord } from '../client/types.js';
import { predictUpstreamCalls } from '../loaders/cost.js';
import { createRequestContext, type GatewayContext } from '../loaders/request-context.js';
import { buildGatewaySchema } from '../schema/build-schema.js';
import type { WorkspaceModel } from '../workspace/model.js';
import { parseWorkspaceModel } from '../workspace/parse-schemas.js';
import {
  createPassThroughAuthenticator,
  createServerKeyAuthenticator,
  type Authenticator,
} from './auth.js';
import { GRAPHIQL_EXAMPLE_TABS } from './graphiql-examples.js';
import { createReadinessProbe, useServiceRoutes, type Readiness } from './health.js';
import {
  armorPlugins,
  DEFAULT_LIMITS,
  useBodyLimit,
  useCsrfGuard,
  useDisableIntrospection,
  useValidationErrorCode,
  type LimitOptions,
} from './limits.js';
import { clientLogger, createLogger, yogaLogger, type Logger } from './logger.js';
import { maskError, upstreamErrorCode } from './mask-error.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { ObservedCallLog } from './observed-call-log.js';
import {
  PassThroughSchemaSource,
  ServerKeySchemaSource,
  type SchemaSnapshot,
  type SchemaSource,
} from './schema-holder.js';
import { useCostExtension } from './use-cost-extension.js';
import { createOperationObserver } from './use-operation-observer.js';

/** Options of `createGateway`. Defaults match the environment variables of `npm start`. */
export interface GatewayOptions {
  /** Clarify API base URL. Default `https://api.clarify.ai/v1` (`CLARIFY_API_URL`). */
  apiUrl?: string;
  /** Workspace slug (`CLARIFY_WORKSPACE`). */
  workspace: string;
  /**
   * Server-held Clarify key (`CLARIFY_API_KEY`): a bare key or a full `api-key …`/`Bearer …`
   * value. Setting it selects server-key mode; leaving it out selects pass-through mode.
   */
  apiKey?: string;
  /**
   * Bearer tokens callers must present in server-key mode (`GATEWAY_TOKENS`). Server-key mode
   * without tokens needs `allowUnauthenticated: true`.
   */
  tokens?: string[];
  /**
   * Accept callers without a token in server-key mode. Only for a gateway that nobody else can
   * reach (loopback) or whose host application authenticates callers itself. Default false.
   */
  allowUnauthenticated?: boolean;
  /** Bearer token for `POST /admin/reload-schema` (`GATEWAY_ADMIN_TOKEN`); off without it. */
  adminToken?: string;
  /**
   * Browser origins allowed to call the gateway cross-origin (`CORS_ORIGINS`), e.g.
   * `https://app.example.com`. Default none: only same-origin pages (such as GraphiQL) can.
   */
  corsOrigins?: string[];
  /** Path of the GraphQL endpoint. Default `/graphql`. */
  graphqlEndpoint?: string;
  /** Serve GraphiQL to browsers at the endpoint (`GRAPHIQL`). Default true unless `production`. */
  graphiql?: boolean;
  /** Answer introspection queries (`INTROSPECTION`). Default true unless `production`. */
  introspection?: boolean;
  /** Production defaults: GraphiQL and introspection off. Default false. */
  production?: boolean;
  /** Request limits (`COST_LIMIT`, `MAX_DEPTH`, `MAX_ALIASES`, `MAX_TOKENS`, `MAX_DIRECTIVES`, `MAX_BODY_BYTES`). */
  limits?: Partial<LimitOptions>;
  /** Time budget of one request in ms, upstream retries included (`REQUEST_TIMEOUT_MS`). Default 30 000. */
  requestTimeoutMs?: number;
  /**
   * Re-read the workspace schema every N seconds; 0 = only on demand
   * (`SCHEMA_RELOAD_INTERVAL_SECONDS`). Default 300. In pass-through mode it is how long a
   * caller's schema read is cached.
   */
  schemaReloadIntervalSeconds?: number;
  /** pino logger. Default: a new one at `info`. */
  logger?: Logger;
  /** OpenTelemetry tracer for operation and upstream-call spans. Default: no tracing. */
  tracer?: Tracer;
  /** Collect Node process metrics into `/metrics`. Default true. */
  processMetrics?: boolean;
  /** Extra options for the Clarify client the gateway creates. */
  client?: Omit<ClarifyClientOptions, 'apiUrl' | 'workspace' | 'logger' | 'recorder'>;
}

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, GatewayRequestContext>;

/** What resolvers receive: the loaders' context plus the request id. */
export type GatewayRequestContext = GatewayContext & { requestId: string };

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
  mode: 'server-key' | 'pass-through';
  /** Stops the reload timer and closes the upstream connection pool. */
  close(): Promise<void>;
}


interface RequestState {
  requestId: string;
  credential: string;
  snapshot: SchemaSnapshot<WorkspaceModel>;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      http: { status: 401, headers: { 'www-authenticate': 'Bearer' } },
    },
  });
}

/** The status of a failed schema load: the table's, unless it would blame the caller or the gateway. */
function schemaLoadStatus(code: unknown): number {
  const info = errorCodeInfo(code);
  return !info || info.userError || code === 'INTERNAL_SERVER_ERROR' ? 503 : info.status;
}

/** A failure to load the schema for a request, as the caller should see it. */
function schemaLoadError(error: unknown): GraphQLError {
  const code = upstreamErrorCode(error);
  if (code === 'UNAUTHENTICATED') return unauthenticated('Clarify rejected the credential.');
  const masked = maskError(error, 'The workspace schema could not be loaded.');
  const maskedCode = (masked instanceof GraphQLError && masked.extensions['code']) || 'UPSTREAM_UNAVAILABLE';
  return new GraphQLError('The workspace schema could not be loaded from Clarify.', {
    extensions: {
      code: maskedCode,
      http: { status: schemaLoadStatus(maskedCode) },
    },
  });
}

/**
 * Creates the gateway: a Yoga server over the workspace's GraphQL schema with auth, limits,
 * masking, cost, metrics and tracing. In server-key mode it loads the workspace schema before
 * resolving and rejects if that fails.
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const production = options.production ?? false;
  const limits: LimitOptions = { ...DEFAULT_LIMITS, ...options.limits };
  const introspection = options.introspection ?? !production;
  const graphiql = options.graphiql ?? !production;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const reloadSeconds = options.schemaReloadIntervalSeconds ?? 300;
  const apiUrl = options.apiUrl ?? 'https://api.clarify.ai/v1';
  const logger = options.logger ?? createLogger('info');
  const metrics = createMetrics({ processMetrics: options.processMetrics });
  const tracer = options.tracer;
  const mode = options.apiKey ? 'server-key' : 'pass-through';
  const tokens = options.tokens ?? [];
  if (mode === 'server-key' && tokens.length === 0 && !options.allowUnauthenticated) {
    throw new Error(
      'createGateway: a server key needs caller tokens (tokens) or an explicit allowUnauthenticated: true.',
    );
  }

  const client = new ClarifyClient({
    ...options.client,
    apiUrl,
    workspace: options.workspace,
    logger: clientLogger(logger, metrics),
    recorder: { record: (entry: CallRecord) => metrics.upstreamCall(entry) },
  });

  const sourceOptions = {
    readSchemas: (credential: string) => client.listSchemas({ credential, deadline: Date.now() + requestTimeoutMs }),
    build: (items: unknown[]) => {
      const model = parseWorkspaceModel(items);
      for (const warning of model.warnings) logger.warn({ warning }, 'workspace schema');
      return { model, schema: buildGatewaySchema(model) };
    },
    onChange: (snapshot: SchemaSnapshot<WorkspaceModel>, previous: SchemaSnapshot<WorkspaceModel> | undefined) => {
      logger.info(
        { version: snapshot.version, objects: snapshot.model.objects.length, replaced: previous?.version },
        previous ? 'workspace schema changed; new requests use the new schema' : 'workspace schema loaded',
      );
    },
  };

  let authenticate: Authenticator;
  let source: SchemaSource<WorkspaceModel>;
  if (options.apiKey) {
    authenticate = createServerKeyAuthenticator(options.apiKey, tokens);
    const serverCredential = authenticate(`Bearer ${tokens[0] ?? ''}`);
    if (!serverCredential.ok) throw new Error('createGateway: could not derive the server credential.');
    source = new ServerKeySchemaSource(sourceOptions, serverCredential.credential);
  } else {
    authenticate = createPassThroughAuthenticator();
    source = new PassThroughSchemaSource(sourceOptions, Math.max(reloadSeconds, 1) * 1000);
  }

  const reloadSchema = async (): Promise<boolean> => {
    try {
      const changed = await source.reload();
      metrics.schemaReload(changed ? 'changed' : 'unchanged');
      return changed;
    } catch (error) {
      metrics.schemaReload('failed');
      throw error;
    }
  };

  if (mode === 'server-key') {
    try {
      await source.reload();
    } catch (error) {
      await client.close();
      throw new Error(`Could not load the workspace schema from ${apiUrl}: ${describe(error)}`);
    }
  }

  let timer: NodeJS.Timeout | undefined;
  if (mode === 'server-key' && reloadSeconds > 0) {
    timer = setInterval(() => {
      reloadSchema().catch((error: unknown) =>
        logger.warn({ error: describe(error) }, 'periodic schema reload failed; keeping the current schema'),
      );
    }, reloadSeconds * 1000);
    timer.unref();
  }

  const states = new WeakMap<Request, RequestState>();
  const readiness = createReadinessProbe(apiUrl, mode, source);

  const graphiqlOptions: GraphiQLOptions = {
    title: 'Clarify GraphQL',
    defaultTabs: GRAPHIQL_EXAMPLE_TABS,
    ...(mode === 'server-key' && tokens.length > 0
      ? { defaultHeaders: JSON.stringify({ Authorization: 'Bearer <gateway token>' }, null, 2) }
      : {}),
    ...(mode === 'pass-through'
      ? { defaultHeaders: JSON.stringify({ Authorization: 'api-key <your Clarify API key>' }, null, 2) }
      : {}),
  };
  let graphiqlPage: string | undefined;
  const observer = createOperationObserver({ logger, metrics, tracer });

  const plugins: Plugin[] = [
    useBodyLimit(limits.bodyBytes, () => metrics.error('PAYLOAD_TOO_LARGE')),
    useCsrfGuard(),
    observer.plugin,
    useServiceRoutes({
      metrics,
      readiness,
      adminToken: options.adminToken,
      reloadSchema,
      currentVersion: () => source.current()?.version,
      logger,
    }),
    ...armorPlugins(limits, introspection),
    ...(introspection ? [] : [useDisableIntrospection()]),
    useValidationErrorCode(),
    useCostExtension((input) => predictUpstreamCalls(input), limits.cost, () => metrics.error('COST_LIMIT_EXCEEDED')),
  ];

  const yoga: GatewayYoga = createYoga<Record<string, unknown>, GatewayRequestContext>({
    graphqlEndpoint: options.graphqlEndpoint ?? '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    cors:
      options.corsOrigins && options.corsOrigins.length > 0
        ? {
            origin: options.corsOrigins.includes('*') ? '*' : options.corsOrigins,
            credentials: false,
            methods: ['GET', 'POST'],
          }
        : false,
    graphiql: graphiql ? graphiqlOptions : false,
    renderGraphiQL: (opts) => (graphiqlPage ??= renderGraphiQL(opts)),
    maskedErrors: { maskError: (error, message) => maskError(error, message) },
    logging: yogaLogger(logger),
    plugins,
    schema: async ({ request }: { request: Request }) => {
      const decision = authenticate(request.headers.get('authorization'));
      if (!decision.ok) throw unauthenticated(decision.reason);
      let snapshot: SchemaSnapshot<WorkspaceModel>;
      try {
        snapshot = await source.snapshotFor(decision.credential);
      } catch (error) {
        throw schemaLoadError(error);
      }
      const requestId = observer.requestIdOf(request);
      states.set(request, { requestId, credential: decision.credential, snapshot });
      return snapshot.schema;
    },
    context: ({ request }): GatewayRequestContext => {
      const state = states.get(request);
      if (!state) throw new Error('No request state: the schema factory did not run.');
      const requestLogger = logger.child({ requestId: state.requestId });
      const calls = new ObservedCallLog(requestLogger, tracer);
      const context = createRequestContext({
        client,
        model: state.snapshot.model,
        credential: state.credential,
        signal: request.signal,
        deadline: Date.now() + requestTimeoutMs,
        calls,
      });
      return { ...context, requestId: state.requestId };
    },
  });

  return {
    yoga,
    fetch: yoga.fetch,
    handle: (req, res) => {
      void yoga.requestListener(req, res);
    },
    getSchema: () => source.current()?.schema,
    reloadSchema,
    readiness,
    metrics,
    mode,
    async close() {
      if (timer) clearInterval(timer);
      await client.close();
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
