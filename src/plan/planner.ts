import {
  GraphQLError,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import {
  EVERYTHING,
  TIMELINES,
  deletedTag,
  familyOf,
  listTag,
  type PlannedWrite,
  type RecordPosition,
  type WriteEffect,
} from './effects.js';
import {
  clarifyInfo,
  mutationScope,
  recordObjectOf,
  schemaPlanInfo,
  scopeAllows,
  writeInfoOf,
  type AccessScope,
  type ClarifyFieldInfo,
} from './field-info.js';
import { unusableIdArgument } from './ids.js';
import { nodeTarget } from './global-id.js';
import type { FilterVocabulary } from './filter.js';
import { connectionCalls, pageSize, pagesFor } from './paging.js';
import { OperationPlan, type ListPlan, type PlanEntry } from './plan.js';
import { fieldsByResponseKey, type WalkScope } from './selection.js';

import {
  LIST_VALUE_ARGUMENTS,
  NO_ARGUMENTS,
  SINGLE_VALUE_ARGUMENTS,
  argumentValues,
  listArguments,
  listCalls,
  listOf,
  shareKeyOf,
  variablesIn,
  type Keyed,
} from './arguments.js';
import { bindPlan, trackReads, type ListSite, type ShareSite } from './bind-plan.js';

/** How many dotted levels `include` may go (`people.company_id.deals` is three). */
export const DEFAULT_INCLUDE_DEPTH = 3;

export interface PlanInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  /** Coerced variable values. */
  variables: Record<string, unknown>;
  /** Dotted `include` levels the upstream accepts. */
  maxIncludeDepth?: number;
}

export interface PlannedOperation {
  plan: OperationPlan;
  /**
   * The variables the plan's shape depends on: any request that agrees on their values gets a
   * plan of the same shape (`@skip`/`@include` conditions, page sizes, a mutation's arguments).
   * Without `bind`, every variable the walk read.
   */
  readVariables: string[];
  /**
   * Present when some variables only fill values into the plan (cursors, filter operands and
   * order, the id of a root field): the plan for another request that agrees on `readVariables`,
   * with those values taken from its variables, or undefined when they would change the plan's
   * shape (a page size or call count, a refusal, which root fields share a record).
   */
  bind?: (variables: Record<string, unknown>) => OperationPlan | undefined;
}

/**
 * Plans an operation in one walk of its selections (fragments, inline fragments, aliases,
 * `@skip`/`@include` and variables applied): for every response path, how its records are
 * fetched, with which `include`, filter, sort and page, and what the whole costs in upstream calls.
 */
export function planOperation(input: PlanInput): PlannedOperation {
  const read = new Set<string>();
  const variables = trackReads(input.variables, read);
  const filters = schemaPlanInfo(input.schema)?.filters;
  const planner = new Planner(
    input.schema,
    input.operation.operation,
    { fragments: input.fragments, variables, onIncremental: () => planner.incremental() },
    input.variables,
    read,
    filters,
    input.maxIncludeDepth ?? DEFAULT_INCLUDE_DEPTH,
  );
  const rootType =
    input.operation.operation === 'mutation'
      ? input.schema.getMutationType()
      : input.operation.operation === 'subscription'
        ? input.schema.getSubscriptionType()
        : input.schema.getQueryType();
  if (rootType) planner.root(rootType, input.operation.selectionSet);
  const plan = planner.finish();
  const { bound, sites, shares } = planner;
  if (bound.size === 0 || plan.refused || plan.invalidId) {
    // A refusal may hang on any value; such a plan is kept for exactly these values.
    return { plan, readVariables: [...new Set([...read, ...bound])].sort() };
  }
  return {
    plan,
    readVariables: [...read].sort(),
    bind: (values) => bindPlan(plan, sites, shares, filters, values),
  };
}

/** The operation a request names in its document, with its variables coerced; undefined when there is none. */
export function requestedOperation(input: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | null | undefined;
  operationName?: string | null | undefined;
}): { operation: OperationDefinitionNode; variables: Record<string, unknown> } | undefined {
  const operation = getOperationAST(input.document, input.operationName);
  if (!operation) return undefined;
  const raw = input.variables ?? {};
  const definitions = operation.variableDefinitions ?? [];
  // Nothing to coerce without definitions (most repeated operations take literal arguments).
  if (definitions.length === 0) return { operation, variables: raw };
  const coerced = getVariableValues(input.schema, definitions, raw);
  return { operation, variables: coerced.coerced ?? { ...raw } };
}

