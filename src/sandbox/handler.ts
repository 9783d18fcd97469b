import type { Query, RequestUrl } from './list.js';
import type { WorkspaceState } from './state.js';

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
