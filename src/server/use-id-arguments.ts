import { memoize2 } from '@graphql-tools/utils';
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { unusableIdReason } from '../client/path-segment.js';

function refusal(where: string, reason: string): GraphQLError {
  return new GraphQLError(`Invalid ID at ${where}: ${reason}.`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The first unusable id inside a variable's value, walked along its declared type. */
function checkValue(value: unknown, type: GraphQLInputType, where: string): GraphQLError | undefined {
  if (value === null || value === undefined) return undefined;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      const found = checkValue(item, inner.ofType, `${where}.${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    const fields = inner.getFields();
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      const found = field ? checkValue(item, field.type, `${where}.${name}`) : undefined;
      if (found) return found;
    }
    return undefined;
  }
  if (inner.name === 'ID' && typeof value === 'string') {
    const reason = unusableIdReason(value);
    if (reason !== undefined) return refusal(where, reason);
  }
  return undefined;
}

/** What the check needs of one (schema, document): the declared type of each variable, and any unusable id written in the document. */
interface DocumentIds {
  variables: { name: string; type: GraphQLInputType }[];
  /** The first unusable id written in the document, as the error to answer with (made per request). */
  literal: (() => GraphQLError) | undefined;
}

function documentIds(schema: GraphQLSchema, document: DocumentNode): DocumentIds {
  const variables: DocumentIds['variables'] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      if (type) variables.push({ name: variable.variable.name.value, type });
    }
  }
  let literal: DocumentIds['literal'];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue(node) {
        if (literal) return;
        const expected = typeInfo.getInputType();
        if (!expected || getNamedType(expected).name !== 'ID') return;
        const reason = unusableIdReason(node.value);
        if (reason !== undefined) literal = () => new GraphQLError(`Invalid ID: ${reason}.`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } });
      },
    }),
  );
  return { variables, literal };
}

/** The first unusable id in the operation: in a variable's value or written in the document. */
function findUnusableId(ids: DocumentIds, variables: Record<string, unknown>): GraphQLError | undefined {
  for (const { name, type } of ids.variables) {
    const found = checkValue(variables[name], type, `$${name}`);
    if (found) return found;
  }
  return ids.literal?.();
}

/**
 * Refuses, before execution, any `ID` argument that can never name a record (empty, `.`, `..`,
 * a lone surrogate): every id ends up as an upstream path segment, and these would either
 * become dot segments or could not be encoded. `ID` is graphql-js's built-in scalar (Pothos
 * always uses it), so the check runs over the operation instead of inside the scalar. The walk
 * of the document is made once per (schema, document); each request checks its variables.
 */
export function useIdArguments(): Plugin {
  const idsOf = memoize2(documentIds);
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const error = findUnusableId(idsOf(args.schema, args.document), variables);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
