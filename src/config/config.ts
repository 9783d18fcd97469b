import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { DEFAULT_MAX_PER_CONNECTION, LIVE_DEFAULTS } from '../live/defaults.js';
import { DEFAULT_LIMITS, DEFAULTS, type LimitOptions } from './defaults.js';

/**
 * The gateway's configuration, parsed once at start from the environment. This is the only
 * module that knows environment variable names; everything else receives a `GatewayConfig`.
 */

export type AuthMode = 'server-key' | 'pass-through';

export interface GatewayConfig {
  /** Clarify base URL, e.g. `https://api.clarify.ai/v1`. Ignored when `sandbox` is set. */
  apiUrl: string;
  /** Workspace slug; `demo` with the embedded sandbox. */
  workspace: string;
  /** Server-held Clarify key (server-key mode). Absent in pass-through mode and with the sandbox. */
  apiKey: string | undefined;
  authMode: AuthMode;
  /**
   * Bearer tokens callers present in server-key mode, with what each may run (`GATEWAY_TOKENS`:
   * `read:<token>`, `write:<token>`, `admin:<token>`; a plain token is `write`).
   */
  gatewayTokens: { token: string; scope: 'read' | 'write' | 'admin' }[];
  /** Bearer token for `POST /admin/reload-schema`; the route is off without it. */
  adminToken: string | undefined;
  /** Bearer token scrapers present for `/metrics` (`METRICS_TOKEN`); without it the gateway tokens serve. */
  metricsToken: string | undefined;
  /** Serve `/metrics` on its own loopback listener at this port instead of `PORT` (`METRICS_PORT`). */
  metricsPort: number | undefined;
  /** Browser origins allowed cross-origin (`CORS_ORIGINS`). */
  corsOrigins: string[];
  /** Allow any loopback origin (`http://localhost:5173`, …): development without `CORS_ORIGINS`. */
  corsLoopback: boolean;
  /** Start the sandbox in-process (no `CLARIFY_API_KEY`, server-key mode); port 0 = any free port. */
  sandbox: { port: number } | undefined;
  port: number;
  host: string;
  production: boolean;
  graphiql: boolean;
  introspection: boolean;
  /** Serve a Federation v2 subgraph (`FEDERATION`). */
  federation: boolean;
  limits: LimitOptions;
  requestTimeoutMs: number;
  schemaReloadIntervalSeconds: number;
  shutdownTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `pretty`: a banner and human-readable log lines (development on a terminal); `json`: JSON lines. */
  logFormat: 'pretty' | 'json';
  /** Log lines waiting for stdout, in characters; past it lines are dropped and counted (`LOG_BUFFER_BYTES`). */
  logBufferBytes: number;
  otel: { endpoint: string; serviceName: string } | undefined;
  /** Shared state across replicas (`REDIS_URL`); undefined keeps everything in this process. */
  redis: RedisConfig | undefined;
  /** Response cache (`CACHE_TTL_SECONDS`, `CACHE_TTL_PER_TYPE`); ttlSeconds 0 = off. */
  cache: { ttlSeconds: number; ttlPerType: Record<string, number> };
  /** Upstream calls per minute per workspace, credential and endpoint when Clarify sends no rate headers. */
  rateLimitPerMinute: number;
  /** `/export` and `/import` (`BULK_BUDGET_SHARE`, `IMPORT_MAX_LINE_BYTES`, `IMPORT_MAX_LINES`). */
  bulk: { budgetShare: number; importMaxLineBytes: number; importMaxLines: number };
  /** Subscriptions: shortest poll interval, poll budget and limits. */
  subscriptions: {
    minIntervalMs: number;
    pollsPerMinute: number;
    maxPerConnection: number;
    maxPerCredential: number;
    maxPollers: number;
    /** Percentage of `maxPollers` one caller may open (`SUBSCRIPTION_POLLER_SHARE`). */
    pollerShare: number;
    /** With Redis: lease of a feed's poller in ms (`SUBSCRIPTION_LEASE_MS`). */
    leaseMs: number;
  };
  /** Trusted documents (`TRUSTED_DOCUMENTS_FILE`, `TRUSTED_DOCUMENTS_ONLY`). */
  trustedDocuments: { file: string | undefined; only: boolean };
  /**
   * Started by npm (`npm start`, `npx clarify-graphql`; npm sets `npm_lifecycle_event`). npm's
   * shell may die on SIGTERM without passing it on, so the gateway also stops when its parent goes.
   */
  launchedByNpm: boolean;
  /** Variables that look like the gateway's but are not (`CLARIFY_APIKEY`), each with a did-you-mean: logged at start. */
  warnings: string[];
}

