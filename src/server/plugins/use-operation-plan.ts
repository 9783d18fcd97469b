import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { scopeAllows, type AccessScope } from '../../plan/field-info.js';
import type { OperationPlan } from '../../plan/plan.js';
import type { PlanCache } from '../../plan/plan-cache.js';

/** `extensions.cost` of every response. */
export interface OperationCost {
  /** Calls the plan expects (every relationships block complete); the cost limit applies to it. */
  predictedCalls: number;
  /** Most calls the operation can make: above `predictedCalls` only when a relationships block may be incomplete. */
  maxCalls: number;
  /** True when `predictedCalls` is exact; false when it is an upper bound (per-record loads may be shared or absent). */
  exact: boolean;
  /** Logical upstream calls (a call and its retries count once). */
  actualCalls: number;
  /** HTTP requests sent upstream, retries included. */
  upstreamRequests: number;
  limit: number;
}

interface PlannedContext {
  plan?: OperationPlan;
  calls?: { count: number; attempts: number };
  /** What the caller's token allows; absent (a context built elsewhere) allows everything. */
  scope?: AccessScope;
}

interface ExecutionArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues?: unknown;
  operationName?: string | null;
  contextValue: unknown;
}

function isPlannedContext(value: unknown): value is PlannedContext {
  return typeof value === 'object' && value !== null;
}

