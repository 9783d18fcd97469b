import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';

/** What the walkers need besides the selections: fragments and variable values. */
export interface WalkScope {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

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

/** The selection sets of the record nodes below a connection field (`edges { node }` and `nodes`). */
export function connectionNodeSelections(connectionFields: readonly FieldNode[], scope: WalkScope): SelectionSetNode[] {
  const sets: SelectionSetNode[] = [];
  for (const field of collectFieldNodes(
    connectionFields.map((f) => f.selectionSet),
    scope,
  )) {
    if (field.name.value === 'nodes' && field.selectionSet) sets.push(field.selectionSet);
    if (field.name.value === 'edges') {
      for (const edgeField of collectFieldNodes([field.selectionSet], scope)) {
        if (edgeField.name.value === 'node' && edgeField.selectionSet) sets.push(edgeField.selectionSet);
      }
    }
  }
  return sets;
}

/** An argument's value, with variables substituted; undefined when absent or null. */
export function argumentValue(field: FieldNode, name: string, scope: WalkScope): unknown {
  const argument = field.arguments?.find((a) => a.name.value === name);
  if (!argument) return undefined;
  const value = resolveValue(argument.value, scope);
  return value === null ? undefined : value;
}

function resolveValue(value: ValueNode, scope: WalkScope): unknown {
  if (value.kind === Kind.VARIABLE) return scope.variables[value.name.value];
  return valueFromASTUntyped(value, scope.variables);
}