/** Finds the operation in a document and coerces raw variables, then plans it. */
export function planDocument(input: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}): PlannedOperation | undefined {
  const requested = requestedOperation(input);
  if (!requested) return undefined;
  return planOperation({ schema: input.schema, ...requested, fragments: fragmentsOf(input.document) });
}

export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

/** Include paths of one fetch, and where the current level sits below it. */
interface Collector {
  paths: Set<string>;
  prefix: string[];
}

/** Where a set of records stands: who collects `include` paths for it, and how deep its fetch already includes. */
interface Level {
  collectors: Collector[];
  /** Include levels the fetch that brings these records has used; `maxDepth` means none left. */
  depth: number;
}

interface Share {
  paths: Set<string>;
  entries: { key: string; object: string }[];
}

function keyedOf(nodes: FieldNode[], scope: WalkScope, defaultOrder: boolean): Keyed {
  return { countTotal: [...fieldsByResponseKey(selectionSets(nodes), scope).values()].some((f) => f[0]?.name.value === 'totalCount'), defaultOrder };
}

/** What a mutation field without declared effects is taken to change: everything. */
const UNDECLARED_EFFECTS: readonly WriteEffect[] = [{ change: 'schema' }];

type NodeInfo = Extract<ClarifyFieldInfo, { role: 'node' | 'nodes' }>;

