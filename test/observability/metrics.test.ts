import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';

/** The value of one series in the Prometheus text, or undefined when it is absent. */
async function series(metrics: ReturnType<typeof createMetrics>, line: string): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('per-request counters', () => {
  it('count every increment once, across scrapes and label sets', async () => {
    const metrics = createMetrics({ processMetrics: false });
    expect(await series(metrics, 'clarify_graphql_operations_total{type="query",outcome="ok"}')).toBeUndefined();
    for (let i = 0; i < 3; i++) metrics.operation('query', 'ok', 0.01);
    metrics.operation('query', 'error', 0.02);
    metrics.operation('mutation', 'ok', 0.03);
    const call = { method: 'GET', route: 'GET /objects/:object/resources', status: 200, durationMs: 4, attempts: 2 } as const;
    metrics.upstreamCall(call);
    metrics.upstreamCall({ ...call, status: 429, attempts: 1 });
    metrics.operationPlan('miss');
    metrics.operationPlan('hit');
    metrics.operationPlan('hit');
    metrics.compiledExecution('hit');
    expect(await series(metrics, 'clarify_graphql_operations_total{type="query",outcome="ok"}')).toBe(3);
    expect(await series(metrics, 'clarify_graphql_operations_total{type="query",outcome="error"}')).toBe(1);
    expect(await series(metrics, 'clarify_graphql_operations_total{type="mutation",outcome="ok"}')).toBe(1);
    expect(await series(metrics, 'clarify_graphql_operation_duration_seconds_count{type="query"}')).toBe(4);
    expect(await series(metrics, 'clarify_graphql_upstream_calls_total{route="GET /objects/:object/resources",status="200"}')).toBe(1);
    expect(await series(metrics, 'clarify_graphql_upstream_calls_total{route="GET /objects/:object/resources",status="429"}')).toBe(1);
    expect(await series(metrics, 'clarify_graphql_upstream_retries_total{route="GET /objects/:object/resources"}')).toBe(1);
    expect(await series(metrics, 'clarify_graphql_operation_plans_total{cache="hit"}')).toBe(2);
    expect(await series(metrics, 'clarify_graphql_compiled_executions_total{cache="hit"}')).toBe(1);

    // A second scrape adds only what happened since the first.
    expect(await series(metrics, 'clarify_graphql_operations_total{type="query",outcome="ok"}')).toBe(3);
    metrics.operation('query', 'ok', 0.01);
    metrics.operationPlan('hit');
    expect(await series(metrics, 'clarify_graphql_operations_total{type="query",outcome="ok"}')).toBe(4);
    expect(await series(metrics, 'clarify_graphql_operation_plans_total{cache="hit"}')).toBe(3);
    const plans = await metrics.registry.getSingleMetric('clarify_graphql_operation_plans_total')?.get();
    expect(plans?.values.find((v) => v.labels['cache'] === 'miss')?.value).toBe(1);
  });
});
