import type { Tracer } from '@opentelemetry/api';
import type { ClarifyClientOptions } from '../client/clarify-client.js';
import { DEFAULT_MAX_PER_CONNECTION, type LiveOptions } from '../live/defaults.js';
import { DEFAULT_LIMITS, DEFAULTS, type LimitOptions } from '../config/defaults.js';
import { createLogger, type Logger } from '../observability/logger.js';
import type { WriteLock } from '../loaders/write-lock.js';
import type { TrustedDocumentsOptions } from './trusted-documents.js';
import type { GatewayToken } from './auth.js';
import type { GatewayConfig } from '../config/config.js';
import type { BulkSettings } from '../bulk/use-bulk-routes.js';

/** Options of `createGateway`. Defaults (`config/defaults.ts`) match the environment variables of `npm start`. */
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
   * Bearer tokens callers must present in server-key mode (`GATEWAY_TOKENS`), each with a scope:
   * `read` (queries, subscriptions), `write` (plus record mutations) or `admin` (plus schema
   * changes, merges, bulk deletes and `POST /admin/reload-schema`). A plain string is `write`.
   * Server-key mode without tokens needs `allowUnauthenticated: true`.
   */
  tokens?: Array<string | GatewayToken>;
  /**
   * Accept callers without a token in server-key mode. Only for a gateway that nobody else can
   * reach (loopback) or whose host application authenticates callers itself. Default false.
   */
  allowUnauthenticated?: boolean;
  /** Bearer token for `POST /admin/reload-schema` (`GATEWAY_ADMIN_TOKEN`); off without it. */
  adminToken?: string;
  /**
   * Browser origins allowed to call the gateway cross-origin (`CORS_ORIGINS`), e.g.
   * `https://app.example.com`, or `*` for any. Default none: only same-origin pages (such as
   * GraphiQL) can, plus loopback origins with `corsLoopback`.
   */
  corsOrigins?: string[];
  /**
   * Also allow any loopback origin (`http://localhost:5173`, `http://127.0.0.1:3000`): a frontend
   * dev server on the same machine. `npm start` turns it on in development when `CORS_ORIGINS` is
   * unset. Default false.
   */
  corsLoopback?: boolean;
  /** Compress responses over 1 KiB with Brotli or gzip when the client accepts it. Default true. */
  compression?: boolean;
  /**
   * Run queries and mutations through graphql-jit where its compiled code is bounded by the
   * operation's size (see `use-compiled-execution.ts`); false runs everything on graphql-js.
   * Default true.
   */
  compiledExecution?: boolean;
  /** Path of the GraphQL endpoint. Default `/graphql`. */
  graphqlEndpoint?: string;
  /** Serve GraphiQL to browsers at the endpoint (`GRAPHIQL`). Default true unless `production`. */
  graphiql?: boolean;
  /** Answer introspection queries (`INTROSPECTION`). Default true unless `production`. */
  introspection?: boolean;
  /**
   * Serve the schema as an Apollo Federation v2 subgraph (`FEDERATION`): record types become
   * entities, and `_service`/`_entities` answer a router (see docs/federation.md). Default false.
   */
  federation?: boolean;
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
  /**
   * Who may read `/metrics` (`METRICS_TOKEN`, `METRICS_PORT`). `token`: the bearer token a
   * scraper presents. Without it, a gateway with caller `tokens` accepts any of them, and one
   * without tokens (loopback, pass-through) answers everyone. `route: false` drops `/metrics` from
   * the gateway's routes, for serving it elsewhere (`metricsListener` on a loopback port).
   */
  metricsAccess?: { token?: string; route?: boolean };
  /**
   * Shared state across replicas (`REDIS_URL`, `REDIS_KEY_PREFIX`): the response cache and the
   * rate budget live in this Redis. Default none: both stay in this process.
   */
  redis?: { url: string; keyPrefix?: string };
  /**
   * Response cache (`CACHE_TTL_SECONDS`, `CACHE_TTL_PER_TYPE`): seconds an answer is reused,
   * per credential scope; 0 (the default) turns it off. `ttlPerType` overrides it for answers
   * that contain a type (0 keeps them out of the cache).
   */
  cache?: { ttlSeconds: number; ttlPerType?: Record<string, number> };
  /**
   * Upstream calls per minute per credential and endpoint while Clarify sends no rate headers
   * (`RATE_LIMIT_PER_MINUTE`). Default 3000. With `redis` every replica takes from one budget.
   */
  rateLimitPerMinute?: number;
  /**
   * `POST /export` and `POST /import/{object}` (docs/bulk.md): the percentage of the rate budget
   * they may take per credential (`BULK_BUDGET_SHARE`, default 50), the longest import line in
   * bytes (`IMPORT_MAX_LINE_BYTES`, 64 KiB) and the most lines of one import (`IMPORT_MAX_LINES`,
   * 100,000).
   */
  bulk?: Partial<BulkSettings>;
  /**
   * Trusted documents (`TRUSTED_DOCUMENTS_FILE`, `TRUSTED_DOCUMENTS_ONLY`): an allow-list from a
   * file or given directly, and whether only its documents may run. Automatic persisted queries
   * work whenever `only` is off.
   */
  trustedDocuments?: TrustedDocumentsOptions;
  /**
   * Subscriptions: poll intervals and limits (`SUBSCRIPTION_MIN_INTERVAL_MS`,
   * `SUBSCRIPTION_POLLS_PER_MINUTE`, `MAX_SUBSCRIPTIONS_PER_CREDENTIAL`, `MAX_SUBSCRIPTION_POLLERS`,
   * `SUBSCRIPTION_POLLER_SHARE`);
   * defaults in `LIVE_DEFAULTS`. `false` turns subscriptions off.
   */
  subscriptions?: LiveOptions | false;
  /**
   * Operations one graphql-sse single-connection stream may run at once
   * (`MAX_SUBSCRIPTIONS_PER_CONNECTION`, as for a WebSocket connection). Default 25.
   */
  maxPerConnection?: number;
  /** Extra options for the Clarify client the gateway creates. */
  client?: Omit<ClarifyClientOptions, 'apiUrl' | 'workspace' | 'logger' | 'recorder'>;
  /**
   * Serialises relationship edits (read the set, PATCH the union) on the same record. Default: a
   * lock inside this process, or a lock in Redis when `redis` is set, so replicas serialise too.
   */
  writeLock?: WriteLock;
}

