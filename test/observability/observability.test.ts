import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { ClarifyError } from '../../src/client/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { createGateway } from '../../src/server/gateway.js';
import { maskError } from '../../src/server/mask-error.js';
import { startOtlpTracing } from '../../src/observability/tracing.js';
import { gatewayOver, graphql, silentLogger, startTestSandbox } from '../helpers/gateway.js';

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox?.close();
});

describe('tracing', () => {
  it('writes an operation span with one client span per upstream call under it', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const gateway = await gatewayOver(sandbox, { tracer: provider.getTracer('test') });
    try {
      const { body } = await graphql(gateway, 'query Nested { deals(first: 2) { nodes { name company { name } } } }');
      const cost = body.extensions?.['cost'] as { actualCalls: number };
      const spans = exporter.getFinishedSpans();
      const operation = spans.find((s) => s.name === 'graphql.query Nested');
      expect(operation?.attributes['clarify.upstream_calls']).toBe(cost.actualCalls);
      const upstream = spans.filter((s) => s.name.startsWith('clarify '));
      expect(upstream).toHaveLength(cost.actualCalls);
      for (const span of upstream) {
        expect(span.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
        expect(span.attributes['http.response.status_code']).toBe(200);
      }
    } finally {
      await gateway.close();
      await provider.shutdown();
    }
  });
});

describe('OTLP export', () => {
  it('sends spans to <endpoint>/v1/traces', async () => {
    const received: { path: string | undefined; bytes: number }[] = [];
    const collector = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        received.push({ path: req.url, bytes });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = collector.address() as AddressInfo;
      const tracing = await startOtlpTracing({ endpoint: `http://127.0.0.1:${port}`, serviceName: 'test' });
      tracing.tracer.startSpan('probe').end();
      await tracing.shutdown();
      expect(received).toHaveLength(1);
      expect(received[0]?.path).toBe('/v1/traces');
      expect(received[0]?.bytes).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});

describe('logs', () => {
  it('logs one line per operation and one debug line per upstream call, with the request id and no credential', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const gateway = await gatewayOver(sandbox, { logger });
    try {
      lines.length = 0;
      await graphql(gateway, '{ deals(first: 2) { nodes { name company { name } } } }', {
        headers: { 'x-request-id': 'trace-me-1' },
      });
      const mine = lines.filter((l) => l['requestId'] === 'trace-me-1');
      expect(mine.filter((l) => l['msg'] === 'graphql operation')).toHaveLength(1);
      expect(mine.filter((l) => l['msg'] === 'upstream call').length).toBeGreaterThan(0);
      expect(JSON.stringify(lines)).not.toContain(sandbox.apiKey);
    } finally {
      await gateway.close();
    }
  });
});

describe('maskError', () => {
  it('keeps deliberate errors and masks everything else without a stack or secret', () => {
    const coded = new GraphQLError('No such deal', { extensions: { code: 'NOT_FOUND' } });
    expect(maskError(coded, 'Unexpected error.')).toBe(coded);

    const wrapped = new GraphQLError('wrapper', { originalError: new Error('connect ECONNREFUSED https://x/?key=sandbox-key') });
    const masked = maskError(wrapped, 'Unexpected error.') as GraphQLError;
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(masked.toJSON())).not.toMatch(/sandbox-key|ECONNREFUSED|stack/);

    const upstream = new ClarifyError('GET https://api/v1?x failed', { code: 'RATE_LIMITED', route: 'GET /x' });
    const mapped = maskError(new GraphQLError(upstream.message, { originalError: upstream }), 'Unexpected error.') as GraphQLError;
    expect(mapped.extensions).toEqual({ code: 'RATE_LIMITED' });
    expect(mapped.message).not.toContain('https://');
  });
});

describe('pass-through with an unreachable upstream', () => {
  it('answers 503 UPSTREAM_UNAVAILABLE and /ready says not ready', async () => {
    const gateway = await createGateway({
      apiUrl: 'http://127.0.0.1:9/v1',
      workspace: 'demo',
      logger: silentLogger,
      processMetrics: false,
      client: { maxAttempts: 1 },
    });
    try {
      const { status, body } = await graphql(gateway, '{ __typename }', { headers: { authorization: 'api-key k' } });
      expect(status).toBe(503);
      expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
      const ready = await gateway.fetch('http://localhost/ready');
      expect(ready.status).toBe(503);
    } finally {
      await gateway.close();
    }
  });
});
