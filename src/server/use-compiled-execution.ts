import { memoize2 } from '@graphql-tools/utils';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { OperationPlan } from '../plan/plan.js';

type Compiled = CompiledQuery | ExecutionResult;

/**
 * Executes queries and mutations through graphql-jit: each (schema, document, operation) is
 * compiled once into a function, and later executions skip the generic walk of the standard
 * executor. Compilations hang off the schema and the parsed document (weakly), so a schema reload
 * compiles again and nothing outlives what it was compiled for; the operation name is part of the
 * key, since one document may hold several operations.
 */
export function useCompiledExecution(onLookup?: (compiled: boolean) => void): Plugin {
  const operationsOf = memoize2((_schema: GraphQLSchema, _document: DocumentNode) => new Map<string, Compiled>());

  const compile = (schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): Compiled => {
    const byOperation = operationsOf(schema, document);
    const key = operationName ?? '';
    let entry = byOperation.get(key);
    onLookup?.(entry !== undefined);
    if (!entry) {
      entry = compileQuery(schema, document, operationName);
      byOperation.set(key, entry);
    }
    return entry;
  };

  return {
    onExecute({ args, setExecuteFn }) {
      // The plan (made before) says whether the operation streams; subscriptions never get here.
      const plan = (args.contextValue as { plan?: OperationPlan }).plan;
      if (!plan || plan.incremental) return;
      setExecuteFn((execution) => {
        const entry = compile(execution.schema, execution.document, execution.operationName ?? undefined);
        // A document the compiler refuses (an unknown operation name, say) answers with its errors.
        if (!isCompiledQuery(entry)) return entry;
        return entry.query(execution.rootValue, execution.contextValue, execution.variableValues);
      });
    },
  };
}