function isVariables(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Plans every operation before it runs (through the plan cache) and hands the plan to the
 * resolvers in the context. Refuses an operation the caller's token scope does not allow with
 * `FORBIDDEN`, one whose predicted calls exceed the limit with `COST_LIMIT_EXCEEDED`, and one with
 * an id argument no record can have with `BAD_USER_INPUT`, so
 * nothing reaches Clarify; reports `extensions.cost` after execution.
 */
export function useOperationPlan(
  cache: PlanCache,
  limit: number,
  onRejected?: (cost: number) => void,
  onForbidden?: (scope: AccessScope) => void,
): Plugin {
  const plan = (args: ExecutionArgs): OperationPlan | undefined => {
    const planned = cache.planFor({
      schema: args.schema,
      document: args.document,
      operationName: args.operationName ?? null,
      variables: isVariables(args.variableValues) ? args.variableValues : undefined,
    });
    if (planned && isPlannedContext(args.contextValue)) args.contextValue.plan = planned;
    return planned;
  };
  /**
   * The refusal of an operation the caller's token does not allow, with an id no record can have,
   * or over the limit (for a subscription, the calls of each change event); all are decided
   * before any upstream call.
   */
  const refusal = (planned: OperationPlan | undefined, context: unknown) => {
    const { predictedCalls } = planned?.cost ?? { predictedCalls: 0 };
    const held = isPlannedContext(context) ? context.scope : undefined;
    if (planned && held && !scopeAllows(held, planned.scope)) {
      onForbidden?.(planned.scope);
      return {
        errors: [
          new GraphQLError(
            `This operation needs a gateway token with the "${planned.scope}" scope; the token sent has "${held}".`,
            { extensions: { code: 'FORBIDDEN', requiredScope: planned.scope } },
          ),
        ],
        extensions: { cost: costOf(planned, undefined) },
      };
    }
    // An id no record can have refuses the whole operation before any call; a caller the scope
    // refuses learns nothing of the operation's arguments.
    if (planned?.invalidId) return { errors: [planned.invalidId] };
    if (predictedCalls <= limit) return undefined;
    onRejected?.(predictedCalls);
    return {
      errors: [
        new GraphQLError(
          `Operation would make ${predictedCalls} upstream calls; the limit is ${limit}. ` +
            'Ask for fewer records or fewer nested relationships.',
          { extensions: { code: 'COST_LIMIT_EXCEEDED', cost: { predictedCalls, limit } } },
        ),
      ],
      extensions: { cost: costOf(planned, undefined) },
    };
  };
  /** The operation's plan, or REFUSED once its refusal is set as the result (before any call). */
  const planOrRefuse = (args: ExecutionArgs, stop: (result: ExecutionResult) => void): OperationPlan | undefined | typeof REFUSED => {
    const planned = plan(args);
    const refused = refusal(planned, args.contextValue);
    if (!refused) return planned;
    stop(refused);
    return REFUSED;
  };
  /** The plan's figures with the calls made so far. */
  const costOf = (planned: OperationPlan | undefined, calls: PlannedContext['calls']): OperationCost => {
    const { predictedCalls, maxCalls, exact } = planned?.cost ?? { predictedCalls: 0, maxCalls: 0, exact: true };
    return { predictedCalls, maxCalls, exact, actualCalls: calls?.count ?? 0, upstreamRequests: calls?.attempts ?? 0, limit };
  };
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const planned = planOrRefuse(args, setResultAndStopExecution);
      if (planned === REFUSED) return;
      const context: PlannedContext = isPlannedContext(args.contextValue) ? args.contextValue : {};
      // Each change event is resolved with a call log of its own (shared by the subscribers with
      // the same selection); an event that brought no new log (an error) made no call. The
      // deferred parts of an event (payloads without `data`) report the event's calls so far.
      let counted = context.calls;
      let calls: PlannedContext['calls'];
      return {
        onSubscribeResult() {
          return {
            onNext({ result, setResult }) {
              if ('data' in result) {
                calls = context.calls !== counted ? context.calls : undefined;
                counted = context.calls;
              }
              setResult({ ...result, extensions: { ...result.extensions, cost: costOf(planned, calls) } });
            },
          };
        },
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const planned = planOrRefuse(args, setResultAndStopExecution);
      if (planned === REFUSED) return;
      const context: PlannedContext = isPlannedContext(args.contextValue) ? args.contextValue : {};
      const cost = () => costOf(planned, context.calls);
      return {
        onExecuteDone({ result, setResult }) {
          if (!(Symbol.asyncIterator in result)) {
            setResult({ ...result, extensions: { ...result.extensions, cost: cost() } });
            return;
          }
          // Incremental delivery (@defer/@stream): the first payload carries the plan's figures
          // and the calls made so far, the last one the final count.
          let first = true;
          return {
            onNext({ result: payload, setResult: setPayload }) {
              const last = 'hasNext' in payload && payload.hasNext === false;
              if (first || last) setPayload({ ...payload, extensions: { ...payload.extensions, cost: cost() } });
              first = false;
            },
          };
        },
      };
    },
    // A request refused before execution (unreadable, invalid, unknown operation or document id)
    // carries the cost too: nothing was planned, and nothing called.
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) {
        setResult(result.map((single) => withRefusalCost(single, limit)));
        return;
      }
      if (!(Symbol.asyncIterator in result)) setResult(withRefusalCost(result, limit));
    },
  };
}

/** What `planOrRefuse` answers when it refused the operation (the result is set already). */
const REFUSED = Symbol('refused');

/** The cost of an answer that made no call: refused before anything was planned, or served from the response cache. */
export function noCallCost(limit: number): OperationCost {
  return { predictedCalls: 0, maxCalls: 0, exact: true, actualCalls: 0, upstreamRequests: 0, limit };
}

/** The body extensions of a request refused before it was parsed or planned: the cost of no call, when a limit is known. */
export function refusalExtensions(costLimit: number | undefined): { cost: OperationCost } | undefined {
  return costLimit === undefined ? undefined : { cost: noCallCost(costLimit) };
}

/** The result with `extensions.cost` of an operation that made no call, unless it has one. */
function withRefusalCost(result: ExecutionResult, limit: number): ExecutionResult {
  if (result.extensions?.['cost'] !== undefined) return result;
  return { ...result, extensions: { ...result.extensions, cost: noCallCost(limit) } };
}
