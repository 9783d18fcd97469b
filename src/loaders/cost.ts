import {
  Kind,
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../schema/connections.js';
import { clarifyInfo } from '../schema/field-info.js';
import { pagesFor } from './fetch-window.js';
import { DEFAULT_INCLUDE_DEPTH, needsRelationshipEndpoint, recordTypeOfConnection } from './include-plan.js';
import { collectFieldNodes, connectionNodeSelections, type WalkScope } from './selection.js';

/** Validates a field's coerced arguments before any upstream call (e.g. filters Clarify cannot express). */
export type ArgumentCheck = (info: { object: string; args: Record<string, unknown> }) => void;

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /** Dotted `include` levels the upstream accepts. */
  maxIncludeDepth?: number;
}

/** The schema-wide hooks the cost walk reads from `schema.extensions.clarify`. */
export interface SchemaCostHooks {
  checkArguments?: ArgumentCheck;
}

/**
 * Predicts how many upstream calls an operation will make, from the operation alone, before it
 * runs: root lists by their page size, relationships reachable by `include` at no cost, and the
 * rest per parent record. It also runs the schema's argument checks, so an invalid filter is
 * rejected (as a `GraphQLError`) with no upstream call.
 */
export function predictUpstreamCalls(input: CostInput): number {
  const operation = findOperation(input.document, input.operationName);
  if (!operation) return 0;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of input.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const coerced = getVariableValues(input.schema, operation.variableDefinitions ?? [], input.variables ?? {});
  const variables = coerced.coerced ?? { ...(input.variables ?? {}) };
  const hooks = (input.schema.extensions as { clarify?: SchemaCostHooks } | undefined)?.clarify ?? {};
  const walker = new CostWalker({ fragments, variables }, input.maxIncludeDepth ?? DEFAULT_INCLUDE_DEPTH, hooks);
  const rootType =
    operation.operation === 'mutation' ? input.schema.getMutationType() : operation.operation === 'query' ? input.schema.getQueryType() : null;
  if (!rootType) return 0;
  return walker.root(rootType, operation.selectionSet);
}

function findOperation(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (name) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}

class CostWalker {
  constructor(
    private readonly scope: WalkScope,
    private readonly maxDepth: number,
    private readonly hooks: SchemaCostHooks,
  ) {}

  root(type: GraphQLObjectType, selectionSet: SelectionSetNode): number {
    let calls = 0;
    for (const node of collectFieldNodes([selectionSet], this.scope)) {
      const definition = type.getFields()[node.name.value];
      if (!definition) continue;
      const info = clarifyInfo(definition);
      const args = this.args(definition, node);
      if (info?.role === 'list') {
        this.check(info.object, args);
        const size = pageSize(args);
        const record = recordTypeOfConnection(getNamedType(definition.type));
        calls += pagesFor(size) + (needsTotal(args) ? 1 : 0);
        if (record) calls += this.records(record, connectionNodeSelections([node], this.scope), 0, size);
      } else if (info?.role === 'single') {
        const record = getNamedType(definition.type);
        calls += 1;
        if (isObjectType(record) && node.selectionSet) calls += this.records(record, [node.selectionSet], 0, 1);
      } else if (type.name === 'Mutation') {
        calls += mutationCalls(definition, args);
        // A bulk payload holds a result per item of its list argument (`inputs`, `ids`).
        const items = Math.max(1, ...Object.values(args).map((value) => (Array.isArray(value) ? value.length : 0)));
        calls += this.nested(definition, node, items);
      }
    }
    return calls;
  }

  /** Calls to resolve the selections of `parents` records fetched with `depth` include levels used. */
  private records(type: GraphQLObjectType, sets: readonly SelectionSetNode[], depth: number, parents: number): number {
    if (parents === 0) return 0;
    let calls = 0;
    const fields = type.getFields();
    for (const node of collectFieldNodes(sets, this.scope)) {
      const definition = fields[node.name.value];
      const info = clarifyInfo(definition);
      if (!definition || !info) continue;
      if (info.role === 'user') {
        calls += 1;
      } else if (info.role === 'paged' || info.role === 'endpointConnection') {
        const args = this.args(definition, node);
        const size = pageSize(args);
        calls += parents * (pagesFor(size) + (needsTotal(args) ? 1 : 0));
        const target = info.role === 'endpointConnection' ? recordTypeOfConnection(getNamedType(definition.type)) : undefined;
        if (info.role === 'endpointConnection') this.check(info.target, args);
        if (target) calls += this.records(target, connectionNodeSelections([node], this.scope), 0, parents * size);
      } else if (info.role === 'reference') {
        const target = getNamedType(definition.type);
        const sub = node.selectionSet ? [node.selectionSet] : [];
        if (!isObjectType(target)) continue;
        if (depth + 1 <= this.maxDepth) calls += this.records(target, sub, depth + 1, parents);
        else calls += parents + this.records(target, sub, 0, parents);
      } else if (info.role === 'toMany') {
        const args = this.args(definition, node);
        const size = pageSize(args);
        const target = recordTypeOfConnection(getNamedType(definition.type));
        const sub = connectionNodeSelections([node], this.scope);
        if (needsRelationshipEndpoint(node, this.scope)) {
          this.check(info.target, args);
          calls += parents * (pagesFor(size) + (needsTotal(args) ? 1 : 0));
          if (target) calls += this.records(target, sub, 0, parents * size);
        } else if (depth + 1 <= this.maxDepth) {
          if (target) calls += this.records(target, sub, depth + 1, parents * size);
        } else {
          calls += parents * pagesFor(size);
          if (target) calls += this.records(target, sub, 0, parents * size);
        }
      }
    }
    return calls;
  }

  /**
   * Record fields below a mutation payload. The written record comes back without `include`, so
   * its relationships are costed as loads per record (as beyond the include depth).
   */
  private nested(definition: GraphQLField<unknown, unknown>, node: FieldNode, parents: number): number {
    const payload = getNamedType(definition.type);
    if (!isObjectType(payload) || !node.selectionSet) return 0;
    let calls = 0;
    for (const child of collectFieldNodes([node.selectionSet], this.scope)) {
      const field = payload.getFields()[child.name.value];
      const target = field ? getNamedType(field.type) : undefined;
      if (!isObjectType(target) || !child.selectionSet) continue;
      if (target.getInterfaces().some((i) => i.name === 'Record')) {
        calls += this.records(target, [child.selectionSet], this.maxDepth, parents);
      } else calls += this.nested(field!, child, parents);
    }
    return calls;
  }

  private args(definition: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    try {
      return getArgumentValues(definition, node, this.scope.variables);
    } catch {
      // Invalid arguments fail GraphQL validation with their own message; cost them as absent.
      return {};
    }
  }

  private check(object: string, args: Record<string, unknown>): void {
    this.hooks.checkArguments?.({ object, args });
  }
}

function pageSize(args: Record<string, unknown>): number {
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : DEFAULT_PAGE_SIZE;
  return Math.max(0, size);
}

function needsTotal(args: Record<string, unknown>): boolean {
  return typeof args.last === 'number' && args.before == null;
}

/** Upstream calls of a mutation field: its `extensions.clarifyCalls` rule, else one. */
function mutationCalls(definition: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  const rule: unknown = definition.extensions?.clarifyCalls;
  if (typeof rule === 'function') {
    const value: unknown = rule(args);
    return typeof value === 'number' ? value : 1;
  }
  return 1;
}

