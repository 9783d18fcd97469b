import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONResolver } from 'graphql-scalars';

/** Deepest nesting of arrays and objects a `JSON` input may have (rich-text blocks nest a few levels). */
export const MAX_JSON_DEPTH = 64;

/** Nesting depth of arrays and objects in a value, counted no further than just past `limit`. */
export function depthOf(value: unknown, limit: number): number {
  // Iterative, so a hostile value cannot exhaust the stack while it is measured.
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [current, depth] = next;
    if (typeof current !== 'object' || current === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, level]);
  }
  return deepest;
}

function literalDepth(node: ValueNode, limit: number): number {
  let deepest = 0;
  const stack: [ValueNode, number][] = [[node, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [current, depth] = next;
    if (current.kind !== Kind.LIST && current.kind !== Kind.OBJECT) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    if (current.kind === Kind.LIST) for (const item of current.values) stack.push([item, level]);
    else for (const field of current.fields) stack.push([field.value, level]);
  }
  return deepest;
}

function tooDeep(): GraphQLError {
  return new GraphQLError(`A JSON value may nest at most ${MAX_JSON_DEPTH} levels of lists and objects.`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** graphql-scalars' `JSON`, refusing inputs nested deeper than `MAX_JSON_DEPTH`. */
export const BoundedJsonScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  parseValue: (value) => {
    if (depthOf(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw tooDeep();
    return JSONResolver.parseValue(value);
  },
  parseLiteral: (node, variables) => {
    if (literalDepth(node, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw tooDeep();
    return JSONResolver.parseLiteral(node, variables);
  },
});
