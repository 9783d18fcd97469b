import type { Extras } from './extras.js';
import type { Query, RequestUrl } from './list.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { SeedCounts } from './seed.js';
import type { Store } from './store.js';

/**
 * The mutable workspace: schema, records and who the sandbox key acts as (made by `state.ts`).
 * Declared here, beside the context that carries it, so that handlers and the state's seeding
 * code import it without a cycle.
 */
export interface WorkspaceState {
  registry: SchemaRegistry;
  store: Store;
  actorId: string;
  counts: SeedCounts;
  extras: Extras;
}

export interface HandlerContext {
  params: Record<string, string>;
  query: Query;
  url: RequestUrl;
  /** The parsed JSON body; throws a 400 when it is missing or not JSON. */
  body(): unknown;
  workspace: WorkspaceState;
  /** The sandbox clock in epoch milliseconds (tests may move it forward). */
  now(): number;
  /** Largest file a signed upload accepts, in bytes. */
  maxUploadBytes: number;
  /** How long an asynchronous schema change stays pending. */
  schemaApplyDelayMs: number;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
}

export type Handler = (context: HandlerContext) => HandlerResult;

/** System fields for a write made now by the sandbox key's user. */
export function stamp(context: HandlerContext): { _updated_at: string; _updated_by: string } {
  return { _updated_at: new Date(context.now()).toISOString(), _updated_by: context.workspace.actorId };
}
