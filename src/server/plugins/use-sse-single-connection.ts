import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { credentialFingerprint } from '../../client/credential-fingerprint.js';
import type { Authenticator } from '../auth.js';
import { refusalBody, refusalResponse } from '../../errors/refusal.js';

/** graphql-sse's names for the stream token (`PROTOCOL.md`, single connection mode). */
const TOKEN_HEADER = 'x-graphql-event-stream-token';
const TOKEN_QUERY = 'token';
/** A reservation whose stream is not opened within this long is dropped. */
const RESERVATION_TTL_MS = 30_000;

export interface SingleConnectionOptions {
  graphqlEndpoint: string;
  authenticate: Authenticator;
  /** Operations one stream may run at once (`MAX_SUBSCRIPTIONS_PER_CONNECTION`, as a WebSocket connection). */
  maxPerConnection: number;
  /** Runs one operation through the gateway's whole pipeline, as a distinct-connection SSE request. */
  run: (request: Request) => Promise<Response>;
}

interface Reservation {
  /** The fingerprint of the `Authorization` header that made it: every later request must present the same. */
  caller: string;
  stream?: ReadableStreamDefaultController<Uint8Array>;
  operations: Map<string, AbortController>;
  expiry: NodeJS.Timeout | undefined;
}

const encoder = new TextEncoder();

function callerOf(request: Request): string {
  return credentialFingerprint(request.headers.get('authorization') ?? '');
}

/**
 * graphql-sse's single connection mode on the GraphQL endpoint (`createClient({ singleConnection: true })`):
 * `PUT` reserves a stream and answers its token (201), `GET` with the token opens it, each `POST`
 * with the token starts an operation (202) whose results arrive on the stream as `next`/`complete`
 * events with its `operationId`, and `DELETE ?operationId=` stops one. Each operation runs as its
 * own request through the gateway's whole pipeline (authentication, limits, cost, masking), with
 * the caller's headers; a stream runs at most `maxPerConnection` operations at once, and only the
 * caller that reserved it (the same `Authorization`) may use it. Requests without a token, other
 * than `PUT`, are the ordinary distinct-connections mode and pass on.
 */
