import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallRecord } from '../client/types.js';

/** Why an operation ran on graphql-js instead of compiled code (the `reason` label). */
export type StandardReason = 'subscription' | 'incremental' | 'variables' | 'selection' | 'refused';
/** What became of an automatic persisted query registration (the `outcome` label). */
export type ApqOutcome = 'registered' | 'unauthenticated' | 'invalid' | 'too-large';

/**
 * Prometheus metrics of one gateway, in a registry of its own so several gateways (or a host
 * application's own metrics) never collide.
 */
export interface GatewayMetrics {
  registry: Registry;
  operation(type: string, outcome: 'ok' | 'error', durationSeconds: number): void;
  error(code: string): void;
  upstreamCall(record: CallRecord): void;
  rateLimitWait(seconds: number): void;
  schemaReload(outcome: 'changed' | 'unchanged' | 'failed'): void;
  responseCache(outcome: 'hit' | 'miss'): void;
  /** A shared-state operation that Redis could not serve and the local equivalent did. */
  redisFallback(component: 'cache' | 'rate-budget' | 'documents' | 'write-lock'): void;
  redisUp(up: boolean): void;
  /** A document sent with its hash: registered as an automatic persisted query, or why not. */
  apqRegistration(outcome: ApqOutcome): void;
  /** An operation's plan was taken from the plan cache (`hit`) or made (`miss`). */
  operationPlan(cache: 'hit' | 'miss'): void;
  /** A (schema, document, operation) compiled for execution, or found compiled. */
  compiledExecution(cache: 'hit' | 'miss'): void;
  /** An operation run on the standard executor, and why (see `standardExecutionReason`). */
  standardExecution(reason: StandardReason): void;
  /** One poll of a subscription feed, by object and outcome (`ok`, `backoff`, `failed`). */
  subscriptionPoll(object: string, outcome: string): void;
  /** Reads the subscription figures (feeds, subscribers, polls per minute) at every scrape. */
  observeSubscriptions(stats: () => { feeds: number; subscribers: number; pollsPerMinute: number }): void;
  /** Reads the number of log lines dropped so far (a full log buffer) at every scrape. */
  observeLogDrops(dropped: () => number): void;
  /** Reads what the parsed-document cache holds at every scrape. */
  observeDocumentCache(stats: () => { documents: number; errors: number; characters: number }): void;
}

export interface MetricsOptions {
  /** Also collect Node process metrics (CPU, memory, event loop). Default true. */
  processMetrics?: boolean;
  prefix?: string;
}

/**
 * Counts of a counter kept as plain numbers per label set and handed to prom-client at each
 * scrape (`flush` from the counter's `collect`), so a request adds to a number instead of
 * building and hashing a label object for prom-client.
 */
class Tally<L extends string> {
  private readonly counts = new Map<string, { labels: Record<L, string>; value: number }>();

  add(key: string, labels: () => Record<L, string>, value = 1): void {
    const entry = this.counts.get(key);
    if (entry) entry.value += value;
    else this.counts.set(key, { labels: labels(), value });
  }

  flush(counter: Counter<L>): void {
    for (const entry of this.counts.values()) {
      if (entry.value === 0) continue;
      counter.inc(entry.labels, entry.value);
      entry.value = 0;
    }
  }
}

/** One label object per label value, made once, for histograms. */
function labelsBy<L extends string>(name: L): (value: string) => Record<L, string> {
  const made = new Map<string, Record<L, string>>();
  return (value) => {
    let labels = made.get(value);
    if (!labels) {
      labels = { [name]: value } as Record<L, string>;
      made.set(value, labels);
    }
    return labels;
  };
}

/** Where a group of metrics registers, and the prefix of their names. */
interface MetricSite {
  registry: Registry;
  prefix: string;
}

export function createMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  const prefix = options.prefix ?? 'clarify_graphql_';
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });
  const site: MetricSite = { registry, prefix };
  return {
    registry,
    ...operationMetrics(site),
    ...upstreamMetrics(site),
    ...sharedStateMetrics(site),
    ...executionMetrics(site),
    ...subscriptionMetrics(site),
    ...internalMetrics(site),
  };
}

