import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, GraphQLSchema, getOperationAST, parse, type DocumentNode, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Gateway } from './gateway.js';

/** Options of `attachWebSocket`. */
export interface WebSocketOptions {
  /** Path of the GraphQL endpoint. Default `/graphql`, the same as HTTP. */
  path?: string;
  /** Active operations per WebSocket connection (`MAX_SUBSCRIPTIONS_PER_CONNECTION`). Default 25. */
  maxPerConnection?: number;
  /** Largest message accepted, in bytes. Default 102 400. */
  maxPayloadBytes?: number;
}

export interface WebSocketEndpoint {
  /** Closes every WebSocket connection and stops accepting new ones. */
  close(): Promise<void>;
}

/** What the operation carries from `onSubscribe` to the executor. */
interface BridgeArgs {
  request: Request;
  abort: AbortController;
}

type Ctx = WsContext<Record<string, unknown> | undefined, Extra & Partial<Record<PropertyKey, never>>>;

/** A placeholder: graphql-ws wants a schema in the execution arguments, but the gateway executes. */
const NO_SCHEMA = new GraphQLSchema({});

/**
 * graphql-ws requires `query` to be a string, so a client that sends only a trusted document's id
 * sends `query: ""`. The gateway's pipeline finds the document by its id; graphql-ws is handed
 * this stand-in, and runs any operation, a stream or a single result, the same way.
 */
const BY_ID = parse('{ __typename }');

/**
 * Serves the graphql-ws protocol (`graphql-transport-ws`) on the HTTP server's GraphQL path.
 * Every operation is sent through the gateway's own HTTP pipeline (auth, limits, cost, masking,
 * metrics) as a Server-Sent Events request, so WebSocket and HTTP callers get exactly the same
 * treatment. The credential comes from `connectionParams` (`Authorization` or `authorization`)
 * or, failing that, from the upgrade request's `Authorization` header.
 */
export function attachWebSocket(server: Server, gateway: Gateway, options: WebSocketOptions = {}): WebSocketEndpoint {
  const path = options.path ?? '/graphql';
  const maxPerConnection = options.maxPerConnection ?? 25;
  const wss = new WebSocketServer({ server, path, maxPayload: options.maxPayloadBytes ?? 102_400 });
  const active = new WeakMap<object, Map<string, AbortController>>();

  const operations = (ctx: Ctx): Map<string, AbortController> => {
    let map = active.get(ctx);
    if (!map) {
      map = new Map();
      active.set(ctx, map);
    }
    return map;
  };

  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      onSubscribe: (ctx, id, payload) => {
        const running = operations(ctx);
        if (running.size >= maxPerConnection) {
          return [
            new GraphQLError(
              `This connection already runs ${running.size} operations, the most allowed (MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one first.`,
              { extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED' } },
            ),
          ];
        }
        const byId = payload.query.trim() === '';
        let document: DocumentNode = BY_ID;
        if (!byId) {
          try {
            document = parse(payload.query);
          } catch (error) {
            return [error instanceof GraphQLError ? error : new GraphQLError('The document is not valid GraphQL.')];
          }
          if (!getOperationAST(document, payload.operationName)) return [new GraphQLError('Unable to identify the operation to run.')];
        }
        const abort = new AbortController();
        running.set(id, abort);
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          accept: 'text/event-stream',
        };
        const authorization = credentialOf(ctx.connectionParams, ctx.extra.request);
        if (authorization) headers.authorization = authorization;
        const request = new Request(`http://websocket.local${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            query: byId ? undefined : payload.query,
            variables: payload.variables ?? undefined,
            operationName: payload.operationName ?? undefined,
            extensions: payload.extensions ?? undefined,
          }),
          signal: abort.signal,
        });
        const bridge: BridgeArgs = { request, abort };
        return { schema: NO_SCHEMA, document, operationName: payload.operationName, contextValue: bridge };
      },
      // The results are already formatted JSON (they come from the HTTP pipeline): send them as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
      execute: (args) => run(gateway, args.contextValue as BridgeArgs),
      subscribe: (args) => run(gateway, args.contextValue as BridgeArgs),
      onComplete: (ctx, id) => {
        const running = operations(ctx);
        running.get(id)?.abort();
        running.delete(id);
      },
      onClose: (ctx) => {
        for (const abort of operations(ctx).values()) abort.abort();
        active.delete(ctx);
      },
    },
    wss,
  );

  return {
    async close() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function credentialOf(params: Record<string, unknown> | undefined, upgrade: IncomingMessage): string | undefined {
  for (const key of ['Authorization', 'authorization']) {
    const value = params?.[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  const header = upgrade.headers.authorization;
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/**
 * Runs one operation through the gateway and yields its results. The iterator's `return()`
 * aborts the request at once, even while it waits for the next result.
 */
function run(gateway: Gateway, bridge: BridgeArgs): AsyncIterableIterator<ExecutionResult> {
  const results = responseResults(gateway, bridge.request);
  return {
    next: () => results.next(),
    return: async () => {
      bridge.abort.abort();
      return { value: undefined, done: true };
    },
    throw: async () => {
      bridge.abort.abort();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* responseResults(gateway: Gateway, request: Request): AsyncGenerator<ExecutionResult> {
  let response: Response;
  try {
    response = await gateway.fetch(request);
  } catch {
    if (request.signal.aborted) return;
    throw new Error('The gateway could not run the operation.');
  }
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream') || !response.body) {
    // Refused before execution (e.g. 401): one JSON result.
    const text = await response.text();
    yield JSON.parse(text) as ExecutionResult;
    return;
  }
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = response.body.getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        return; // aborted
      }
      if (chunk.done) return;
      buffered += decoder.decode(chunk.value, { stream: true });
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const message = parseEvent(block);
        if (message.event === 'complete') return;
        if (message.event === 'next' && message.data) yield JSON.parse(message.data) as ExecutionResult;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** One Server-Sent Events block: `event:` and `data:` lines; comments (`:`) are keep-alives. */
function parseEvent(block: string): { event: string; data: string } {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return { event, data: data.join('\n') };
}
