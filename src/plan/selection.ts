import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
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
 * `@skip`/`@include` applied. Type conditions are not checked: every record type in this schema
 * is an object type, so a fragment on the type or on `Record` both apply.
 */
export function collectFieldNodes(selectionSets: readonly (SelectionSetNode | undefined)[], scope: WalkScope): FieldNode[] {
  const fields: FieldNode[] = [];
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    if (!set) return;
    for (const selection of set.selections) {
      if (!isIncluded(selection, scope)) continue;
      if (scope.onIncremental && selection.directives?.some((directive) => INCREMENTAL.has(directive.name.value))) scope.onIncremental();
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        visit(scope.fragments[name]?.selectionSet);
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
export function fieldsByResponseKey(selectionSets: readonly (SelectionSetNode | undefined)[], scope: WalkScope): Map<string, FieldNode[]> {
  const groups = new Map<string, FieldNode[]>();
  for (const field of collectFieldNodes(selectionSets, scope)) {
    const key = field.alias?.value ?? field.name.value;
    const group = groups.get(key);
    if (group) group.push(field);
    else groups.set(key, [field]);
  }
  return groups;
}
