import { GraphQLError, isInputObjectType, isListType, isNonNullType, type FieldNode, type GraphQLField, type GraphQLInputType } from 'graphql';
import { unusableIdReason } from '../client/path-segment.js';

/** The first unusable id inside a coerced value, walked along its declared type: where it is, and why. */
function findInValue(value: unknown, type: GraphQLInputType, where: string): { where: string; reason: string } | undefined {
  if (value === null || value === undefined) return undefined;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      const found = findInValue(item, inner.ofType, `${where}.${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    const fields = inner.getFields();
    for (const [name, item] of Object.entries(value)) {
      const field = fields[name];
      const found = field ? findInValue(item, field.type, `${where}.${name}`) : undefined;
      if (found) return found;
    }
    return undefined;
  }
  if (inner.name === 'ID' && typeof value === 'string') {
    const reason = unusableIdReason(value);
    if (reason !== undefined) return { where, reason };
  }
  return undefined;
}

/**
 * An `ID` argument that can never name a record (empty, `.`, `..`, a lone surrogate), as the
 * error that refuses the operation: every id ends up as an upstream path segment, and these would
 * either become dot segments or could not be encoded. `ID` is graphql-js's built-in scalar, so the
 * planner checks each field's coerced arguments instead of the scalar.
 */
export function unusableIdArgument(
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  args: Record<string, unknown>,
): GraphQLError | undefined {
  for (const argument of definition.args) {
    const found = findInValue(args[argument.name], argument.type, argument.name);
    if (found) {
      return new GraphQLError(`Invalid ID at ${definition.name}(${found.where}): ${found.reason}.`, {
        nodes: [node],
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  }
  return undefined;
}