/** Where shared state lives. */
export interface RedisConfig {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://…` for TLS. */
  url: string;
  /** Prepended to every key, so several gateways (or tenants) can share one Redis. */
  keyPrefix: string;
}

export type Environment = Record<string, string | undefined>;

/** Thrown by `parseConfig` with every problem found, one per line in `problems`. */
const kConfigError: unique symbol = Symbol.for('clarify-graphql.ConfigError');

export class ConfigError extends Error {
  /** Whether `value` is a `ConfigError`, made by this copy of the module or any other (an embedding application may hold two). */
  static is(value: unknown): value is ConfigError {
    return typeof value === 'object' && value !== null && Reflect.get(value, kConfigError) === true;
  }

  get [kConfigError](): true {
    return true;
  }

  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyAsUndefined, z.string().trim().optional());

const BOOLEAN_WORDS = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'] as const;

const boolean = z.preprocess(
  (value) => (typeof value === 'string' ? emptyAsUndefined(value.trim().toLowerCase()) : value),
  z
    .enum(BOOLEAN_WORDS, { errorMap: () => ({ message: 'expected true/false, 1/0, yes/no or on/off' }) })
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v))
    .optional(),
);

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ invalid_type_error: 'expected a whole number' })
      .int('expected a whole number')
      .min(min)
      .max(max)
      .default(fallback),
  );

/**
 * Splits a Clarify URL into its API base and, when it ends in `/workspaces/{slug}` (as the
 * sandbox prints it), the workspace slug. Undefined when it is not an absolute http(s) URL.
 */
export function splitClarifyUrl(value: string): { apiUrl: string; workspace: string | undefined } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const base = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  const [, apiUrl, workspace] = /^(.*)\/workspaces\/([A-Za-z0-9_-]+)$/.exec(base) ?? [];
  return apiUrl !== undefined ? { apiUrl, workspace } : { apiUrl: base, workspace: undefined };
}

