import { randomUUID } from 'node:crypto';
import type { Span, Tracer } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { ObservedCallLog } from '../../observability/observed-call-log.js';
import { endOperationSpan, startOperationSpan } from '../../observability/tracing.js';
import { servedFromCache } from './use-response-cache.js';

/**
 * Gives every HTTP request an id (the caller's `x-request-id` when it is sane, echoed in the
 * response), and for every GraphQL operation writes one log line, counts it and its error codes
 * in the metrics, and wraps it in an OpenTelemetry span when tracing is on.
 */
export interface OperationObserver {
  plugin: Plugin;
  requestIdOf(request: Request): string;
}

interface OperationState {
  started: number;
  type: string;
  name: string | undefined;
  span?: Span;
  calls?: { count: number };
}

function requestIdFrom(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

function codesOf(errors: readonly GraphQLError[] | undefined): string[] {
  return (errors ?? []).map((error) => {
    const code = error.extensions?.['code'];
    return typeof code === 'string' ? code : 'UNKNOWN';
  });
}

export function createOperationObserver(options: {
  logger: Logger;
  metrics: GatewayMetrics;
  tracer?: Tracer;
}): OperationObserver {
  const ids = new WeakMap<Request, string>();
  const operations = new WeakMap<Request, OperationState>();
  const requestIdOf = (request: Request) => {
    let id = ids.get(request);
    if (!id) {
      id = requestIdFrom(request);
      ids.set(request, id);
    }
    return id;
  };

  /** An operation starts: a query or mutation executes, or a subscription subscribes. */
  const begin = ({ args }: { args: { contextValue: unknown; document: DocumentNode; operationName?: string | null } }) => {
    const context = args.contextValue as { request?: Request; calls?: unknown };
    const request = context.request;
    if (!request) return;
    const operation = getOperationAST(args.document, args.operationName);
    const state: OperationState = {
      started: performance.now(),
      type: operation?.operation ?? 'unknown',
      name: operation?.name?.value ?? args.operationName ?? undefined,
    };
    if (context.calls instanceof ObservedCallLog) {
      state.calls = context.calls;
      if (options.tracer) {
        state.span = startOperationSpan(options.tracer, {
          type: state.type,
          name: state.name,
          requestId: requestIdOf(request),
        });
        context.calls.operationSpan = state.span;
      }
    }
    operations.set(request, state);
  };

  const plugin: Plugin = {
    onRequest({ request }) {
      requestIdOf(request);
    },
    onExecute: begin,
    onSubscribe: begin,
    onResultProcess({ request, result }) {
      const results = Array.isArray(result) ? result : [result];
      // A cache hit is found in the execute phase, after this plugin noted its operation.
      const cached = results.some(servedFromCache);
      const state = operations.get(request);
      // @defer/@stream: the answer comes in parts (a subscription's stream is its nature, not a choice).
      const incremental = state?.type !== 'subscription' && results.some((single) => typeof single === 'object' && single !== null && Symbol.asyncIterator in single);
      const errors: string[] = [];
      for (const single of results) {
        if (!single || Symbol.asyncIterator in single) continue;
        errors.push(...codesOf(single.errors));
      }
      for (const code of errors) options.metrics.error(code);
      const durationMs = state === undefined ? undefined : performance.now() - state.started;
      const type = state?.type ?? 'rejected';
      options.metrics.operation(type, errors.length > 0 ? 'error' : 'ok', (durationMs ?? 0) / 1000);
      const upstreamCalls = state?.calls?.count ?? 0;
      if (state?.span) endOperationSpan(state.span, errors, upstreamCalls);
      options.logger.info(
        {
          requestId: requestIdOf(request),
          operation: state?.name,
          type,
          durationMs: durationMs === undefined ? undefined : Math.round(durationMs),
          upstreamCalls,
          ...(cached ? { cached } : {}),
          ...(incremental ? { incremental } : {}),
          ...(errors.length > 0 ? { errors } : {}),
        },
        'graphql operation',
      );
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) {
        try {
          response.headers.set('x-request-id', id);
        } catch {
          // Some responses have immutable headers; the id is in the logs either way.
        }
      }
    },
  };
  return { plugin, requestIdOf };
}
