import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { isLoopbackHost } from '../../config/config.js';
import type { Logger } from '../../observability/logger.js';
import { refusalResponse } from '../../errors/refusal.js';
import { refusalExtensions } from './use-operation-plan.js';

/** Which browser origins may call the gateway cross-origin. */
export interface CorsPolicy {
  /** Listed origins (`https://app.example.com`), or `*` for any. */
  origins: string[];
  /** Also allow any `http(s)://localhost|127.x|[::1]:port` origin (development). */
  loopback: boolean;
  /** The cost limit a refusal reports in `extensions.cost` (with 0 calls), as every answer does. */
  costLimit?: number;
}

/** PUT and DELETE: graphql-sse's single connection mode (reserve a stream, stop an operation). */
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
/** Request headers a GraphQL client may send cross-origin. */
const ALLOWED_HEADERS = [
  'accept',
  'authorization',
  'content-type',
  'x-request-id',
  'graphql-client-name',
  'graphql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-graphql-event-stream-token',
];
const PREFLIGHT_MAX_AGE_SECONDS = '600';
/** A refused origin is logged at most once in this many ms (per kind of request), however often it asks. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** Where a refusal is told: the browser shows only "blocked by CORS policy". */
export interface CorsRefusalLog {
  logger: Logger;
  requestIdOf(request: Request): string;
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** The `Access-Control-Allow-Origin` value for this origin, or undefined when it is not allowed. */
export function allowedOrigin(policy: CorsPolicy, origin: string): string | undefined {
  if (policy.origins.includes('*')) return '*';
  if (policy.origins.includes(origin)) return origin;
  if (policy.loopback && isLoopbackOrigin(origin)) return origin;
  return undefined;
}

function refusal(origin: string, costLimit: number | undefined): Response {
  const message = `Cross-origin requests from ${origin} are not allowed; add it to CORS_ORIGINS (corsOrigins).`;
  return refusalResponse('FORBIDDEN', message, { extensions: refusalExtensions(costLimit), headers: { vary: 'Origin' } });
}

/**
 * CORS for every route. A preflight (`OPTIONS`) is answered here, before anything else runs:
 * 204 with the allowed methods and headers for an allowed origin, 403 with a message naming
 * `CORS_ORIGINS` for any other, 204 with `Allow` when no browser asks. Other responses to an
 * allowed origin carry `Access-Control-Allow-Origin`; no credentials (cookies) are allowed.
 */
export function useCors(policy: CorsPolicy, log?: CorsRefusalLog): Plugin {
  const logged = new LRUCache<string, true>({ max: 1000, ttl: REFUSAL_LOG_INTERVAL_MS });
  const refused = (request: Request, origin: string, preflight: boolean) => {
    const key = `${preflight ? 'preflight' : 'request'} ${origin}`;
    if (!log || logged.has(key)) return;
    logged.set(key, true);
    log.logger.info(
      { requestId: log.requestIdOf(request), origin, method: preflight ? request.headers.get('access-control-request-method') ?? 'OPTIONS' : request.method, preflight },
      `CORS: refused the origin ${origin}; add it to CORS_ORIGINS to allow it (logged once a minute per origin)`,
    );
  };
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'OPTIONS') return;
      const origin = request.headers.get('origin');
      if (!origin) {
        endResponse(new Response(null, { status: 204, headers: { allow: ALLOWED_METHODS } }));
        return;
      }
      const allowed = allowedOrigin(policy, origin);
      if (!allowed) {
        refused(request, origin, true);
        endResponse(refusal(origin, policy.costLimit));
        return;
      }
      endResponse(
        new Response(null, {
          status: 204,
          headers: {
            'access-control-allow-origin': allowed,
            'access-control-allow-methods': ALLOWED_METHODS,
            'access-control-allow-headers': ALLOWED_HEADERS.join(', '),
            'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
            allow: ALLOWED_METHODS,
            vary: 'Origin, Access-Control-Request-Headers',
          },
        }),
      );
    },
    onResponse({ request, response }) {
      const origin = request.headers.get('origin');
      if (!origin || request.method === 'OPTIONS') return;
      const allowed = allowedOrigin(policy, origin);
      response.headers.append('vary', 'Origin');
      if (!allowed) {
        // Browsers send Origin on same-origin POSTs too (GraphiQL's): those are not refusals.
        // Sec-Fetch-Site says so even behind a proxy that rewrites the host.
        const site = request.headers.get('sec-fetch-site');
        const sameOrigin = site ? site === 'same-origin' : origin === new URL(request.url).origin;
        if (!sameOrigin) refused(request, origin, false);
        return;
      }
      response.headers.set('access-control-allow-origin', allowed);
      response.headers.set('access-control-expose-headers', 'x-request-id');
    },
  };
}
