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

/** The first unusable id in the operation: in a variable's value or written in the document. */
export function findUnusableId(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): GraphQLError | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      const name = variable.variable.name.value;
      const found = type ? checkValue(variables[name], type, `$${name}`) : undefined;
      if (found) return found;
    }
  }
  let found: GraphQLError | undefined;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue(node) {
        if (found) return;
        const expected = typeInfo.getInputType();
        if (!expected || getNamedType(expected).name !== 'ID') return;
        const reason = unusableIdReason(node.value);
        if (reason !== undefined) found = new GraphQLError(`Invalid ID: ${reason}.`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } });
      },
    }),
  );
  return found;
}

/**
 * Refuses, before execution, any `ID` argument that can never name a record (empty, `.`, `..`,
 * a lone surrogate): every id ends up as an upstream path segment, and these would either
 * become dot segments or could not be encoded. `ID` is graphql-js's built-in scalar (Pothos
 * always uses it), so the check runs over the operation instead of inside the scalar.
 */
export function useIdArguments(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const error = findUnusableId(args.schema, args.document, variables);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