const url = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .transform((v, ctx) => {
      const split = splitClarifyUrl(v);
      if (!split) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected an absolute http(s) URL such as ${DEFAULTS.apiUrl}` });
        return z.NEVER;
      }
      return split;
    })
    .default(DEFAULTS.apiUrl),
);

/** `read:<token>`, `write:<token>`, `admin:<token>`, or a plain token (`write`). */
const SCOPED_TOKEN = /^(read|write|admin):(.*)$/;
const SCOPES = ['read', 'write', 'admin'] as const;

const tokenList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0)
        .map((entry) => {
          const scoped = SCOPED_TOKEN.exec(entry);
          const scope = SCOPES.find((name) => name === scoped?.[1]) ?? 'write';
          return { token: (scoped?.[2] ?? entry).trim(), scope };
        }),
    )
    .refine((tokens) => tokens.every((t) => t.token.length >= 16), 'every token must be at least 16 characters (after its read:, write: or admin: scope)')
    .refine((tokens) => new Set(tokens.map((t) => t.token)).size === tokens.length, 'a token appears twice (give each token one scope)'),
);

const envSchema = z.object({
  CLARIFY_API_URL: url,
  CLARIFY_WORKSPACE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'expected a workspace slug (letters, digits, - and _)')
      .optional(),
  ),
  CLARIFY_API_KEY: optionalString,
  GATEWAY_AUTH_MODE: z.preprocess(emptyAsUndefined, z.enum(['server-key', 'pass-through']).optional()),
  GATEWAY_TOKENS: tokenList,
  GATEWAY_ADMIN_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().trim().min(16, 'must be at least 16 characters').optional()),
  METRICS_PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ invalid_type_error: 'expected a whole number' }).int('expected a whole number').min(0).max(65535).optional(),
  ),
  CORS_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((v) => (v ?? '').split(',').map((o) => o.trim()).filter((o) => o.length > 0))
      .refine(
        (origins) => origins.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)),
        'expected comma-separated origins such as https://app.example.com',
      ),
  ),
  PORT: integer(0, 65535, DEFAULTS.port),
  HOST: z.preprocess(emptyAsUndefined, z.string().default(DEFAULTS.host)),
  SANDBOX_PORT: integer(0, 65535, 0),
  NODE_ENV: z.preprocess(emptyAsUndefined, z.string().default('development')),
  GRAPHIQL: boolean,
  INTROSPECTION: boolean,
  FEDERATION: boolean,
  COST_LIMIT: integer(1, 100_000, DEFAULT_LIMITS.cost),
  MAX_DEPTH: integer(1, 100, DEFAULT_LIMITS.depth),
  MAX_ALIASES: integer(0, 1000, DEFAULT_LIMITS.aliases),
  MAX_TOKENS: integer(10, 1_000_000, DEFAULT_LIMITS.tokens),
  MAX_DIRECTIVES: integer(0, 1000, DEFAULT_LIMITS.directives),
  MAX_BODY_BYTES: integer(256, 100 * 1024 * 1024, DEFAULT_LIMITS.bodyBytes),
  REQUEST_TIMEOUT_MS: integer(100, 600_000, DEFAULTS.requestTimeoutMs),
  SCHEMA_RELOAD_INTERVAL_SECONDS: integer(0, 86_400, DEFAULTS.schemaReloadIntervalSeconds),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, DEFAULTS.shutdownTimeoutMs),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(DEFAULTS.logLevel),
  ),
  LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['pretty', 'json']).optional()),
  LOG_BUFFER_BYTES: integer(4096, 1024 * 1024 * 1024, DEFAULTS.logBufferBytes),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    emptyAsUndefined,
    z.string().url('expected an absolute URL').optional(),
  ),
  OTEL_SERVICE_NAME: z.preprocess(emptyAsUndefined, z.string().default('clarify-graphql')),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), 'expected redis://host:port or rediss://host:port (TLS)')
      .optional(),
  ),
  REDIS_KEY_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_:.{}-]{1,100}$/, 'expected up to 100 letters, digits or _ : . - { }')
      .default(DEFAULTS.redisKeyPrefix),
  ),
  CACHE_TTL_SECONDS: integer(0, 86_400, DEFAULTS.cacheTtlSeconds),
  CACHE_TTL_PER_TYPE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => parseTtlPerType(v ?? '', ctx)),
  ),
  RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000, DEFAULTS.rateLimitPerMinute),
  BULK_BUDGET_SHARE: integer(1, 100, DEFAULTS.bulkBudgetShare),
  IMPORT_MAX_LINE_BYTES: integer(256, 16 * 1024 * 1024, DEFAULTS.importMaxLineBytes),
  IMPORT_MAX_LINES: integer(1, 100_000_000, DEFAULTS.importMaxLines),
  SUBSCRIPTION_MIN_INTERVAL_MS: integer(100, 3_600_000, LIVE_DEFAULTS.minIntervalMs),
  SUBSCRIPTION_POLLS_PER_MINUTE: integer(1, 1_000_000, LIVE_DEFAULTS.pollsPerMinute),
  MAX_SUBSCRIPTIONS_PER_CONNECTION: integer(1, 10_000, DEFAULT_MAX_PER_CONNECTION),
  MAX_SUBSCRIPTIONS_PER_CREDENTIAL: integer(1, 1_000_000, LIVE_DEFAULTS.maxPerCredential),
  MAX_SUBSCRIPTION_POLLERS: integer(1, 100_000, LIVE_DEFAULTS.maxPollers),
  SUBSCRIPTION_POLLER_SHARE: integer(1, 100, LIVE_DEFAULTS.pollerShare),
  SUBSCRIPTION_LEASE_MS: integer(300, 600_000, LIVE_DEFAULTS.leaseMs),
  TRUSTED_DOCUMENTS_FILE: optionalString,
  TRUSTED_DOCUMENTS_ONLY: boolean,
  npm_lifecycle_event: optionalString,
});

/** `Person=60,Deal=0`: seconds per GraphQL type; 0 keeps that type out of the cache. */
function parseTtlPerType(value: string, ctx: z.RefinementCtx): Record<string, number> {
  const result: Record<string, number> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const [, type, seconds] = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\d{1,6})$/.exec(part) ?? [];
    if (type === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected Type=seconds pairs such as Person=60,Deal=0; got "${part}"` });
      continue;
    }
    result[type] = Number(seconds);
  }
  return result;
}

/** True for hosts that only the local machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Parses and checks the environment. Throws a `ConfigError` listing every problem at once.
 */
