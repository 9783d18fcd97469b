import type { ClarifyClient } from '../client/clarify-client.js';
import { buildGatewaySchema } from '../schema/build-schema.js';
import type { WorkspaceModel } from '../workspace/model.js';
import { parseWorkspaceModel } from '../workspace/parse-schemas.js';
import { createPassThroughAuthenticator, createServerKeyAuthenticator, type Authenticator } from './auth.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { ResolvedGatewayOptions } from './options.js';
import {
  PassThroughSchemaSource,
  ServerKeySchemaSource,
  type SchemaSnapshot,
  type SchemaSource,
} from './schema-holder.js';

/**
 * Where a request's schema comes from: the authenticator that turns a caller's `Authorization`
 * into an upstream credential, the source that holds the schema built for it, and the reload timer.
 */
export interface WorkspaceSchema {
  authenticate: Authenticator;
  source: SchemaSource<WorkspaceModel>;
  /** Re-reads the workspace schema now; true when it changed. Counted in the metrics. */
  reload(): Promise<boolean>;
  /** Server-key mode: loads the first schema (rejects when it cannot) and starts the reload timer. */
  start(): Promise<void>;
  stop(): void;
}

export interface WorkspaceSchemaInput {
  options: ResolvedGatewayOptions;
  client: ClarifyClient;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Told when a new schema replaces the previous one (e.g. to drop what was derived from it). */
  onChange?(snapshot: SchemaSnapshot<WorkspaceModel>): void;
}

export function createWorkspaceSchema(input: WorkspaceSchemaInput): WorkspaceSchema {
  const { options, client, logger, metrics } = input;
  const sourceOptions = {
    readSchemas: (credential: string) =>
      client.listSchemas({ credential, deadline: Date.now() + options.requestTimeoutMs }),
    build: (items: unknown[]) => {
      const model = parseWorkspaceModel(items);
      for (const warning of model.warnings) logger.warn({ warning }, 'workspace schema');
      return { model, schema: buildGatewaySchema(model, { federation: options.federation }) };
    },
    onChange: (snapshot: SchemaSnapshot<WorkspaceModel>, previous: SchemaSnapshot<WorkspaceModel> | undefined) => {
      logger.info(
        { version: snapshot.version, objects: snapshot.model.objects.length, replaced: previous?.version },
        previous ? 'workspace schema changed; new requests use the new schema' : 'workspace schema loaded',
      );
      input.onChange?.(snapshot);
    },
  };

  let authenticate: Authenticator;
  let source: SchemaSource<WorkspaceModel>;
  if (options.apiKey) {
    authenticate = createServerKeyAuthenticator(options.apiKey, options.tokens);
    const serverCredential = authenticate(`Bearer ${options.tokens[0]?.token ?? ''}`);
    if (!serverCredential.ok) throw new Error('createGateway: could not derive the server credential.');
    source = new ServerKeySchemaSource(sourceOptions, serverCredential.credential);
  } else {
    authenticate = createPassThroughAuthenticator();
    source = new PassThroughSchemaSource(sourceOptions, Math.max(options.schemaReloadIntervalSeconds, 1) * 1000);
  }

  const reload = async (): Promise<boolean> => {
    try {
      const changed = await source.reload();
      metrics.schemaReload(changed ? 'changed' : 'unchanged');
      return changed;
    } catch (error) {
      metrics.schemaReload('failed');
      throw error;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  return {
    authenticate,
    source,
    reload,
    async start() {
      if (options.mode !== 'server-key') return;
      try {
        await source.reload();
      } catch (error) {
        throw new Error(`Could not load the workspace schema from ${options.apiUrl}: ${describe(error)}`);
      }
      const seconds = options.schemaReloadIntervalSeconds;
      if (seconds > 0) {
        timer = setInterval(() => {
          reload().catch((error: unknown) =>
            logger.warn({ error: describe(error) }, 'periodic schema reload failed; keeping the current schema'),
          );
        }, seconds * 1000);
        timer.unref();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error ? error.code : undefined;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