/** Operations answered, how long they took, and the error codes sent. */
function operationMetrics({ registry, prefix }: MetricSite): Pick<GatewayMetrics, 'operation' | 'error' | 'schemaReload'> {
  const operationTally = new Tally<'type' | 'outcome'>();
  new Counter({
    name: `${prefix}operations_total`,
    help: 'GraphQL operations handled, by operation type and outcome.',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
    collect() {
      operationTally.flush(this);
    },
  });
  const typeLabels = labelsBy('type');
  const operationDuration = new Histogram({
    name: `${prefix}operation_duration_seconds`,
    help: 'Time to answer a GraphQL operation.',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const errors = new Counter({
    name: `${prefix}errors_total`,
    help: 'GraphQL errors sent, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const schemaReloads = new Counter({
    name: `${prefix}schema_reloads_total`,
    help: 'Workspace schema reloads, by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return {
    operation(type, outcome, durationSeconds) {
      operationTally.add(`${type}\u0000${outcome}`, () => ({ type, outcome }));
      operationDuration.observe(typeLabels(type), durationSeconds);
    },
    error(code) {
      errors.inc({ code });
    },
    schemaReload(outcome) {
      schemaReloads.inc({ outcome });
    },
  };
}

/** Calls to Clarify: by route and status, their duration and retries, and waits for its rate limit. */
function upstreamMetrics({ registry, prefix }: MetricSite): Pick<GatewayMetrics, 'upstreamCall' | 'rateLimitWait'> {
  const upstreamTally = new Tally<'route' | 'status'>();
  new Counter({
    name: `${prefix}upstream_calls_total`,
    help: 'Calls made to the Clarify API, by route template and final HTTP status (0: no response).',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
    collect() {
      upstreamTally.flush(this);
    },
  });
  const routeLabels = labelsBy('route');
  const upstreamDuration = new Histogram({
    name: `${prefix}upstream_call_duration_seconds`,
    help: 'Duration of Clarify API calls including retries, by route template.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const upstreamRetries = new Counter({
    name: `${prefix}upstream_retries_total`,
    help: 'Extra attempts made by the Clarify client, by route template.',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const rateLimitWaits = new Counter({
    name: `${prefix}rate_limit_waits_total`,
    help: 'Times the Clarify client waited because of a rate limit.',
    registers: [registry],
  });
  const rateLimitWaitSeconds = new Counter({
    name: `${prefix}rate_limit_wait_seconds_total`,
    help: 'Total time the Clarify client spent waiting for rate limits.',
    registers: [registry],
  });
  return {
    upstreamCall(record) {
      const { route, status } = record;
      upstreamTally.add(`${route}\u0000${status}`, () => ({ route, status: String(status) }));
      upstreamDuration.observe(routeLabels(route), record.durationMs / 1000);
      if (record.attempts > 1) upstreamRetries.inc(routeLabels(route), record.attempts - 1);
    },
    rateLimitWait(seconds) {
      rateLimitWaits.inc();
      rateLimitWaitSeconds.inc(seconds);
    },
  };
}

/** The response cache, Redis's state and what its absence cost, and persisted query registrations. */
function sharedStateMetrics({ registry, prefix }: MetricSite): Pick<GatewayMetrics, 'responseCache' | 'redisFallback' | 'redisUp' | 'apqRegistration'> {
  const responseCache = new Counter({
    name: `${prefix}response_cache_total`,
    help: 'Response cache lookups of queries, by result (hit or miss).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const redisFallbacks = new Counter({
    name: `${prefix}redis_fallbacks_total`,
    help: 'Operations served by a local equivalent (cache, rate budget, documents, write lock) because Redis was unavailable, by component.',
    labelNames: ['component'] as const,
    registers: [registry],
  });
  const apqRegistrations = new Counter({
    name: `${prefix}apq_registrations_total`,
    help: 'Documents sent with their hash for automatic persisted queries, by outcome: registered, or refused (unauthenticated, invalid, too-large).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const redisUpName = `${prefix}redis_up`;
  // Registered on the first report: absent without REDIS_URL.
  const redisUp = new Gauge({
    name: redisUpName,
    help: '1 while the shared Redis is connected, 0 while the gateway runs on local state; absent without REDIS_URL.',
    registers: [],
  });
  return {
    responseCache(outcome) {
      responseCache.inc({ result: outcome });
    },
    redisFallback(component) {
      redisFallbacks.inc({ component });
    },
    apqRegistration(outcome) {
      apqRegistrations.inc({ outcome });
    },
    redisUp(up) {
      if (!registry.getSingleMetric(redisUpName)) registry.registerMetric(redisUp);
      redisUp.set(up ? 1 : 0);
    },
  };
}

/** How operations were planned and executed: the plan cache, compiled code or graphql-js and why. */
function executionMetrics({ registry, prefix }: MetricSite): Pick<GatewayMetrics, 'operationPlan' | 'compiledExecution' | 'standardExecution'> {
  const planTally = new Tally<'cache'>();
  new Counter({
    name: `${prefix}operation_plans_total`,
    help: 'Operation plans, by whether the plan cache had them (hit) or the operation was planned (miss).',
    labelNames: ['cache'] as const,
    registers: [registry],
    collect() {
      planTally.flush(this);
    },
  });
  const standardTally = new Tally<'reason'>();
  new Counter({
    name: `${prefix}standard_executions_total`,
    help: 'Executions on the standard executor, by why they were not compiled (subscription, incremental, variables, refused).',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      standardTally.flush(this);
    },
  });
  const compiledTally = new Tally<'cache'>();
  new Counter({
    name: `${prefix}compiled_executions_total`,
    help: 'Executions of compiled operations, by whether the operation was compiled already (hit) or compiled now (miss).',
    labelNames: ['cache'] as const,
    registers: [registry],
    collect() {
      compiledTally.flush(this);
    },
  });
  return {
    operationPlan(cache) {
      planTally.add(cache, () => ({ cache }));
    },
    compiledExecution(cache) {
      compiledTally.add(cache, () => ({ cache }));
    },
    standardExecution(reason) {
      standardTally.add(reason, () => ({ reason }));
    },
  };
}

/** Subscription polls, and the feeds, subscribers and poll rate read at each scrape. */
function subscriptionMetrics({ registry, prefix }: MetricSite): Pick<GatewayMetrics, 'subscriptionPoll' | 'observeSubscriptions'> {
  const subscriptionPolls = new Counter({
    name: `${prefix}subscription_polls_total`,
    help: 'Polls made for subscriptions, by object and outcome (ok, backoff after 429/5xx, failed).',
    labelNames: ['object', 'outcome'] as const,
    registers: [registry],
  });
  let subscriptionStats: () => { feeds: number; subscribers: number; pollsPerMinute: number } = () => ({ feeds: 0, subscribers: 0, pollsPerMinute: 0 });
  new Gauge({
    name: `${prefix}subscription_feeds`,
    help: 'Distinct subscription feeds (credential, object, filter) with subscribers in this process.',
    registers: [registry],
    collect() {
      this.set(subscriptionStats().feeds);
    },
  });
  new Gauge({
    name: `${prefix}subscriptions_active`,
    help: 'Active subscriptions in this process.',
    registers: [registry],
    collect() {
      this.set(subscriptionStats().subscribers);
    },
  });
  new Gauge({
    name: `${prefix}subscription_polls_per_minute`,
    help: 'Upstream polls per minute the subscription pollers of this process spend at their current intervals.',
    registers: [registry],
    collect() {
      this.set(subscriptionStats().pollsPerMinute);
    },
  });
  return {
    subscriptionPoll(object, outcome) {
      subscriptionPolls.inc({ object, outcome });
    },
    observeSubscriptions(stats) {
      subscriptionStats = stats;
    },
  };
}

/** The gateway's own buffers: log lines dropped and the parsed-document cache, read at each scrape. */
function internalMetrics({ registry, prefix }: MetricSite): Pick<GatewayMetrics, 'observeLogDrops' | 'observeDocumentCache'> {
  let logDrops: () => number = () => 0;
  let logDropsCounted = 0;
  new Counter({
    name: `${prefix}log_lines_dropped_total`,
    help: 'Log lines dropped because stdout was not read fast enough (the log buffer was full).',
    registers: [registry],
    collect() {
      const dropped = logDrops();
      if (dropped > logDropsCounted) this.inc(dropped - logDropsCounted);
      logDropsCounted = Math.max(logDropsCounted, dropped);
    },
  });
  let documentCache: () => { documents: number; errors: number; characters: number } = () => ({ documents: 0, errors: 0, characters: 0 });
  new Gauge({
    name: `${prefix}document_cache_entries`,
    help: 'Parsed documents (kind="document") and parse errors (kind="error") held by the document cache.',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const stats = documentCache();
      this.set({ kind: 'document' }, stats.documents);
      this.set({ kind: 'error' }, stats.errors);
    },
  });
  new Gauge({
    name: `${prefix}document_cache_characters`,
    help: 'Characters of document text held by the document cache (bounded).',
    registers: [registry],
    collect() {
      this.set(documentCache().characters);
    },
  });
  return {
    observeLogDrops(dropped) {
      logDrops = dropped;
    },
    observeDocumentCache(stats) {
      documentCache = stats;
    },
  };
}