export function parseConfig(env: Environment, terminal: { stdoutIsTTY?: boolean } = {}): GatewayConfig {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
  }
  problems.push(...crossFieldProblems(env));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const authMode: AuthMode = e.GATEWAY_AUTH_MODE ?? 'server-key';
  const sandbox = authMode === 'server-key' && !e.CLARIFY_API_KEY;
  const production = e.NODE_ENV === 'production';
  const upstream = e.CLARIFY_API_URL;
  const workspace = sandbox ? 'demo' : (e.CLARIFY_WORKSPACE ?? upstream.workspace);
  // crossFieldProblems asks for a workspace wherever a credential needs one.
  if (workspace === undefined) throw new ConfigError(['CLARIFY_WORKSPACE: required (or end CLARIFY_API_URL in /workspaces/<slug>)']);
  return {
    apiUrl: upstream.apiUrl,
    workspace,
    apiKey: e.CLARIFY_API_KEY,
    authMode,
    gatewayTokens: e.GATEWAY_TOKENS,
    adminToken: e.GATEWAY_ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    corsOrigins: e.CORS_ORIGINS,
    corsLoopback: e.CORS_ORIGINS.length === 0 && !production,
    sandbox: sandbox ? { port: e.SANDBOX_PORT } : undefined,
    port: e.PORT,
    host: e.HOST,
    production,
    // The sandbox is for exploring, so it keeps both on even with NODE_ENV=production.
    graphiql: e.GRAPHIQL ?? (!production || sandbox),
    introspection: e.INTROSPECTION ?? (!production || sandbox),
    federation: e.FEDERATION ?? false,
    limits: {
      cost: e.COST_LIMIT,
      depth: e.MAX_DEPTH,
      aliases: e.MAX_ALIASES,
      tokens: e.MAX_TOKENS,
      directives: e.MAX_DIRECTIVES,
      bodyBytes: e.MAX_BODY_BYTES,
    },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    schemaReloadIntervalSeconds: e.SCHEMA_RELOAD_INTERVAL_SECONDS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (!production && terminal.stdoutIsTTY ? 'pretty' : 'json'),
    logBufferBytes: e.LOG_BUFFER_BYTES,
    otel: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''), serviceName: e.OTEL_SERVICE_NAME }
      : undefined,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : undefined,
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, ttlPerType: e.CACHE_TTL_PER_TYPE },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    bulk: { budgetShare: e.BULK_BUDGET_SHARE, importMaxLineBytes: e.IMPORT_MAX_LINE_BYTES, importMaxLines: e.IMPORT_MAX_LINES },
    subscriptions: {
      minIntervalMs: e.SUBSCRIPTION_MIN_INTERVAL_MS,
      pollsPerMinute: e.SUBSCRIPTION_POLLS_PER_MINUTE,
      maxPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxPerCredential: e.MAX_SUBSCRIPTIONS_PER_CREDENTIAL,
      maxPollers: e.MAX_SUBSCRIPTION_POLLERS,
      pollerShare: e.SUBSCRIPTION_POLLER_SHARE,
      leaseMs: e.SUBSCRIPTION_LEASE_MS,
    },
    trustedDocuments: { file: e.TRUSTED_DOCUMENTS_FILE, only: e.TRUSTED_DOCUMENTS_ONLY ?? false },
    launchedByNpm: e.npm_lifecycle_event !== undefined,
    warnings: unknownVariableWarnings(env),
  };
}

/** Prefixes of the gateway's own variables: an unknown name that starts with one is probably a slip. */
const OWN_PREFIXES = [
  'CLARIFY_', 'GATEWAY_', 'CACHE_', 'REDIS_', 'MAX_', 'SUBSCRIPTION', 'TRUSTED_', 'METRICS_', 'LOG_', 'SANDBOX_',
  'SCHEMA_', 'RATE_LIMIT', 'SHUTDOWN_', 'REQUEST_', 'CORS_', 'COST_', 'GRAPHIQL', 'INTROSPECTION',
  'FEDERATION', 'BULK_', 'IMPORT_',
];
/** Most edits between a misspelt name and the variable it is taken for. */
const MAX_SUGGESTION_EDITS = 3;

/**
 * Unknown variables with one of the gateway's prefixes, which would otherwise be ignored without a
 * word (`CLARIFY_APIKEY` falls back to the sandbox), each with the closest known name.
 */
