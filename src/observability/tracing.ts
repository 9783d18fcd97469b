import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { CallRecord } from '../client/types.js';

/**
 * OpenTelemetry tracing. The SDK and the OTLP exporter are loaded only when an endpoint is
 * configured; otherwise nothing is imported, started or connected.
 */

export interface TracingHandle {
  tracer: Tracer;
  shutdown(): Promise<void>;
}

/** Starts an OTLP/HTTP trace exporter sending to `${endpoint}/v1/traces`. */
export async function startOtlpTracing(options: { endpoint: string; serviceName: string }): Promise<TracingHandle> {
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer('clarify-graphql'),
    shutdown: () => provider.shutdown(),
  };
}

/** Starts the span of one GraphQL operation. */
export function startOperationSpan(
  tracer: Tracer,
  input: { type: string; name: string | undefined; requestId: string },
): Span {
  return tracer.startSpan(`graphql.${input.type}${input.name ? ` ${input.name}` : ''}`, {
    kind: SpanKind.SERVER,
    attributes: {
      'graphql.operation.type': input.type,
      ...(input.name ? { 'graphql.operation.name': input.name } : {}),
      'clarify.request_id': input.requestId,
    },
  });
}

export function endOperationSpan(span: Span, errorCodes: string[], upstreamCalls: number): void {
  span.setAttribute('clarify.upstream_calls', upstreamCalls);
  if (errorCodes.length > 0) {
    span.setAttribute('graphql.error_codes', errorCodes);
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes.join(',') });
  }
  span.end();
}

/**
 * Records a finished upstream call as a client span under the operation's span. The client
 * reports calls when they end, so the span is back-dated by the call's duration.
 */
export function recordUpstreamSpan(tracer: Tracer, parent: Span | undefined, record: CallRecord): void {
  const end = Date.now();
  const parentContext = parent ? trace.setSpan(ROOT_CONTEXT, parent) : undefined;
  const span = tracer.startSpan(
    `clarify ${record.route}`,
    {
      kind: SpanKind.CLIENT,
      startTime: end - record.durationMs,
      attributes: {
        'http.request.method': record.method,
        'http.route': record.route,
        'http.response.status_code': record.status,
        'clarify.attempts': record.attempts,
      },
    },
    parentContext,
  );
  if (record.status === 0 || record.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}
