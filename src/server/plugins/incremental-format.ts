import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import {
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLSchema,
  type InlineFragmentNode,
  type FragmentSpreadNode,
  type FieldNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Rewrites incremental payloads from the format of 2022 (`deferSpec=20220824`: each `incremental`
 * entry names its `path` and `label`), which the executor emits, into the current one (graphql-js
 * 17.0.0-alpha.9, `incrementalSpec=v0.2`): every deferred fragment and stream is announced in
 * `pending` with an id in the payload that first holds its parent, `incremental` entries name that
 * id, and `completed` closes it. The announcements come from walking the operation over the data
 * already sent, with the schema for the type conditions.
 */

type Path = readonly (string | number)[];

interface PendingEntry {
  id: string;
  path: Path;
  label?: string;
}

interface Announced extends PendingEntry {
  kind: 'defer' | 'stream';
  /** What the deferred fragment selects, or each streamed item. */
  selectionSet: SelectionSetNode | undefined;
  type: GraphQLCompositeType | undefined;
}

interface LegacyIncremental {
  data?: Record<string, unknown> | null;
  items?: unknown[] | null;
  path?: Path;
  label?: string;
  errors?: readonly GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** One payload of an incremental result, in either format. */
export interface IncrementalPayload {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLError[];
  hasNext?: boolean;
  incremental?: readonly unknown[];
  pending?: readonly PendingEntry[];
  completed?: readonly { id: string; errors?: readonly GraphQLError[] }[];
  extensions?: Record<string, unknown>;
}

type Variables = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const keyOf = (path: Path, label: string | undefined) => `${JSON.stringify(path)}\u0000${label ?? ''}`;

export class IncrementalFormatConverter {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly open = new Map<string, Announced[]>();
  private readonly byId = new Map<string, Announced>();
  private nextId = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly document: DocumentNode,
    private readonly operationName: string | null | undefined,
    private readonly variables: Variables,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  /** The same payload in the current format. */
  convert(payload: IncrementalPayload): IncrementalPayload {
    const { incremental: legacy, hasNext, ...rest } = payload;
    const pending: Announced[] = [];
    const incremental: unknown[] = [];
    const completed: { id: string; errors?: readonly GraphQLError[] }[] = [];

    if ('data' in payload && legacy === undefined) {
      const operation = this.operation();
      const root = operation && this.schema.getRootType(operation.operation);
      if (operation && root && isRecord(payload.data)) this.walk(root, operation.selectionSet, payload.data, [], pending);
    }
    for (const raw of legacy ?? []) {
      const entry = raw as LegacyIncremental;
      const path = entry.path ?? [];
      if ('items' in entry) {
        const listPath = path.slice(0, -1);
        const start = Number(path[path.length - 1] ?? 0);
        const stream = this.claim('stream', listPath, entry.label, pending);
        const items = entry.items ?? [];
        if (entry.items === null) {
          this.close(stream);
          completed.push({ id: stream.id, ...(entry.errors ? { errors: entry.errors } : {}) });
        } else incremental.push({ id: stream.id, items, ...(entry.errors ? { errors: entry.errors } : {}), ...(entry.extensions ? { extensions: entry.extensions } : {}) });
        if (stream.type && stream.selectionSet) {
          items.forEach((item, index) => this.walkValue(stream.type!, stream.selectionSet!, item, [...listPath, start + index], pending));
        }
        continue;
      }
      const fragment = this.claim('defer', path, entry.label, pending);
      this.close(fragment);
      if (entry.data === null || entry.data === undefined) {
        completed.push({ id: fragment.id, ...(entry.errors ? { errors: entry.errors } : {}) });
        continue;
      }
      incremental.push({ id: fragment.id, data: entry.data, ...(entry.errors ? { errors: entry.errors } : {}), ...(entry.extensions ? { extensions: entry.extensions } : {}) });
      if (fragment.type && fragment.selectionSet) this.walk(fragment.type, fragment.selectionSet, entry.data, path, pending);
      completed.push({ id: fragment.id });
    }
    // The executor says nothing when a stream ends or a fragment never runs (its parent became
    // null); the last payload closes whatever is still open.
    if (hasNext === false) {
      for (const announced of this.byId.values()) completed.push({ id: announced.id });
      this.byId.clear();
      this.open.clear();
    }
    return {
      ...rest,
      ...(pending.length > 0 ? { pending: pending.map(({ id, path, label }) => ({ id, path, ...(label === undefined ? {} : { label }) })) } : {}),
      ...(incremental.length > 0 ? { incremental } : {}),
      ...(completed.length > 0 ? { completed } : {}),
      ...(hasNext === undefined ? {} : { hasNext }),
    };
  }

  private operation() {
    for (const definition of this.document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      if (!this.operationName || definition.name?.value === this.operationName) return definition;
    }
    return undefined;
  }

  /** The announced entry a payload belongs to; announced now if the walk did not foresee it. */
  private claim(kind: Announced['kind'], path: Path, label: string | undefined, pending: Announced[]): Announced {
    return this.open.get(keyOf(path, label))?.find((entry) => entry.kind === kind) ?? this.announce(kind, path, label, undefined, undefined, pending);
  }

  /** No payload will name it again. */
  private close(announced: Announced): void {
    const key = keyOf(announced.path, announced.label);
    const queue = this.open.get(key)?.filter((entry) => entry !== announced) ?? [];
    if (queue.length > 0) this.open.set(key, queue);
    else this.open.delete(key);
    this.byId.delete(announced.id);
  }

  private announce(
    kind: Announced['kind'],
    path: Path,
    label: string | undefined,
    selectionSet: SelectionSetNode | undefined,
    type: GraphQLCompositeType | undefined,
    pending: Announced[],
  ): Announced {
    const announced: Announced = { id: String(this.nextId++), path, kind, selectionSet, type, ...(label === undefined ? {} : { label }) };
    const key = keyOf(path, label);
    this.open.set(key, [...(this.open.get(key) ?? []), announced]);
    this.byId.set(announced.id, announced);
    pending.push(announced);
    return announced;
  }

  private included(node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, node, this.variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, this.variables)?.['if'] !== false;
  }

  private directive(kind: 'defer' | 'stream', node: FieldNode | InlineFragmentNode | FragmentSpreadNode): { label?: string } | undefined {
    const values = getDirectiveValues(kind === 'defer' ? GraphQLDeferDirective : GraphQLStreamDirective, node, this.variables);
    if (!values || values['if'] === false) return undefined;
    return typeof values['label'] === 'string' ? { label: values['label'] } : {};
  }

  /** Whether a fragment's type condition holds for this object (true when its type cannot be told). */
  private applies(condition: GraphQLCompositeType, type: GraphQLCompositeType, data: Record<string, unknown>): boolean {
    const typename = data['__typename'];
    const runtime = isObjectType(type) ? type : typeof typename === 'string' ? this.schema.getType(typename) : undefined;
    if (!runtime || !isObjectType(runtime)) return true;
    return condition === runtime || (isAbstractType(condition) && this.schema.isSubType(condition, runtime));
  }

  /** Announces the deferred fragments and streams whose parent `data` (at `path`) holds. */
  private walk(type: GraphQLCompositeType, selectionSet: SelectionSetNode, data: Record<string, unknown>, path: Path, pending: Announced[]): void {
    for (const selection of selectionSet.selections) {
      if (!this.included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const value = data[key];
        const field = 'getFields' in type ? type.getFields()[selection.name.value] : undefined;
        if (value === undefined || value === null || !field) continue;
        const named = getNamedType(field.type);
        const itemType = isCompositeType(named) ? named : undefined;
        const stream = this.directive('stream', selection);
        if (stream && Array.isArray(value)) this.announce('stream', [...path, key], stream.label, selection.selectionSet, itemType, pending);
        if (itemType && selection.selectionSet) this.walkValue(itemType, selection.selectionSet, value, [...path, key], pending);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const conditionName = fragment.typeCondition?.name.value;
      const condition = conditionName ? this.schema.getType(conditionName) : type;
      if (!condition || !isCompositeType(condition) || !this.applies(condition, type, data)) continue;
      const defer = this.directive('defer', selection);
      if (defer) this.announce('defer', path, defer.label, fragment.selectionSet, condition, pending);
      else this.walk(condition, fragment.selectionSet, data, path, pending);
    }
  }

  private walkValue(type: GraphQLCompositeType, selectionSet: SelectionSetNode, value: unknown, path: Path, pending: Announced[]): void {
    if (Array.isArray(value)) value.forEach((item, index) => this.walkValue(type, selectionSet, item, [...path, index], pending));
    else if (isRecord(value)) this.walk(type, selectionSet, value, path, pending);
  }
}