export function unknownVariableWarnings(env: Environment): string[] {
  const known = Object.keys(envSchema.shape).filter((name) => name === name.toUpperCase());
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (known.includes(name) || !OWN_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    // A name cut short (`CACHE_TTL`) means the variable it begins; otherwise the fewest edits.
    const completions = known.filter((candidate) => candidate.startsWith(name));
    const nearest = closest(name, completions.length > 0 ? completions : known);
    const likely = completions.length > 0 || distance(name, nearest) <= MAX_SUGGESTION_EDITS;
    warnings.push(`${name} is not a clarify-graphql variable and is ignored${likely ? `; did you mean ${nearest}?` : ''}`);
  }
  return warnings;
}

/** Checks that combine variables; they read the raw values so they run even when one is malformed. */
function crossFieldProblems(env: Environment): string[] {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const problems: string[] = [];
  const authMode = value('GATEWAY_AUTH_MODE') ?? 'server-key';
  const apiKey = value('CLARIFY_API_KEY');
  const urlWorkspace = splitClarifyUrl(value('CLARIFY_API_URL') ?? DEFAULTS.apiUrl)?.workspace;
  const workspace = value('CLARIFY_WORKSPACE') ?? urlWorkspace;
  if (urlWorkspace && value('CLARIFY_WORKSPACE') && value('CLARIFY_WORKSPACE') !== urlWorkspace) {
    problems.push(
      `CLARIFY_WORKSPACE: "${value('CLARIFY_WORKSPACE')}" differs from the workspace "${urlWorkspace}" in CLARIFY_API_URL; set one of them`,
    );
  }
  const host = value('HOST') ?? DEFAULTS.host;
  const tokens = (value('GATEWAY_TOKENS') ?? '').split(',').filter((t) => t.trim() !== '');
  if (authMode === 'pass-through') {
    if (apiKey) {
      problems.push(
        'CLARIFY_API_KEY: must not be set with GATEWAY_AUTH_MODE=pass-through (callers bring their own credential)',
      );
    }
    if (!workspace) {
      problems.push(
        'CLARIFY_WORKSPACE: required with GATEWAY_AUTH_MODE=pass-through (or end CLARIFY_API_URL in /workspaces/<slug>)',
      );
    }
  } else if (apiKey && !workspace) {
    problems.push('CLARIFY_WORKSPACE: required when CLARIFY_API_KEY is set (or end CLARIFY_API_URL in /workspaces/<slug>)');
  }
  if (authMode !== 'pass-through' && tokens.length === 0 && !isLoopbackHost(host)) {
    problems.push(
      `GATEWAY_TOKENS: required in server-key mode when HOST (${host}) is not a loopback address; ` +
        'without tokens anyone who can reach the port would act with the server key. ' +
        'Set GATEWAY_TOKENS, bind HOST=127.0.0.1, or use GATEWAY_AUTH_MODE=pass-through.',
    );
  }
  const metricsPort = value('METRICS_PORT');
  if (metricsPort !== undefined && metricsPort !== '0' && metricsPort === (value('PORT') ?? String(DEFAULTS.port))) {
    problems.push(`METRICS_PORT: must differ from PORT (${metricsPort}); it is a listener of its own on 127.0.0.1`);
  }
  if (['true', '1', 'yes', 'on'].includes(value('TRUSTED_DOCUMENTS_ONLY') ?? '') && !value('TRUSTED_DOCUMENTS_FILE') && !value('REDIS_URL')) {
    problems.push('TRUSTED_DOCUMENTS_ONLY: needs an allow-list: set TRUSTED_DOCUMENTS_FILE, or REDIS_URL with documents stored in Redis');
  }
  return problems;
}

/**
 * `npm start` and `npx clarify-graphql` read `./.env` (Node's `process.loadEnvFile`) for the
 * variables the environment does not set already. `node dist/cli/main.js` does not: under a
 * supervisor or in a container the environment is the configuration. Returns the file read.
 */
export function loadDotEnv(): string | undefined {
  if (!process.env['npm_lifecycle_event']) return undefined;
  const file = resolve('.env');
  if (!existsSync(file)) return undefined;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new ConfigError([`${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return file;
}

/** Parses `process.env`. The one place in the code base that reads it. */
export function loadConfig(): GatewayConfig {
  return parseConfig(process.env, { stdoutIsTTY: process.stdout.isTTY === true });
}
