import { memoize1, memoize2 } from '@graphql-tools/utils';
import type { StandardReason } from '../../observability/metrics.js';
import {
  getOperationAST,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { OperationPlan } from '../../plan/plan.js';

/**
 * The most input positions the variables of one operation may unroll to for compiled execution.
 * graphql-jit writes its variable coercion as straight-line code with every nested input field
 * inlined, so its compile time and size grow with the unrolled input type, without bound for a
 * recursive one (a `DealFilter` reaches `CompanyFilter` and back). The largest non-recursive
 * input of a workspace is a few dozen positions; an operation past this bound runs on graphql-js,
 * whose coercion walks the value instead of the type.
 */
export const MAX_COMPILED_VARIABLE_POSITIONS = 256;

/**
 * The most fields an operation's selection may hold, with every fragment spread written out in
 * place, for compiled execution. graphql-jit expands each spread where it stands (graphql-js
 * visits a fragment once per selection), so a few lines of fragments that each spread the one
 * before twice would compile to millions of fields. Real operations hold a few hundred.
 */
export const MAX_COMPILED_SELECTION_FIELDS = 5_000;

/** How an execution was looked up: compiled now, found compiled, or left to the standard executor. */
export type ExecutionLookup = 'miss' | 'hit' | StandardReason;

type Compiled = CompiledQuery | ExecutionResult;

/**
 * Input positions a value of `type` unrolls to in compiled coercion code: one per scalar or enum,
 * the sum of the fields for an input object, twice the item for a list (graphql-jit emits a list's
 * item code twice: for an array and for a single value wrapped in one). Infinity for a type that
 * reaches itself. Linear in the number of input types: each named type is sized once per schema.
 */
function positionsOf(sizes: Map<string, number>, type: GraphQLInputType, open: Set<string>): number {
  if (isNonNullType(type)) return positionsOf(sizes, type.ofType, open);
  if (isListType(type)) return 2 * positionsOf(sizes, type.ofType, open);
  if (!isInputObjectType(type)) return 1;
  const known = sizes.get(type.name);
  if (known !== undefined) return known;
  if (open.has(type.name)) return Infinity;
  open.add(type.name);
  let total = 1;
  for (const field of Object.values(type.getFields())) {
    total += positionsOf(sizes, field.type, open);
    if (total === Infinity) break;
  }
  open.delete(type.name);
  sizes.set(type.name, total);
  return total;
}

const inputSizes = memoize1((_schema: GraphQLSchema) => new Map<string, number>());

/** The input positions an operation's variables unroll to (Infinity when one is recursive). */
export function variablePositions(schema: GraphQLSchema, operation: OperationDefinitionNode): number {
  const sizes = inputSizes(schema);
  let total = 0;
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type);
    // An unknown type fails validation before execution; count it as one position here.
    total += type ? positionsOf(sizes, type as GraphQLInputType, new Set()) : 1;
    if (total > MAX_COMPILED_VARIABLE_POSITIONS) return total;
  }
  return total;
}

/**
 * Fields of an operation's selection with fragment spreads written out in place, counted up to
 * just past `MAX_COMPILED_SELECTION_FIELDS`. Each fragment is sized once (a spread of a fragment
 * already being sized, which validation refuses, counts as nothing), so this is linear in the
 * document.
 */
export function expandedSelectionFields(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const sized = new Map<string, number>();
  const open = new Set<string>();
  const cap = MAX_COMPILED_SELECTION_FIELDS + 1;
  const size = (selectionSet: SelectionSetNode | undefined): number => {
    let total = 0;
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) total += 1 + size(selection.selectionSet);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += size(selection.selectionSet);
      else total += fragmentSize(selection.name.value);
      if (total >= cap) return cap;
    }
    return total;
  };
  const fragmentSize = (name: string): number => {
    const known = sized.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || open.has(name)) return 0;
    open.add(name);
    const total = size(fragment.selectionSet);
    open.delete(name);
    sized.set(name, total);
    return total;
  };
  return size(operation.selectionSet);
}

/**
 * Why a document's operation must run on the standard executor, whatever its variables' values,
 * or undefined when it can run compiled: queries and mutations whose variables and selection
 * unroll to a bounded code size. (Whether it asks for incremental delivery can depend on
 * `@skip`/`@include` variables; the operation's plan says that per request.)
 */
export function standardExecutionReason(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string | null,
): StandardReason | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 'refused';
  if (operation.operation === 'subscription') return 'subscription';
  if (variablePositions(schema, operation) > MAX_COMPILED_VARIABLE_POSITIONS) return 'variables';
  if (expandedSelectionFields(document, operation) > MAX_COMPILED_SELECTION_FIELDS) return 'selection';
  return undefined;
}

/**
 * Executes queries and mutations through graphql-jit where its compiled code is bounded (see
 * `standardExecutionReason`): each (schema, document, operation) is compiled once into a function,
 * and later executions skip the generic walk of the standard executor. Entries hang off the schema
 * and the parsed document (weakly), so a schema reload compiles again and nothing outlives what it
 * was compiled for; the operation name is part of the key, since one document may hold several.
 */
export function useCompiledExecution(onLookup?: (lookup: ExecutionLookup) => void): Plugin {
  const reasonsOf = memoize2((_schema: GraphQLSchema, _document: DocumentNode) => new Map<string, StandardReason | null>());
  const compiledOf = memoize2((_schema: GraphQLSchema, _document: DocumentNode) => new Map<string, Compiled>());

  const reasonFor = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => {
    const byOperation = reasonsOf(schema, document);
    const key = operationName ?? '';
    let reason = byOperation.get(key);
    if (reason === undefined) {
      reason = standardExecutionReason(schema, document, operationName) ?? null;
      byOperation.set(key, reason);
    }
    return reason;
  };

  const compile = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Compiled => {
    const byOperation = compiledOf(schema, document);
    const key = operationName ?? '';
    let entry = byOperation.get(key);
    onLookup?.(entry ? 'hit' : 'miss');
    if (!entry) {
      entry = compileQuery(schema, document, operationName ?? undefined);
      byOperation.set(key, entry);
    }
    return entry;
  };

  return {
    onExecute({ args, setExecuteFn }) {
      // The plan (made before) says whether this request's operation streams; the standard
      // executor implements `@defer` and `@stream`.
      if ((args.contextValue as { plan?: OperationPlan }).plan?.incremental) {
        onLookup?.('incremental');
        return;
      }
      const reason = reasonFor(args.schema, args.document, args.operationName);
      if (reason) {
        onLookup?.(reason);
        return;
      }
      setExecuteFn((execution) => {
        const entry = compile(execution.schema, execution.document, execution.operationName);
        // A document the compiler refuses (an unknown operation name, say) answers with its errors.
        if (!isCompiledQuery(entry)) return entry;
        return entry.query(execution.rootValue, execution.contextValue, execution.variableValues);
      });
    },
  };
}
