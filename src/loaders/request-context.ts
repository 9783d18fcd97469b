import { setMaxListeners } from 'node:events';
import { CallLog } from '../client/call-log.js';
import type { ClarifyClient } from '../client/clarify-client.js';
import type { CallOptions } from '../client/types.js';
import type { OperationPlan } from '../plan/plan.js';
import type { WorkspaceModel } from '../workspace/model.js';
import { RecordLoader } from './record-loader.js';
import { InProcessWriteLock, type WriteLock } from './write-lock.js';

/** Everything a resolver may use; made fresh for every GraphQL request. */
export interface GatewayContext {
  client: ClarifyClient;
  model: WorkspaceModel;
  /** Credential, abort signal, deadline and recorder for every upstream call of this request. */
  call: CallOptions;
  /** Every upstream call this request made. */
  calls: CallLog;
  records: RecordLoader;
  /** Serialises read-modify-write sequences (relationship edits) across requests. */
  writeLock: WriteLock;
  /** The operation's plan, set before execution (or by the first resolver that needs it). */
  plan: OperationPlan | undefined;
  /**
   * Re-reads the workspace schema this request's credential sees (schema-changing mutations call
   * it). With `job`, the id of an asynchronous change that finished, it reloads once per job.
   */
  reloadSchema?: (job?: string) => Promise<boolean>;
}

export interface RequestContextInput {
  client: ClarifyClient;
  model: WorkspaceModel;
  /** The `Authorization` value to send upstream (`api-key …` or `Bearer …`). */
  credential: string;
  signal?: AbortSignal;
  /** Epoch milliseconds by which the request must finish. */
  deadline?: number;
  /** Upper bound on concurrent record fetches of this request. */
  maxConcurrency?: number;
  /** Receives the request's call log instead of a fresh one (e.g. to observe calls). */
  calls?: CallLog;
  /**
   * The lock shared by every request of the gateway. Without one the context gets its own,
   * which serialises only the writes of this request.
   */
  writeLock?: WriteLock;
  /** The operation's plan, when it was made before the context. */
  plan?: OperationPlan;
  /** The GraphQL request's id, carried on its upstream calls' log lines. */
  requestId?: string;
  /** Re-reads the workspace schema the credential sees; once per `job` when one is given. */
  reloadSchema?: (job?: string) => Promise<boolean>;
}

export function createRequestContext(input: RequestContextInput): GatewayContext {
  const calls = input.calls ?? new CallLog();
  const call: CallOptions = { credential: input.credential, recorder: calls };
  if (input.requestId !== undefined) call.requestId = input.requestId;
  if (input.signal) {
    // Every upstream call of the request listens on its signal; a bulk write has dozens at once.
    setMaxListeners(0, input.signal);
    call.signal = input.signal;
  }
  if (input.deadline !== undefined) call.deadline = input.deadline;
  return {
    client: input.client,
    model: input.model,
    call,
    calls,
    records: new RecordLoader(input.client, call, input.maxConcurrency),
    writeLock: input.writeLock ?? new InProcessWriteLock(),
    plan: input.plan,
    ...(input.reloadSchema ? { reloadSchema: input.reloadSchema } : {}),
  };
}
