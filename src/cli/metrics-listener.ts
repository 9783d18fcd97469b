import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { metricsRefusal } from '../server/plugins/use-service-routes.js';

/**
 * A Node request listener that serves only `GET /metrics` from `registry`, for a listener of its
 * own (`METRICS_PORT`, on loopback) apart from the GraphQL port. With `token` set, scrapers present
 * `Authorization: Bearer <token>`.
 */
export function metricsListener(registry: Registry, token: string | undefined): (req: IncomingMessage, res: ServerResponse) => void {
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string>) => {
    res.writeHead(status, { 'cache-control': 'no-store', ...headers });
    res.end(body);
  };
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics') {
      send(res, 404, JSON.stringify({ error: 'not found' }), { 'content-type': 'application/json; charset=utf-8' });
      return;
    }
    const refusal = metricsRefusal(req.method, req.headers.authorization, token ? [token] : []);
    if (refusal) {
      send(res, refusal.status, JSON.stringify({ error: refusal.error }), { 'content-type': 'application/json; charset=utf-8', ...refusal.headers });
      return;
    }
    registry.metrics().then(
      (body) => send(res, 200, req.method === 'HEAD' ? '' : body, { 'content-type': registry.contentType }),
      () => send(res, 500, JSON.stringify({ error: 'metrics unavailable' }), { 'content-type': 'application/json; charset=utf-8' }),
    );
  };
}