export function useSseSingleConnection(options: SingleConnectionOptions): Plugin {
  const reservations = new Map<string, Reservation>();

  const drop = (token: string): void => {
    const reservation = reservations.get(token);
    if (!reservation) return;
    reservations.delete(token);
    clearTimeout(reservation.expiry);
    for (const operation of reservation.operations.values()) operation.abort();
    try {
      reservation.stream?.close();
    } catch {
      // Already closed by the client.
    }
  };

  const send = (reservation: Reservation, event: 'next' | 'complete', data: unknown): void => {
    try {
      reservation.stream?.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
    } catch {
      // The stream is gone; its operations are being aborted.
    }
  };

  const reserve = (request: Request): Response => {
    const decision = options.authenticate(request.headers.get('authorization'));
    if (!decision.ok) return refusalResponse('UNAUTHENTICATED', decision.reason);
    const token = randomUUID();
    const expiry = setTimeout(() => {
      if (!reservations.get(token)?.stream) drop(token);
    }, RESERVATION_TTL_MS);
    expiry.unref();
    reservations.set(token, { caller: callerOf(request), operations: new Map(), expiry });
    return new Response(token, { status: 201, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };

  const open = (token: string, reservation: Reservation): Response => {
    if (reservation.stream) return refusalResponse('BAD_REQUEST', 'This stream is already open.', { status: 409 });
    clearTimeout(reservation.expiry);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        reservation.stream = controller;
        controller.enqueue(encoder.encode(':\n\n'));
      },
      cancel() {
        drop(token);
      },
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
    });
  };

  const start = async (request: Request, reservation: Reservation): Promise<Response> => {
    let body: { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: Record<string, unknown> };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return refusalResponse('BAD_REQUEST', 'The body is not JSON.');
    }
    const { operationId, ...extensions } = body.extensions ?? {};
    if (typeof operationId !== 'string' || operationId === '') return refusalResponse('BAD_REQUEST', 'Missing `extensions.operationId`.');
    if (!reservation.stream) return refusalResponse('NOT_FOUND', 'Open the stream before starting operations on it.');
    if (reservation.operations.has(operationId)) return refusalResponse('BAD_REQUEST', 'An operation with this id is running.', { status: 409 });
    if (reservation.operations.size >= options.maxPerConnection) {
      const message = `This connection already runs ${reservation.operations.size} operations, the most allowed (MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one first.`;
      send(reservation, 'next', { id: operationId, payload: refusalBody('SUBSCRIPTION_LIMIT_EXCEEDED', message) });
      send(reservation, 'complete', { id: operationId });
      return new Response(null, { status: 202 });
    }
    const abort = new AbortController();
    reservation.operations.set(operationId, abort);
    const headers = new Headers(request.headers);
    headers.delete(TOKEN_HEADER);
    headers.delete('content-length');
    headers.set('accept', 'text/event-stream');
    headers.set('content-type', 'application/json');
    const url = new URL(request.url);
    url.searchParams.delete(TOKEN_QUERY);
    const inner = new Request(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: body.query, variables: body.variables, operationName: body.operationName, extensions }),
      signal: abort.signal,
    });
    void forward(reservation, operationId, inner, abort);
    return new Response(null, { status: 202 });
  };

  /** Relays one operation's results onto the stream, each wrapped with its operation id. */
  const forward = async (reservation: Reservation, operationId: string, request: Request, abort: AbortController): Promise<void> => {
    try {
      const response = await options.run(request);
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
        // Refused before it streamed (authentication, validation, limits): its one result.
        send(reservation, 'next', { id: operationId, payload: await response.json() });
        return;
      }
      const decoder = new TextDecoder();
      let buffered = '';
      const reader = response.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffered += decoder.decode(chunk.value, { stream: true });
        let boundary: number;
        while ((boundary = buffered.indexOf('\n\n')) >= 0) {
          const message = buffered.slice(0, boundary);
          buffered = buffered.slice(boundary + 2);
          const lines = message.split('\n');
          const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
          if (event === 'next' && data) send(reservation, 'next', { id: operationId, payload: JSON.parse(data) as unknown });
          if (event === 'complete') {
            await reader.cancel();
            return;
          }
        }
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      send(reservation, 'next', { id: operationId, payload: refusalBody('INTERNAL_SERVER_ERROR', 'Unexpected error.') });
      void error;
    } finally {
      if (reservation.operations.get(operationId) === abort) {
        reservation.operations.delete(operationId);
        if (!abort.signal.aborted) send(reservation, 'complete', { id: operationId });
      }
    }
  };

  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== options.graphqlEndpoint) return;
      if (request.method === 'PUT') {
        endResponse(reserve(request));
        return;
      }
      const token = request.headers.get(TOKEN_HEADER) ?? url.searchParams.get(TOKEN_QUERY);
      if (token === null) return;
      const reservation = reservations.get(token);
      if (!reservation || reservation.caller !== callerOf(request)) {
        endResponse(refusalResponse('NOT_FOUND', 'No stream has this token.'));
        return;
      }
      const decision = options.authenticate(request.headers.get('authorization'));
      if (!decision.ok) {
        endResponse(refusalResponse('UNAUTHENTICATED', decision.reason));
        return;
      }
      if (request.method === 'GET') endResponse(open(token, reservation));
      else if (request.method === 'POST') return start(request, reservation).then(endResponse);
      else if (request.method === 'DELETE') {
        const operationId = url.searchParams.get('operationId');
        const operation = operationId === null ? undefined : reservation.operations.get(operationId);
        if (operation && operationId !== null) {
          reservation.operations.delete(operationId);
          operation.abort();
          send(reservation, 'complete', { id: operationId });
        }
        endResponse(new Response(null, { status: 200 }));
      } else endResponse(refusalResponse('BAD_REQUEST', 'Use GET, POST or DELETE with a stream token.', { status: 405 }));
    },
  };
}