export type GatewayMode = 'server-key' | 'pass-through';

/** `GatewayOptions` with every default filled in and the mode decided. */
export interface ResolvedGatewayOptions {
  apiUrl: string;
  workspace: string;
  mode: GatewayMode;
  /** Present exactly in server-key mode. */
  apiKey: string | undefined;
  tokens: GatewayToken[];
  adminToken: string | undefined;
  corsOrigins: string[];
  corsLoopback: boolean;
  compression: boolean;
  compiledExecution: boolean;
  graphqlEndpoint: string;
  graphiql: boolean;
  introspection: boolean;
  federation: boolean;
  limits: LimitOptions;
  requestTimeoutMs: number;
  schemaReloadIntervalSeconds: number;
  logger: Logger;
  tracer: Tracer | undefined;
  processMetrics: boolean;
  /** `/metrics` on the gateway's routes, and the bearer tokens it accepts (none: open). */
  metricsAccess: { route: boolean; tokens: string[] };
  redis: { url: string; keyPrefix: string } | undefined;
  cache: { ttlSeconds: number; ttlPerType: Record<string, number> };
  rateLimitPerMinute: number;
  bulk: BulkSettings;
  trustedDocuments: TrustedDocumentsOptions;
  /** False when subscriptions are off; unset settings take `LIVE_DEFAULTS`. */
  subscriptions: LiveOptions | false;
  maxPerConnection: number;
  client: GatewayOptions['client'];
  /** Undefined: one in this process, or in Redis when `redis` is set. */
  writeLock: WriteLock | undefined;
}

