import { randomUUID } from 'node:crypto';
import type { Span, Tracer } from '@opentelemetry/api';
import { getOperationAST, parse, type DocumentNode, type GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import { ObservedCallLog } from './observed-call-log.js';
import { endOperationSpan, startOperationSpan } from './tracing.js';

/**
 * Gives every HTTP request an id (the caller's `x-request-id` when it is sane, echoed in the
 * response), and for every GraphQL operation writes one log line, counts it and its error codes
 * in the metrics, and wraps it in an OpenTelemetry span when tracing is on.
 */
export interface OperationObserver {
  plugin: Plugin;
  /**
   * Notes each request's final GraphQL parameters (after persisted documents are resolved), so an
   * answer that skipped execution (a response cache hit) is still logged with its operation. Goes
   * after every plugin that sets the parameters.
   */
  paramsPlugin: Plugin;
  requestIdOf(request: Request): string;
}

/** Marks a result the response cache served (set by `@graphql-yoga/plugin-response-cache`). */
const SERVED_FROM_CACHE = Symbol.for('servedFromResponseCache');

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

/** The operation a request's parameters name, from an already parsed document when there is one. */
function operationOf(params: GraphQLParams, parsed: (text: string) => DocumentNode | undefined): { type: string; name: string | undefined } | undefined {
  if (!params.query) return undefined;
  let document = parsed(params.query);
  if (!document) {
    try {
      document = parse(params.query, { noLocation: true });
    } catch {
      return undefined;
    }
  }
  const operation = getOperationAST(document, params.operationName);
  return operation ? { type: operation.operation, name: operation.name?.value ?? params.operationName ?? undefined } : undefined;
}

export function createOperationObserver(options: {
  logger: Logger;
  metrics: GatewayMetrics;
  tracer?: Tracer;
  /** Documents already parsed, by their text (Yoga's document cache). */
  parsedDocument?: (text: string) => DocumentNode | undefined;
}): OperationObserver {
  const ids = new WeakMap<Request, string>();
  const operations = new WeakMap<Request, OperationState>();
  const params = new WeakMap<Request, GraphQLParams>();
  const arrived = new WeakMap<Request, number>();
  const parsed = options.parsedDocument ?? (() => undefined);
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
      arrived.set(request, performance.now());
    },
    onExecute: begin,
    onSubscribe: begin,
    onResultProcess({ request, result }) {
      const results = Array.isArray(result) ? result : [result];
      const cached = results.some((single) => typeof single === 'object' && single !== null && SERVED_FROM_CACHE in single);
      const requested = params.get(request);
      // A cached answer never executed: its operation comes from the request's document.
      const state: Pick<OperationState, 'type' | 'name'> & Partial<OperationState> | undefined =
        operations.get(request) ?? (cached && requested ? operationOf(requested, parsed) : undefined);
      // @defer/@stream: the answer comes in parts (a subscription's stream is its nature, not a choice).
      const incremental = state?.type !== 'subscription' && results.some((single) => typeof single === 'object' && single !== null && Symbol.asyncIterator in single);
      const errors: string[] = [];
      for (const single of results) {
        if (!single || Symbol.asyncIterator in single) continue;
        errors.push(...codesOf(single.errors));
      }
      for (const code of errors) options.metrics.error(code);
      const started = state?.started ?? (state ? arrived.get(request) : undefined);
      const durationMs = started === undefined ? undefined : performance.now() - started;
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
  const paramsPlugin: Plugin = {
    onParams({ request, params: given }) {
      params.set(request, given);
    },
  };
  return { plugin, paramsPlugin, requestIdOf };
}
