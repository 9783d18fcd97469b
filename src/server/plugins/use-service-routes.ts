import type { Plugin } from 'graphql-yoga';
import { anyTokenMatches, bearerToken } from '../auth.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';

/**
 * The gateway's non-GraphQL routes. `/health` (alive) is Yoga's own.
 * - `GET /ready`: 200 when the schema is loaded and the upstream reachable, else 503.
 * - `GET /metrics`: Prometheus text format; with tokens it needs `Authorization: Bearer <token>`.
 * - `POST /admin/reload-schema`: re-reads the workspace schema now; needs
 *   `Authorization: Bearer <admin token>`; answers 404 when no admin token is configured.
 */
export interface ServiceRouteOptions {
  metrics: GatewayMetrics;
  /** `/metrics` served here, and the bearer tokens it accepts (none: open). */
  metricsAccess: { route: boolean; tokens: string[] };
  readiness(): Promise<{ ready: boolean }>;
  /** Bearer tokens `POST /admin/reload-schema` accepts (`GATEWAY_ADMIN_TOKEN`, `admin:` gateway tokens); none: the route is off. */
  adminTokens: string[];
  reloadSchema(): Promise<boolean>;
  currentVersion(): number | undefined;
  logger: Logger;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** Why a `/metrics` request is refused (wrong method, missing or wrong token), or undefined. */
export function metricsRefusal(
  method: string | undefined,
  authorization: string | null | undefined,
  tokens: readonly string[],
): { status: 401 | 405; error: string; headers: Record<string, string> } | undefined {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, error: 'method not allowed', headers: { allow: 'GET, HEAD' } };
  if (tokens.length === 0) return undefined;
  const presented = bearerToken(authorization ?? null);
  const accepted = presented !== undefined && anyTokenMatches(presented, tokens);
  return accepted ? undefined : { status: 401, error: 'metrics token required', headers: { 'www-authenticate': 'Bearer' } };
}

export function useServiceRoutes(options: ServiceRouteOptions): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      switch (url.pathname) {
        case '/ready': {
          if (request.method !== 'GET' && request.method !== 'HEAD') {
            endResponse(json(405, { error: 'method not allowed' }, { allow: 'GET, HEAD' }));
            return;
          }
          const state = await options.readiness();
          endResponse(json(state.ready ? 200 : 503, state));
          return;
        }
        case '/metrics': {
          if (!options.metricsAccess.route) {
            endResponse(json(404, { error: 'not found' }));
            return;
          }
          const refusal = metricsRefusal(request.method, request.headers.get('authorization'), options.metricsAccess.tokens);
          if (refusal) {
            endResponse(json(refusal.status, { error: refusal.error }, refusal.headers));
            return;
          }
          const body = await options.metrics.registry.metrics();
          endResponse(
            new Response(body, { status: 200, headers: { 'content-type': options.metrics.registry.contentType } }),
          );
          return;
        }
        case '/admin/reload-schema': {
          if (options.adminTokens.length === 0) {
            endResponse(json(404, { error: 'not found' }));
            return;
          }
          if (request.method !== 'POST') {
            endResponse(json(405, { error: 'method not allowed' }, { allow: 'POST' }));
            return;
          }
          const token = bearerToken(request.headers.get('authorization'));
          if (token === undefined || !anyTokenMatches(token, options.adminTokens)) {
            endResponse(json(401, { error: 'admin token required' }, { 'www-authenticate': 'Bearer' }));
            return;
          }
          try {
            const changed = await options.reloadSchema();
            options.logger.info({ changed, version: options.currentVersion() }, 'schema reload requested');
            endResponse(json(200, { changed, version: options.currentVersion() ?? null }));
          } catch (error) {
            options.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'schema reload failed');
            endResponse(json(502, { error: 'the workspace schema could not be read; the current schema stays' }));
          }
          return;
        }
        default:
          return;
      }
    },
  };
}