/** Fills in the defaults and refuses combinations that would leave the gateway open. */
export function resolveGatewayOptions(options: GatewayOptions): ResolvedGatewayOptions {
  const production = options.production ?? false;
  const mode: GatewayMode = options.apiKey ? 'server-key' : 'pass-through';
  const tokens = (options.tokens ?? []).map((entry): GatewayToken => (typeof entry === 'string' ? { token: entry, scope: 'write' } : entry));
  if (mode === 'server-key' && tokens.length === 0 && !options.allowUnauthenticated) {
    throw new Error(
      'createGateway: a server key needs caller tokens (tokens) or an explicit allowUnauthenticated: true.',
    );
  }
  return {
    apiUrl: options.apiUrl ?? DEFAULTS.apiUrl,
    workspace: options.workspace,
    mode,
    apiKey: options.apiKey || undefined,
    tokens,
    adminToken: options.adminToken,
    corsOrigins: options.corsOrigins ?? [],
    corsLoopback: options.corsLoopback ?? false,
    compression: options.compression ?? true,
    compiledExecution: options.compiledExecution ?? true,
    graphqlEndpoint: options.graphqlEndpoint ?? DEFAULTS.graphqlEndpoint,
    graphiql: options.graphiql ?? !production,
    introspection: options.introspection ?? !production,
    federation: options.federation ?? false,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    schemaReloadIntervalSeconds: options.schemaReloadIntervalSeconds ?? DEFAULTS.schemaReloadIntervalSeconds,
    logger: options.logger ?? createLogger(DEFAULTS.logLevel),
    tracer: options.tracer,
    processMetrics: options.processMetrics ?? true,
    metricsAccess: {
      route: options.metricsAccess?.route ?? true,
      tokens: options.metricsAccess?.token ? [options.metricsAccess.token] : tokens.map((entry) => entry.token),
    },
    redis: options.redis ? { url: options.redis.url, keyPrefix: options.redis.keyPrefix ?? DEFAULTS.redisKeyPrefix } : undefined,
    cache: { ttlSeconds: options.cache?.ttlSeconds ?? DEFAULTS.cacheTtlSeconds, ttlPerType: options.cache?.ttlPerType ?? {} },
    rateLimitPerMinute: options.rateLimitPerMinute ?? DEFAULTS.rateLimitPerMinute,
    bulk: {
      budgetShare: options.bulk?.budgetShare ?? DEFAULTS.bulkBudgetShare,
      importMaxLineBytes: options.bulk?.importMaxLineBytes ?? DEFAULTS.importMaxLineBytes,
      importMaxLines: options.bulk?.importMaxLines ?? DEFAULTS.importMaxLines,
      rateLimitedRetries: options.bulk?.rateLimitedRetries ?? DEFAULTS.bulkRateLimitedRetries,
    },
    trustedDocuments: options.trustedDocuments ?? {},
    subscriptions: options.subscriptions ?? {},
    maxPerConnection: options.maxPerConnection ?? DEFAULT_MAX_PER_CONNECTION,
    client: options.client,
    writeLock: options.writeLock,
  };
}

/** Where the gateway reads its records: the configured Clarify, or the embedded sandbox. */
export interface Upstream {
  apiUrl: string;
  workspace: string;
  apiKey: string | undefined;
}

/**
 * The library options `npm start` creates the gateway with: the parsed environment, the upstream
 * it resolved (a sandbox has its own URL and key), and what only the process has (logger, tracer).
 */
export function gatewayOptionsFromConfig(
  config: GatewayConfig,
  upstream: Upstream,
  process: Pick<GatewayOptions, 'logger' | 'tracer'>,
): GatewayOptions {
  const { maxPerConnection, ...subscriptions } = config.subscriptions;
  return {
    apiUrl: upstream.apiUrl,
    workspace: upstream.workspace,
    apiKey: config.authMode === 'server-key' ? upstream.apiKey : undefined,
    tokens: config.gatewayTokens,
    // The configuration refused tokenless server-key mode on any non-loopback host.
    allowUnauthenticated: config.gatewayTokens.length === 0,
    adminToken: config.adminToken,
    metricsAccess: { token: config.metricsToken, route: config.metricsPort === undefined },
    corsOrigins: config.corsOrigins,
    corsLoopback: config.corsLoopback,
    graphiql: config.graphiql,
    introspection: config.introspection,
    federation: config.federation,
    production: config.production,
    limits: config.limits,
    requestTimeoutMs: config.requestTimeoutMs,
    schemaReloadIntervalSeconds: config.schemaReloadIntervalSeconds,
    redis: config.redis,
    cache: config.cache,
    rateLimitPerMinute: config.rateLimitPerMinute,
    bulk: config.bulk,
    trustedDocuments: config.trustedDocuments,
    subscriptions,
    maxPerConnection,
    ...process,
  };
}
