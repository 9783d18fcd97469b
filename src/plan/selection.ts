import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type GraphQLObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** What the walkers need besides the selections: fragments and variable values. */
export interface WalkScope {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Told when a selection asks for incremental delivery (`@defer`, `@stream`). */
  onIncremental?: () => void;
}

const INCREMENTAL = new Set(['defer', 'stream']);

/**
 * The field nodes a selection set asks for, with fragments and inline fragments flattened and
 * `@skip`/`@include` applied. With `type`, a fragment applies only when its type condition is
 * that type or one of its interfaces (`node(id) { ... on Deal { … } ... on Person { … } }`).
 */
export function collectFieldNodes(selectionSets: readonly (SelectionSetNode | undefined)[], scope: WalkScope, type?: GraphQLObjectType): FieldNode[] {
  const fields: FieldNode[] = [];
  const visited = new Set<string>();
  const applies = (condition: string | undefined): boolean =>
    !type || condition === undefined || condition === type.name || type.getInterfaces().some((i) => i.name === condition);
  const visit = (set: SelectionSetNode | undefined): void => {
    if (!set) return;
    for (const selection of set.selections) {
      if (!isIncluded(selection, scope)) continue;
      if (scope.onIncremental && selection.directives?.some((directive) => INCREMENTAL.has(directive.name.value))) scope.onIncremental();
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = scope.fragments[name];
        if (fragment && applies(fragment.typeCondition.name.value)) visit(fragment.selectionSet);
      }
    }
  };
  selectionSets.forEach(visit);
  return fields;
}

function isIncluded(node: Parameters<typeof getDirectiveValues>[1], scope: WalkScope): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, scope.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, scope.variables);
  return include?.if !== false;
}

/**
 * The fields of selection sets grouped by response key (alias or name), in order, the way
 * GraphQL merges them: fields under one key share one result and their sub-selections merge.
 */
export function fieldsByResponseKey(
  selectionSets: readonly (SelectionSetNode | undefined)[],
  scope: WalkScope,
  type?: GraphQLObjectType,
): Map<string, FieldNode[]> {
  const groups = new Map<string, FieldNode[]>();
  for (const field of collectFieldNodes(selectionSets, scope, type)) {
    const key = field.alias?.value ?? field.name.value;
    const group = groups.get(key);
    if (group) group.push(field);
    else groups.set(key, [field]);
  }
  return groups;
}
