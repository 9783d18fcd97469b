import { getNamedType, isObjectType, type FieldNode, type GraphQLObjectType, type SelectionSetNode } from 'graphql';
import { clarifyInfo } from '../schema/field-info.js';
import { argumentValue, collectFieldNodes, connectionNodeSelections, type WalkScope } from './selection.js';

/** How many dotted levels `include` may go (`people.company_id.deals` is three). */
export const DEFAULT_INCLUDE_DEPTH = 3;

/** Whether a to-many field's arguments force the relationship endpoint instead of `include`. */
export function needsRelationshipEndpoint(field: FieldNode, scope: WalkScope): boolean {
  return argumentValue(field, 'filter', scope) !== undefined || argumentValue(field, 'orderBy', scope) !== undefined;
}

/**
 * The `include` paths a fetch of `type` records should carry so that the given selections
 * resolve from the response: every FK and unfiltered to-many relationship they touch, to
 * `maxDepth` dotted levels.
 */
export function includePaths(
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  scope: WalkScope,
  maxDepth = DEFAULT_INCLUDE_DEPTH,
): string[] {
  const paths = new Set<string>();
  walk(type, selectionSets, scope, [], maxDepth, paths);
  return [...paths].sort();
}

function walk(
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
  scope: WalkScope,
  prefix: string[],
  maxDepth: number,
  paths: Set<string>,
): void {
  if (prefix.length >= maxDepth) return;
  const fields = type.getFields();
  for (const node of collectFieldNodes(selectionSets, scope)) {
    const definition = fields[node.name.value];
    const info = clarifyInfo(definition);
    if (!definition || !info) continue;
    if (info.role === 'reference') {
      const path = [...prefix, info.field];
      paths.add(path.join('.'));
      const target = getNamedType(definition.type);
      if (isObjectType(target) && node.selectionSet) walk(target, [node.selectionSet], scope, path, maxDepth, paths);
    } else if (info.role === 'toMany' && !needsRelationshipEndpoint(node, scope)) {
      const path = [...prefix, info.field];
      paths.add(path.join('.'));
      const target = recordTypeOfConnection(getNamedType(definition.type));
      if (target) walk(target, connectionNodeSelections([node], scope), scope, path, maxDepth, paths);
    }
  }
}

/** The record type inside a connection type (the type of its `nodes` field). */
export function recordTypeOfConnection(connection: unknown): GraphQLObjectType | undefined {
  if (!isObjectType(connection)) return undefined;
  const nodes = connection.getFields().nodes;
  const named = nodes ? getNamedType(nodes.type) : undefined;
  return isObjectType(named) ? named : undefined;
}
