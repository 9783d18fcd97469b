import { Counter, Gauge, type Registry } from 'prom-client';

/** What the bulk endpoints count, beside the operations each of their pages and batches runs. */
export interface BulkMetrics {
  started(endpoint: BulkEndpoint): void;
  finished(endpoint: BulkEndpoint, outcome: BulkOutcome): void;
  /** Lines written by an export, or input lines settled by an import (by result). */
  lines(endpoint: BulkEndpoint, result: string, count: number): void;
  /** Time spent waiting for the bulk share of the rate budget, or out a `RATE_LIMITED` refusal's `retryAfter`. */
  paced(endpoint: BulkEndpoint, seconds: number): void;
}

export type BulkEndpoint = 'export' | 'import';
/** `ok`: to the end; `failed`: ended by an error (in the last line); `refused`: before any line; `cancelled`: the caller went away. */
export type BulkOutcome = 'ok' | 'failed' | 'refused' | 'cancelled';

/** The bulk metrics, in the gateway's registry (`clarify_graphql_bulk_*`). */
export function createBulkMetrics(registry: Registry, prefix = 'clarify_graphql_'): BulkMetrics {
  const requests = new Counter({
    name: `${prefix}bulk_requests_total`,
    help: 'Bulk export and import requests, by endpoint and outcome.',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [registry],
  });
  const active = new Gauge({
    name: `${prefix}bulk_in_progress`,
    help: 'Bulk exports and imports running now.',
    labelNames: ['endpoint'] as const,
    registers: [registry],
  });
  const lines = new Counter({
    name: `${prefix}bulk_lines_total`,
    help: 'Records written by exports (result="exported") and input lines settled by imports (created, matched, failed).',
    labelNames: ['endpoint', 'result'] as const,
    registers: [registry],
  });
  const paced = new Counter({
    name: `${prefix}bulk_pacing_wait_seconds_total`,
    help: 'Time bulk work waited to stay within its share of the upstream rate budget, or out the Retry-After of a page or batch refused with RATE_LIMITED.',
    labelNames: ['endpoint'] as const,
    registers: [registry],
  });
  return {
    started(endpoint) {
      active.inc({ endpoint });
    },
    finished(endpoint, outcome) {
      active.dec({ endpoint });
      requests.inc({ endpoint, outcome });
    },
    lines(endpoint, result, count) {
      if (count > 0) lines.inc({ endpoint, result }, count);
    },
    paced(endpoint, seconds) {
      if (seconds > 0) paced.inc({ endpoint }, seconds);
    },
  };
}
