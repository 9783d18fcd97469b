import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopbackHost, parseConfig } from '../../src/config/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('defaults to the embedded sandbox on loopback with development defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      apiUrl: 'https://api.clarify.ai/v1',
      workspace: 'demo',
      authMode: 'server-key',
      sandbox: { port: 0 },
      corsLoopback: true,
      logFormat: 'json',
      logBufferBytes: 1048576,
      port: 4000,
      host: '127.0.0.1',
      graphiql: true,
      introspection: true,
      limits: { cost: 50, depth: 12, aliases: 15, tokens: 3000, directives: 20, bodyBytes: 102400 },
      schemaReloadIntervalSeconds: 300,
      otel: undefined,
    });
  });

  it('reads a server-key production configuration', () => {
    const config = parseConfig({
      CLARIFY_API_URL: 'https://clarify.example/v1/',
      CLARIFY_WORKSPACE: 'acme',
      CLARIFY_API_KEY: 'secret-key',
      GATEWAY_TOKENS: 'aaaaaaaaaaaaaaaa, read:bbbbbbbbbbbbbbbb, admin:cccccccccccccccc',
      HOST: '0.0.0.0',
      PORT: '8080',
      NODE_ENV: 'production',
      COST_LIMIT: '20',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
    });
    expect(config).toMatchObject({
      apiUrl: 'https://clarify.example/v1',
      workspace: 'acme',
      apiKey: 'secret-key',
      sandbox: undefined,
      gatewayTokens: [
        { token: 'aaaaaaaaaaaaaaaa', scope: 'write' },
        { token: 'bbbbbbbbbbbbbbbb', scope: 'read' },
        { token: 'cccccccccccccccc', scope: 'admin' },
      ],
      port: 8080,
      graphiql: false,
      introspection: false,
      limits: { cost: 20 },
      otel: { endpoint: 'http://collector:4318', serviceName: 'clarify-graphql' },
    });
  });

  it('keeps GraphiQL on with the sandbox, and lets production switch it back on', () => {
    expect(parseConfig({ NODE_ENV: 'production' }).graphiql).toBe(true);
    const production = { NODE_ENV: 'production', CLARIFY_API_KEY: 'k', CLARIFY_WORKSPACE: 'acme' };
    expect(parseConfig(production)).toMatchObject({ graphiql: false, introspection: false });
    const config = parseConfig({ ...production, GRAPHIQL: 'true', INTROSPECTION: '1' });
    expect(config.graphiql).toBe(true);
    expect(config.introspection).toBe(true);
  });

  it('reports every problem together', () => {
    const problems = problemsOf({
      CLARIFY_API_URL: 'not a url',
      CLARIFY_API_KEY: 'secret',
      PORT: 'eighty',
      MAX_DEPTH: '0',
      GRAPHIQL: 'maybe',
      LOG_LEVEL: 'loud',
      GATEWAY_TOKENS: 'short',
      HOST: '0.0.0.0',
    });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'CLARIFY_API_URL',
        'PORT',
        'MAX_DEPTH',
        'GRAPHIQL',
        'LOG_LEVEL',
        'GATEWAY_TOKENS',
        'CLARIFY_WORKSPACE',
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(7);
  });

  it('refuses a server key without tokens on a non-loopback host', () => {
    const problems = problemsOf({ CLARIFY_API_KEY: 'k', CLARIFY_WORKSPACE: 'acme', HOST: '0.0.0.0' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/GATEWAY_TOKENS: required in server-key mode when HOST \(0\.0\.0\.0\)/);
  });

  it('accepts a server key without tokens on loopback', () => {
    expect(parseConfig({ CLARIFY_API_KEY: 'k', CLARIFY_WORKSPACE: 'acme', HOST: '::1' }).gatewayTokens).toEqual([]);
  });

  it('checks pass-through mode', () => {
    expect(problemsOf({ GATEWAY_AUTH_MODE: 'pass-through', CLARIFY_API_KEY: 'k' })).toEqual([
      expect.stringMatching(/^CLARIFY_API_KEY: must not be set/),
      expect.stringMatching(/^CLARIFY_WORKSPACE: required/),
    ]);
    const config = parseConfig({ GATEWAY_AUTH_MODE: 'pass-through', CLARIFY_WORKSPACE: 'acme', HOST: '0.0.0.0' });
    expect(config).toMatchObject({ authMode: 'pass-through', sandbox: undefined, workspace: 'acme' });
  });

  it('reads CORS origins', () => {
    expect(parseConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:3000' }).corsOrigins).toEqual([
      'https://a.example',
      'http://localhost:3000',
    ]);
    expect(parseConfig({}).corsOrigins).toEqual([]);
    expect(problemsOf({ CORS_ORIGINS: 'a.example/path' })[0]).toMatch(/^CORS_ORIGINS/);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', 'example.com'].some(isLoopbackHost)).toBe(false);
  });

  it('keeps shared state in the process by default and reads the Redis settings', () => {
    expect(parseConfig({})).toMatchObject({
      redis: undefined,
      cache: { ttlSeconds: 0, ttlPerType: {} },
      rateLimitPerMinute: 3000,
      trustedDocuments: { file: undefined, only: false },
    });
    const config = parseConfig({
      REDIS_URL: 'rediss://user:secret@cache.internal:6380/2',
      REDIS_KEY_PREFIX: 'tenant-a:',
      CACHE_TTL_SECONDS: '30',
      CACHE_TTL_PER_TYPE: 'Person=60, Deal=0',
      RATE_LIMIT_PER_MINUTE: '600',
      TRUSTED_DOCUMENTS_FILE: 'persisted-documents.json',
      TRUSTED_DOCUMENTS_ONLY: 'true',
    });
    expect(config).toMatchObject({
      redis: { url: 'rediss://user:secret@cache.internal:6380/2', keyPrefix: 'tenant-a:' },
      cache: { ttlSeconds: 30, ttlPerType: { Person: 60, Deal: 0 } },
      rateLimitPerMinute: 600,
      trustedDocuments: { file: 'persisted-documents.json', only: true },
    });
    expect(parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis?.keyPrefix).toBe('clarify-graphql:');
  });

  it('reports bad Redis, cache and trusted-document settings together', () => {
    const problems = problemsOf({
      REDIS_URL: 'http://cache:6379',
      REDIS_KEY_PREFIX: 'has space',
      CACHE_TTL_SECONDS: '-1',
      CACHE_TTL_PER_TYPE: 'Person:60',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^REDIS_URL: expected redis:\/\/host:port/),
      expect.stringMatching(/^REDIS_KEY_PREFIX/),
      expect.stringMatching(/^CACHE_TTL_SECONDS/),
      expect.stringMatching(/^CACHE_TTL_PER_TYPE: expected Type=seconds pairs/),
    ]);
    expect(problemsOf({ TRUSTED_DOCUMENTS_ONLY: 'true' })).toEqual([
      expect.stringMatching(/^TRUSTED_DOCUMENTS_ONLY: needs an allow-list/),
    ]);
  });

  it('takes the workspace from a CLARIFY_API_URL that ends in /workspaces/{slug}, as the sandbox prints it', () => {
    const config = parseConfig({ CLARIFY_API_URL: 'http://127.0.0.1:4010/v1/workspaces/demo', CLARIFY_API_KEY: 'sandbox-key' });
    expect(config).toMatchObject({ apiUrl: 'http://127.0.0.1:4010/v1', workspace: 'demo' });
    expect(parseConfig({ CLARIFY_API_URL: 'https://x.example/v1/workspaces/acme/', GATEWAY_AUTH_MODE: 'pass-through' }))
      .toMatchObject({ apiUrl: 'https://x.example/v1', workspace: 'acme' });
    expect(parseConfig({ CLARIFY_API_URL: 'https://x.example/v1/workspaces/acme', CLARIFY_WORKSPACE: 'acme', CLARIFY_API_KEY: 'k' }).workspace).toBe('acme');
    expect(problemsOf({ CLARIFY_API_URL: 'https://x.example/v1/workspaces/acme', CLARIFY_WORKSPACE: 'other', CLARIFY_API_KEY: 'k' })).toEqual([
      expect.stringMatching(/^CLARIFY_WORKSPACE: "other" differs from the workspace "acme" in CLARIFY_API_URL/),
    ]);
  });

  it('reports a bad URL once, and a bad boolean with the words it accepts', () => {
    for (const bad of ['not a url', 'ftp://x.example/v1', 'api.clarify.ai/v1']) {
      expect(problemsOf({ CLARIFY_API_URL: bad })).toEqual([expect.stringMatching(/^CLARIFY_API_URL: expected an absolute http\(s\) URL/)]);
    }
    expect(problemsOf({ GRAPHIQL: 'maybe' })).toEqual(['GRAPHIQL: expected true/false, 1/0, yes/no or on/off']);
    expect(parseConfig({ GRAPHIQL: 'OFF', INTROSPECTION: ' Yes ' })).toMatchObject({ graphiql: false, introspection: true });
  });

  it('allows loopback browser origins in development only, and not once CORS_ORIGINS is set', () => {
    expect(parseConfig({}).corsLoopback).toBe(true);
    expect(parseConfig({ NODE_ENV: 'production' }).corsLoopback).toBe(false);
    expect(parseConfig({ CORS_ORIGINS: 'https://app.example.com' })).toMatchObject({
      corsLoopback: false,
      corsOrigins: ['https://app.example.com'],
    });
  });

  it('logs pretty on a terminal in development, JSON otherwise or when LOG_FORMAT says so', () => {
    expect(parseConfig({}, { stdoutIsTTY: true }).logFormat).toBe('pretty');
    expect(parseConfig({}, { stdoutIsTTY: false }).logFormat).toBe('json');
    expect(parseConfig({ NODE_ENV: 'production' }, { stdoutIsTTY: true }).logFormat).toBe('json');
    expect(parseConfig({ LOG_FORMAT: 'json' }, { stdoutIsTTY: true }).logFormat).toBe('json');
    expect(parseConfig({ SANDBOX_PORT: '4010' }).sandbox).toEqual({ port: 4010 });
  });

  it('reads METRICS_TOKEN and METRICS_PORT, and reports a short token, a bad port and METRICS_PORT equal to PORT together', () => {
    expect(parseConfig({})).toMatchObject({ metricsToken: undefined, metricsPort: undefined });
    expect(parseConfig({ METRICS_TOKEN: 'scraper-token-0123456789', METRICS_PORT: '9464' })).toMatchObject({
      metricsToken: 'scraper-token-0123456789',
      metricsPort: 9464,
    });
    const problems = problemsOf({ METRICS_TOKEN: 'short', METRICS_PORT: 'ninety', PORT: '4000' });
    expect(problems.some((p) => p.startsWith('METRICS_TOKEN: must be at least 16'))).toBe(true);
    expect(problems.some((p) => p.startsWith('METRICS_PORT: expected a whole number'))).toBe(true);
    expect(problemsOf({ METRICS_PORT: '4000' })).toEqual([expect.stringMatching(/^METRICS_PORT: must differ from PORT/)]);
    expect(problemsOf({ LOG_BUFFER_BYTES: '10' })).toEqual([expect.stringMatching(/^LOG_BUFFER_BYTES: /)]);
  });

  it('warns about unknown variables that look like its own, with the closest known name', () => {
    const config = parseConfig({ CLARIFY_APIKEY: 'key', CACHE_TTL: '60', REDIS_HOSTNAME: 'x', HOME: '/root', OTEL_TRACES_SAMPLER: 'always_on', PORT: '4000' });
    expect(config.warnings).toEqual([
      'CACHE_TTL is not a clarify-graphql variable and is ignored; did you mean CACHE_TTL_SECONDS?',
      'CLARIFY_APIKEY is not a clarify-graphql variable and is ignored; did you mean CLARIFY_API_KEY?',
      'REDIS_HOSTNAME is not a clarify-graphql variable and is ignored',
    ]);
    // CLARIFY_APIKEY is not the key: without CLARIFY_API_KEY the sandbox serves, and the warning says why.
    expect(config.sandbox).toBeDefined();
    expect(parseConfig({ CLARIFY_API_URL: 'https://x.example/v1', GATEWAY_TOKENS: 'aaaaaaaaaaaaaaaa' }).warnings).toEqual([]);
  });

  it('refuses a scoped token too short after its scope, and a token given two scopes', () => {
    expect(problemsOf({ GATEWAY_TOKENS: 'admin:short-one' })).toEqual([expect.stringMatching(/^GATEWAY_TOKENS: every token must be at least 16 characters/)]);
    expect(problemsOf({ GATEWAY_TOKENS: 'read:aaaaaaaaaaaaaaaa,admin:aaaaaaaaaaaaaaaa' })).toEqual([expect.stringMatching(/^GATEWAY_TOKENS: a token appears twice/)]);
  });

  it('reads SUBSCRIPTION_LEASE_MS, 10 s by default, and refuses a lease too short to renew', () => {
    expect(parseConfig({}).subscriptions.leaseMs).toBe(10_000);
    expect(parseConfig({ SUBSCRIPTION_LEASE_MS: '2500' }).subscriptions.leaseMs).toBe(2500);
    expect(problemsOf({ SUBSCRIPTION_LEASE_MS: '100' })).toEqual([expect.stringMatching(/^SUBSCRIPTION_LEASE_MS: /)]);
  });

  it('reads SUBSCRIPTION_POLLER_SHARE, 20 percent by default, and refuses a share outside 1 to 100', () => {
    expect(parseConfig({}).subscriptions.pollerShare).toBe(20);
    expect(parseConfig({ SUBSCRIPTION_POLLER_SHARE: '50' }).subscriptions.pollerShare).toBe(50);
    for (const bad of ['0', '101', '12.5', 'half']) {
      expect(problemsOf({ SUBSCRIPTION_POLLER_SHARE: bad })).toEqual([expect.stringMatching(/^SUBSCRIPTION_POLLER_SHARE: /)]);
    }
  });
});

describe('bulk settings', () => {
  it('default to half the rate budget, 64 KiB lines and 100,000 lines an import', () => {
    expect(parseConfig({}).bulk).toEqual({ budgetShare: 50, importMaxLineBytes: 65_536, importMaxLines: 100_000 });
    expect(parseConfig({ BULK_BUDGET_SHARE: '20', IMPORT_MAX_LINE_BYTES: '4096', IMPORT_MAX_LINES: '500' }).bulk).toEqual({
      budgetShare: 20,
      importMaxLineBytes: 4_096,
      importMaxLines: 500,
    });
  });

  it('reports every bad value together', () => {
    expect(problemsOf({ BULK_BUDGET_SHARE: '0', IMPORT_MAX_LINE_BYTES: '10', IMPORT_MAX_LINES: 'many' })).toEqual([
      expect.stringMatching(/^BULK_BUDGET_SHARE/),
      expect.stringMatching(/^IMPORT_MAX_LINE_BYTES/),
      expect.stringMatching(/^IMPORT_MAX_LINES/),
    ]);
  });
});
