/**
 * clarify-graphql as a library: embed the gateway in a Node HTTP server, Express or Fastify app.
 * See docs/embedding.md.
 */
export { createGateway } from './server/gateway.js';
export type { Gateway, GatewayRequestContext, GatewayYoga } from './server/gateway.js';
export type { GatewayOptions } from './server/options.js';
export type { GatewayToken } from './server/auth.js';
export type { AccessScope } from './plan/field-info.js';
export type { Readiness } from './observability/readiness.js';
export type { LimitOptions } from './config/defaults.js';
export { DEFAULT_LIMITS, DEFAULTS } from './config/defaults.js';
export { ConfigError, parseConfig } from './config/config.js';
export type { AuthMode, Environment, GatewayConfig } from './config/config.js';
export { attachWebSocket } from './server/websocket.js';
export type { WebSocketEndpoint, WebSocketOptions } from './server/websocket.js';
export type { LiveOptions } from './live/defaults.js';
export { startOtlpTracing } from './observability/tracing.js';
export type { TracingHandle } from './observability/tracing.js';
export { printWorkspaceSchema } from './cli/print-workspace-schema.js';
export type { PrintWorkspaceSchemaOptions } from './cli/print-workspace-schema.js';
