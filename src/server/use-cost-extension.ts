import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Predicts how many upstream calls an operation will make (the loaders' cost model). */
export type CostPredictor = (input: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string | null;
}) => number;

export interface OperationCost {
  predictedCalls: number;
  /** Logical upstream calls (a call and its retries count once). */
  actualCalls: number;
  /** HTTP requests sent upstream, retries included. */
  upstreamRequests: number;
  limit: number;
}

interface CountingContext {
  calls?: { count: number; attempts: number };
}

/**
 * Before execution: predicts the operation's upstream calls and refuses it with
 * `COST_LIMIT_EXCEEDED` when the prediction is over the limit, so nothing reaches Clarify.
 * After execution: reports `extensions.cost = { predictedCalls, actualCalls, limit }`.
 */
export function useCostExtension(
  predict: CostPredictor,
  limit: number,
  onRejected?: (cost: number) => void,
): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const predictedCalls = predict({
        schema: args.schema,
        document: args.document,
        variables: (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
        operationName: args.operationName ?? null,
      });
      if (predictedCalls > limit) {
        onRejected?.(predictedCalls);
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `Operation would make ${predictedCalls} upstream calls; the limit is ${limit}. ` +
                'Ask for fewer records or fewer nested relationships.',
              { extensions: { code: 'COST_LIMIT_EXCEEDED', cost: { predictedCalls, limit } } },
            ),
          ],
          extensions: { cost: { predictedCalls, actualCalls: 0, upstreamRequests: 0, limit } satisfies OperationCost },
        });
        return;
      }
      const context = args.contextValue as CountingContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result) return;
          const cost: OperationCost = {
            predictedCalls,
            actualCalls: context.calls?.count ?? 0,
            upstreamRequests: context.calls?.attempts ?? 0,
            limit,
          };
          setResult({ ...result, extensions: { ...result.extensions, cost } });
        },
      };
    },
  };
}