class Planner {
  private readonly entries = new Map<string, PlanEntry>();
  /** Variables read only as values the plan can take again from another request's variables. */
  readonly bound = new Set<string>();
  readonly sites: ListSite[] = [];
  readonly shares: ShareSite[] = [];
  private readonly includes = new Map<string, Set<string>>();
  private readonly shareGroups = new Map<string, Share>();
  private predicted = 0;
  private max = 0;
  /** The first refusal below the root field being planned. */
  private refusal: GraphQLError | undefined;
  private exact = true;
  /** What a caller's token needs: `read`, or for a mutation its most demanding root field's scope. */
  private access: AccessScope = 'read';
  /** What a query reads, for the response cache. */
  private readonly readTags = new Set<string>([EVERYTHING]);
  private readonly readPositions: RecordPosition[] = [];
  /** Where `records` notes record positions: the read's, or a mutation payload's. */
  private positions = this.readPositions;
  private cacheable = true;
  private incrementalDelivery = false;
  private readonly writes: PlannedWrite[] = [];
  private invalidId: GraphQLError | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly operation: OperationDefinitionNode['operation'],
    private readonly scope: WalkScope,
    /** The variables themselves, for arguments: `args` notes which of them it read, and as what. */
    private readonly values: Record<string, unknown>,
    private readonly read: Set<string>,
    private readonly filters: FilterVocabulary | undefined,
    private readonly maxDepth: number,
  ) {}

  finish(): OperationPlan {
    const entries = new Map<string, PlanEntry>();
    for (const [key, entry] of this.entries) {
      const paths = this.includes.get(key);
      const include = paths ? [...paths].sort() : [];
      if (entry.kind === 'refused') entries.set(key, entry);
      else if (entry.kind === 'nodes') {
        const items = entry.items.map((item) => ({ share: item.share, include: [...(this.shareGroups.get(item.share)?.paths ?? [])].sort() }));
        entries.set(key, { ...entry, items });
      } else if (entry.kind === 'write') entries.set(key, { ...entry, recordInclude: include });
      else entries.set(key, { ...entry, include });
    }
    const exact = this.exact && this.predicted === this.max;
    const tags = [...this.readTags];
    const families = new Set([...tags.map(familyOf), ...this.readPositions.map((position) => position.object)]);
    return new OperationPlan(
      entries,
      { predictedCalls: this.predicted, maxCalls: this.max, exact },
      { reads: { cacheable: this.cacheable && !this.incrementalDelivery, tags, records: this.readPositions, families: [...families] }, writes: this.writes },
      this.incrementalDelivery,
      this.invalidId,
      this.access,
    );
  }

  /** Incremental delivery answers in parts: the standard executor runs it, and it is never cached. */
  incremental(): void {
    this.incrementalDelivery = true;
  }

  /**
   * A root field whose arguments, or whose nested fields' arguments, cannot be served is refused
   * as a whole, with no call (its records would only carry errors); its siblings still run.
   */
  root(type: GraphQLObjectType, selectionSet: SelectionSetNode): void {
    for (const [key, nodes] of fieldsByResponseKey([selectionSet], this.scope)) {
      const definition = fieldOf(type, nodes);
      // Introspection answers are the schema's, not the workspace's data: never cached.
      if (nodes[0]?.name.value.startsWith('__') && nodes[0].name.value !== '__typename') this.cacheable = false;
      if (!definition) {
        this.scan(nodes);
        continue;
      }
      if (this.operation === 'mutation' && !scopeAllows(this.access, mutationScope(definition))) this.access = mutationScope(definition);
      const info = clarifyInfo(definition);
      const before = { predicted: this.predicted, max: this.max };
      this.refusal = undefined;
      if (info?.role === 'list') this.rootList(key, definition, nodes, info.object, info.feed, info.keyset === true);
      else if (info?.role === 'single') this.rootSingle(key, definition, nodes, info.object);
      else if (info?.role === 'changes') this.rootChanges(key, definition, nodes, info.object);
      else if (info?.role === 'node') this.rootNode(key, definition, nodes, info);
      else if (info?.role === 'nodes') this.rootNodes(key, definition, nodes, info);
      else this.payload(key, definition, nodes);
      if (this.refusal) {
        this.entries.set(key, { kind: 'refused', error: this.refusal });
        this.predicted = before.predicted;
        this.max = before.max;
        for (const [shareKey, share] of this.shareGroups) {
          share.entries = share.entries.filter((entry) => entry.key !== key);
          if (share.entries.length === 0) this.shareGroups.delete(shareKey);
        }
      }
    }
  }

  private rootList(
    key: string,
    definition: GraphQLField<unknown, unknown>,
    nodes: FieldNode[],
    object: string,
    feed: 'deleted' | undefined,
    keyset: boolean,
  ): void {
    const list = this.listPlan(key, definition, nodes, object, keyset ? keyedOf(nodes, this.scope, true) : undefined);
    if (!list) return;
    this.readTags.add(feed === 'deleted' ? deletedTag(object) : listTag(object));
    const paths = this.collector(key);
    this.entries.set(key, { kind: 'list', object, include: [], list: listOf(list) });
    const calls = listCalls(list);
    this.calls(calls.predicted, calls.extra);
    if (calls.extra > 0) this.exact = false;
    const record = recordTypeOfConnection(getNamedType(definition.type));
    if (record) this.connection(record, nodes, key, { collectors: [{ paths, prefix: [] }], depth: 0 }, pageSize(list.page));
  }

  /** Root fields reading the same record by id share one call, with their includes merged. */
  private rootSingle(key: string, definition: GraphQLField<unknown, unknown>, nodes: FieldNode[], object: string): void {
    const args = this.args(definition, nodes, SINGLE_VALUE_ARGUMENTS);
    const shareKey = shareKeyOf(object, key, args);
    this.shares.push({ key, definition, node: nodes[0], object, share: shareKey });
    const record = getNamedType(definition.type);
    this.single(key, nodes, object, shareKey, isObjectType(record) ? record : undefined);
  }

  /** `node(id)`: planned as the typed root field of the kind its global id names (`deal(id)` for a deal). */
  private rootNode(key: string, definition: GraphQLField<unknown, unknown>, nodes: FieldNode[], info: NodeInfo): void {
    const args = this.args(definition, nodes, SINGLE_VALUE_ARGUMENTS);
    const target = this.nodeTarget(key, args.id, info);
    if (!target) return;
    const shareKey = shareKeyOf(target.kind, key, { id: target.id.id });
    this.shares.push({ key, definition, node: nodes[0], object: target.kind, share: shareKey, nodeTypes: info.types });
    this.single(key, nodes, target.kind, shareKey, target.type);
  }

  /**
   * `nodes(ids)`: one read per distinct id, each shared with the operation's other reads of the
   * same record; the selection is planned once per kind, over that kind's records.
   */
  private rootNodes(key: string, definition: GraphQLField<unknown, unknown>, nodes: FieldNode[], info: NodeInfo): void {
    const args = this.args(definition, nodes);
    const ids = info.ids ? info.ids(args) : Array.isArray(args.ids) ? args.ids : [];
    if (ids instanceof GraphQLError) {
      this.entries.set(key, { kind: 'refused', error: ids });
      this.refusal ??= ids;
      return;
    }
    const items: { share: string; include: string[] }[] = [];
    const kinds = new Map<string, { type: GraphQLObjectType; collectors: Collector[] }>();
    for (const value of ids) {
      const target = this.nodeTarget(key, value, info);
      if (!target) return;
      const shareKey = shareKeyOf(target.kind, key, { id: target.id.id });
      items.push({ share: shareKey, include: [] });
      let kind = kinds.get(target.kind);
      if (!kind) kinds.set(target.kind, (kind = { type: target.type, collectors: [] }));
      const known = this.shareGroups.get(shareKey)?.entries.some((entry) => entry.key === key);
      if (known) continue;
      const share = this.shareGroup(shareKey, key, target.kind);
      kind.collectors.push({ paths: share.paths, prefix: [] });
    }
    this.entries.set(key, { kind: 'nodes', include: [], items });
    // Several users come from one read of `/users`: fewer calls than planned.
    if ((kinds.get('user')?.collectors.length ?? 0) > 1) this.exact = false;
    for (const { type, collectors } of kinds.values()) {
      this.records(type, selectionSets(nodes), key, { collectors, depth: 0 }, collectors.length);
    }
  }

  /** The node kind and type a global id names; a refusal of the field when it names none. */
  private nodeTarget(key: string, value: unknown, info: NodeInfo): { id: { id: string }; kind: string; type: GraphQLObjectType } | undefined {
    const target = nodeTarget(value, info.types);
    const type = target instanceof GraphQLError ? undefined : this.schema.getType(target.typeName);
    if (!(target instanceof GraphQLError) && isObjectType(type)) return { id: target.id, kind: target.kind, type };
    const error = target instanceof GraphQLError ? target : new GraphQLError(`No type ${target.typeName}.`);
    this.entries.set(key, { kind: 'refused', error });
    this.refusal ??= error;
    return undefined;
  }

  /** One record read by a root field, under a share key: one call per share group, includes merged. */
  private single(key: string, nodes: FieldNode[], object: string, shareKey: string, record: GraphQLObjectType | undefined): void {
    const share = this.shareGroup(shareKey, key, object);
    this.includes.set(key, share.paths);
    this.entries.set(key, { kind: 'single', object, include: [], share: shareKey });
    if (record) this.records(record, selectionSets(nodes), key, { collectors: [{ paths: share.paths, prefix: [] }], depth: 0 }, 1, object);
  }

  private shareGroup(shareKey: string, key: string, object: string): Share {
    let share = this.shareGroups.get(shareKey);
    if (!share) {
      share = { paths: new Set(), entries: [] };
      this.shareGroups.set(shareKey, share);
      this.calls(1);
    }
    share.entries.push({ key, object });
    return share;
  }

  /**
   * A subscription's change feed. It costs the operation no call: its polls are shared by every
   * subscriber of the same filter and counted apart. Each change's record arrives with the poll,
   * which includes what `record` selects, so its relationships are planned as included ones.
   */
  private rootChanges(key: string, definition: GraphQLField<unknown, unknown>, nodes: FieldNode[], object: string): void {
    const list = this.listPlan(key, definition, nodes, object);
    if (!list) return;
    const paths = this.collector(key);
    this.entries.set(key, { kind: 'changes', object, include: [], filter: list.filter });
    const change = getNamedType(definition.type);
    if (!isObjectType(change)) return;
    for (const [childKey, children] of fieldsByResponseKey(selectionSets(nodes), this.scope)) {
      const field = fieldOf(change, children);
      const record = field ? getNamedType(field.type) : undefined;
      if (field?.name !== 'record' || !isObjectType(record)) continue;
      this.records(record, selectionSets(children), `${key}.${childKey}`, { collectors: [{ paths, prefix: [] }], depth: 0 }, 1);
    }
  }

  /**
   * A mutation or subscription field: its own calls, then the records in its payload, which
   * arrive without `include`, so their relationships cost per record. A write that reads its
   * record back does so with the includes of the payload's `record`.
   */
  private payload(key: string, definition: GraphQLField<unknown, unknown>, nodes: FieldNode[]): void {
    const args = this.args(definition, nodes);
    const paths = this.collector(key);
    const write = writeInfoOf(definition);
    if (write || this.operation === 'mutation') {
      // A mutation that states no rule makes one call.
      this.calls(write ? write.calls(args) : 1);
      this.entries.set(key, { kind: 'write', recordInclude: [] });
    }
    // A bulk payload holds a result per item of its list argument (`inputs`, `ids`).
    const items = Math.max(1, ...Object.values(args).map((value) => (Array.isArray(value) ? value.length : 0)));
    if (this.operation !== 'mutation') {
      this.payloadRecords(definition, nodes, key, items, paths);
      return;
    }
    this.positions = [];
    this.payloadRecords(definition, nodes, key, items, paths);
    // A mutation that declares no effects may have changed anything.
    this.writes.push({ key, effects: write?.effects ?? UNDECLARED_EFFECTS, args, payload: this.positions });
    this.positions = this.readPositions;
  }

  private payloadRecords(definition: GraphQLField<unknown, unknown>, nodes: FieldNode[], path: string, parents: number, paths: Set<string> | undefined): void {
    const payload = getNamedType(definition.type);
    if (!isObjectType(payload)) return;
    for (const [key, children] of fieldsByResponseKey(selectionSets(nodes), this.scope)) {
      const field = fieldOf(payload, children);
      const target = field ? getNamedType(field.type) : undefined;
      if (!field || !isObjectType(target)) continue;
      const childPath = `${path}.${key}`;
      if (target.getInterfaces().some((i) => i.name === 'Record')) {
        const collectors = paths && field.name === 'record' ? [{ paths, prefix: [] }] : [];
        this.records(target, selectionSets(children), childPath, { collectors, depth: this.maxDepth }, parents);
      } else if (Object.values(target.getFields()).some((inner) => clarifyInfo(inner))) {
        // Not a record but read like one (a saved list and its `records`).
        this.records(target, selectionSets(children), childPath, { collectors: [], depth: this.maxDepth }, parents);
      } else this.payloadRecords(field, children, childPath, parents, undefined);
    }
  }

  /**
   * The fields below `parents` records of `type` that arrive at `level`; the path is noted as a
   * record position of the type's object (or `object`, for a type that wraps a record).
   */
  private records(type: GraphQLObjectType, sets: SelectionSetNode[], path: string, level: Level, parents: number, object?: string): void {
    if (parents === 0) {
      this.scanSets(sets);
      return;
    }
    const recordObject = recordObjectOf(type) ?? object;
    const position: RecordPosition | undefined = recordObject === undefined ? undefined : { path: path.split('.'), object: recordObject, type: type.name, idKey: undefined };
    if (position) this.positions.push(position);
    for (const [key, nodes] of fieldsByResponseKey(sets, this.scope, type)) {
      const definition = fieldOf(type, nodes);
      if (position && (definition?.name === 'id' || definition?.name === 'clarifyId') && !nodes.some((node) => node.arguments?.length)) position.idKey ??= key;
      const info = clarifyInfo(definition);
      if (!definition || !info) {
        this.scan(nodes);
        continue;
      }
      const childPath = `${path}.${key}`;
      if (info.role === 'user') {
        this.scan(nodes);
        // Users are few: every user a request needs comes from one read of `/users`, or one GET.
        this.calls(1);
        this.exact = false;
      } else if (info.role === 'reference') {
        const target = getNamedType(definition.type);
        if (!isObjectType(target)) continue;
        const own = this.collector(childPath);
        const collectors = [...this.advance(level.collectors, info.field), { paths: own, prefix: [] }];
        if (level.depth + 1 <= this.maxDepth) {
          this.entries.set(childPath, { kind: 'reference', route: 'included', include: [] });
          this.records(target, selectionSets(nodes), childPath, { collectors, depth: level.depth + 1 }, parents);
        } else {
          this.entries.set(childPath, { kind: 'reference', route: 'loader', include: [] });
          this.calls(parents);
          this.exact = false;
          this.records(target, selectionSets(nodes), childPath, { collectors, depth: 0 }, parents);
        }
      } else if (info.role === 'toMany') {
        this.toMany(childPath, definition, nodes, info.target, info.field, level, parents);
      } else if (info.role === 'paged' || info.role === 'endpointConnection') {
        if (info.role === 'paged' && info.timeline) this.readTags.add(TIMELINES);
        if (info.role === 'endpointConnection') this.readTags.add(listTag(info.target));
        this.paged(childPath, definition, nodes, info.role === 'endpointConnection' ? info.target : undefined, parents);
      }
    }
  }

  private toMany(
    path: string,
    definition: GraphQLField<unknown, unknown>,
    nodes: FieldNode[],
    object: string,
    field: string,
    level: Level,
    parents: number,
  ): void {
    // Ordered on a number, date or date-time, the relationship endpoint pages by key.
    const list = this.listPlan(path, definition, nodes, object, keyedOf(nodes, this.scope, false));
    if (!list) return;
    this.readTags.add(listTag(object));
    const own = this.collector(path);
    const record = recordTypeOfConnection(getNamedType(definition.type));
    const size = pageSize(list.page);
    const perParent = connectionCalls(list.page);
    if (list.viaEndpoint) {
      this.entries.set(path, { kind: 'toMany', route: 'endpoint', include: [], list: listOf(list) });
      const calls = listCalls(list);
      this.calls(parents * calls.predicted, parents * calls.extra);
      if (calls.extra > 0) this.exact = false;
      if (record) this.connection(record, nodes, path, { collectors: [{ paths: own, prefix: [] }], depth: 0 }, parents * size);
      return;
    }
    const collectors = [...this.advance(level.collectors, field), { paths: own, prefix: [] }];
    if (level.depth + 1 <= this.maxDepth) {
      // Cut from the parent's block; an incomplete block reads the relationship endpoint instead.
      this.entries.set(path, { kind: 'toMany', route: 'block', include: [], list: listOf(list) });
      this.calls(0, parents * perParent);
      if (record) this.connection(record, nodes, path, { collectors, depth: level.depth + 1 }, parents * size);
    } else {
      this.entries.set(path, { kind: 'toMany', route: 'loader', include: [], list: listOf(list) });
      this.calls(parents * pagesFor(size), parents * (perParent - pagesFor(size)));
      this.exact = false;
      if (record) this.connection(record, nodes, path, { collectors, depth: 0 }, parents * size);
    }
  }

  /** A connection with an endpoint of its own, one read per parent; its records (if any) come with `include`. */
  private paged(path: string, definition: GraphQLField<unknown, unknown>, nodes: FieldNode[], target: string | undefined, parents: number): void {
    const list = this.listPlan(path, definition, nodes, target);
    if (!list) return;
    const own = this.collector(path);
    this.entries.set(path, { kind: 'paged', include: [], page: list.page, ...(target ? { list: listOf(list) } : {}) });
    this.calls(parents * connectionCalls(list.page));
    const record = target ? recordTypeOfConnection(getNamedType(definition.type)) : undefined;
    if (record) {
      this.connection(record, nodes, path, { collectors: [{ paths: own, prefix: [] }], depth: 0 }, parents * pageSize(list.page));
    } else this.scan(nodes);
  }

  /** The record selections below a connection field: `nodes` and `edges { node }`, each under its own response key. */
  private connection(record: GraphQLObjectType, nodes: FieldNode[], path: string, level: Level, parents: number): void {
    for (const [key, children] of fieldsByResponseKey(selectionSets(nodes), this.scope)) {
      const name = children[0]?.name.value;
      if (name === 'nodes') this.records(record, selectionSets(children), `${path}.${key}`, level, parents);
      else if (name === 'edges') {
        for (const [edgeKey, edgeFields] of fieldsByResponseKey(selectionSets(children), this.scope)) {
          if (edgeFields[0]?.name.value === 'node') {
            this.records(record, selectionSets(edgeFields), `${path}.${key}.${edgeKey}`, level, parents);
          } else this.scan(edgeFields);
        }
      } else this.scan(children);
    }
  }

  /**
   * Selections the plan has nothing to say about (plain objects, page info, users), read only for
   * what they ask of delivery: `@defer` or `@stream` anywhere makes the operation incremental.
   */
  private scan(nodes: readonly FieldNode[]): void {
    this.scanSets(selectionSets(nodes));
  }

  private scanSets(sets: readonly SelectionSetNode[]): void {
    for (const [, children] of fieldsByResponseKey(sets, this.scope)) this.scan(children);
  }

  /** Filter, sort and page of a list field, checked; a refusal is recorded as the field's entry. */
  private listPlan(
    path: string,
    definition: GraphQLField<unknown, unknown>,
    nodes: FieldNode[],
    object: string | undefined,
    keyed?: Keyed,
  ): (ListPlan & { viaEndpoint: boolean }) | undefined {
    const bound = this.bound.size;
    const args = this.args(definition, nodes, LIST_VALUE_ARGUMENTS);
    try {
      const list = listArguments(this.filters, object, args, keyed);
      const node = nodes[0];
      if (this.bound.size > bound && node) {
        const { page, viaEndpoint } = list;
        const calls = listCalls(list);
        this.sites.push({ path, definition, node, object, size: pageSize(page), calls: calls.predicted, extra: calls.extra, viaEndpoint, keyed });
      }
      return list;
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      this.entries.set(path, { kind: 'refused', error });
      this.refusal ??= error;
      return undefined;
    }
  }

  /** Adds `field` to every collector that has an include level left, and returns them one level down. */
  private advance(collectors: Collector[], field: string): Collector[] {
    const next: Collector[] = [];
    for (const collector of collectors) {
      if (collector.prefix.length >= this.maxDepth) continue;
      const prefix = [...collector.prefix, field];
      collector.paths.add(prefix.join('.'));
      next.push({ paths: collector.paths, prefix });
    }
    return next;
  }

  private collector(path: string): Set<string> {
    const paths = new Set<string>();
    this.includes.set(path, paths);
    return paths;
  }

  private calls(expected: number, extraAtMost = 0): void {
    this.predicted += expected;
    this.max += expected + extraAtMost;
  }

  /**
   * The field's arguments. Variables in `valueArguments` are noted as bound (the plan takes their
   * values again when reused); variables in any other argument shape the plan.
   */
  private args(definition: GraphQLField<unknown, unknown>, nodes: FieldNode[], valueArguments: ReadonlySet<string> = NO_ARGUMENTS): Record<string, unknown> {
    const node = nodes[0];
    if (!node) return {};
    for (const argument of node.arguments ?? []) {
      const names = valueArguments.has(argument.name.value) ? this.bound : this.read;
      for (const name of variablesIn(argument.value)) names.add(name);
    }
    let values: Record<string, unknown>;
    try {
      values = argumentValues(definition, node, this.values);
    } catch {
      // Invalid arguments fail GraphQL validation with their own message; plan them as absent.
      return {};
    }
    this.invalidId ??= unusableIdArgument(definition, node, values);
    return values;
  }
}

function fieldOf(type: GraphQLObjectType, nodes: FieldNode[]): GraphQLField<unknown, unknown> | undefined {
  const name = nodes[0]?.name.value;
  return name === undefined ? undefined : type.getFields()[name];
}

function selectionSets(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

/** The record type inside a connection type (the type of its `nodes` field). */
export function recordTypeOfConnection(connection: unknown): GraphQLObjectType | undefined {
  if (!isObjectType(connection)) return undefined;
  const nodes = connection.getFields().nodes;
  const named = nodes ? getNamedType(nodes.type) : undefined;
  return isObjectType(named) ? named : undefined;
}
