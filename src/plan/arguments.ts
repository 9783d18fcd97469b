/**
 * Argument decoding for the plan: a field's coerced arguments as the resolvers see them, a list's
 * filter, order, page and key from them, and what a page of it costs in upstream calls.
 */
import { getArgumentValues, Kind, type FieldNode, type GraphQLArgument, type GraphQLField, type ValueNode } from 'graphql';
import { clarifyInfo } from './field-info.js';
import { withClarifyIds } from './global-id.js';
import { compileFilter, orderToSort, type FilterVocabulary } from './filter.js';
import { connectionCalls, pageRequest, pageSize, pagesFor, type ConnectionArgs } from './paging.js';
import type { KeysetPlan, ListPlan } from './plan.js';

/** A list that may page by key: whether its selection wants `totalCount`, and whether its default order is keyed. */
export interface Keyed {
  countTotal: boolean;
  /** Root lists: Clarify's default order (by `_created_at`) is keyed. A relationship's is its block's. */
  defaultOrder: boolean;
}

/** Arguments whose variables only fill values into a list's plan. */
export const LIST_VALUE_ARGUMENTS = new Set(['after', 'before', 'filter', 'orderBy']);

/**
 * A field's coerced arguments, with global ids replaced by the Clarify ids they carry, as the
 * resolvers see them; `node`/`nodes` keep theirs, since the kind in it decides the plan.
 */
export function argumentValues(definition: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const values = getArgumentValues(definition, node, variables);
  const role = clarifyInfo(definition)?.role;
  return role === 'node' || role === 'nodes' ? values : withClarifyIds(definition.args as readonly GraphQLArgument[], values);
}

/** Only reads by id can share; any other single read is a call of its own. */
export function shareKeyOf(object: string, key: string, args: Record<string, unknown>): string {
  return typeof args.id === 'string' ? `${object}\u0000${args.id}` : `\u0000${key}`;
}

/** Filter, sort and page of a list field's arguments; throws a `GraphQLError` for ones that cannot be served. */
export function listArguments(
  filters: FilterVocabulary | undefined,
  object: string | undefined,
  args: Record<string, unknown>,
  keyed?: Keyed,
): ListPlan & { viaEndpoint: boolean } {
  const page = pageRequest(connectionArgs(args));
  const filter = filters && object ? compileFilter(filters, object, args.filter) : [];
  const sort = orderToSort(orderArgument(args.orderBy));
  const keyset = keyed && filters && object ? keysetOf(filters, object, sort, keyed) : undefined;
  const { afterKey, beforeKey, ...rest } = page;
  const key = afterKey ?? beforeKey;
  // A key cursor of another order, or one whose range the filter already holds, counts by its offset.
  const usable = key && keyset && key.column === keyset.column && key.dir === keyset.dir && !filter.some((c) => c.path === keyset.column);
  const planned = usable ? page : rest;
  // A filter or order given at all, even one that compiles to no condition, takes the relationship endpoint.
  return { filter, sort, page: planned, ...(keyset ? { keyset } : {}), viaEndpoint: args.filter != null || args.orderBy != null };
}

/** Clarify's own order without `sortOrder`: by `_created_at`, ascending. */
export const DEFAULT_ORDER_COLUMN = '_created_at';

/** The key of a list ordered on a number, date or date-time column; undefined for any other order. */
export function keysetOf(filters: FilterVocabulary, object: string, sort: ListPlan['sort'], keyed: Keyed): KeysetPlan | undefined {
  if (!sort && !keyed.defaultOrder) return undefined;
  const column = sort?.column ?? DEFAULT_ORDER_COLUMN;
  let kind: string | undefined;
  for (const key of filters.keysOf(object)?.values() ?? []) if (key.kind === 'value' && key.field.name === column) kind = key.field.kind;
  const operators =
    kind === 'number'
      ? ({ atOrAfter: 'Greater than or equal', atOrBefore: 'Less than or equal', after: 'Greater than', before: 'Less than' } as const)
      : kind === 'date' || kind === 'dateTime'
        ? ({ atOrAfter: 'Is on or after', atOrBefore: 'Is on or before', after: 'Is after', before: 'Is before' } as const)
        : undefined;
  const nullable = column !== '_created_at' && column !== '_updated_at';
  return operators ? { column, dir: sort?.dir ?? 'ASC', operators, nullable, countTotal: keyed.countTotal } : undefined;
}

/**
 * Calls a list page costs. From a key cursor: the keyed read (its size plus the ids it skips),
 * one more for `totalCount`, and at most one more where the records with a value end and those
 * without one (sorted last) begin.
 */
export function listCalls(list: ListPlan): { predicted: number; extra: number } {
  const size = pageSize(list.page);
  const count = list.keyset?.countTotal ? 1 : 0;
  const before = list.page.beforeKey;
  if (list.keyset && before) {
    // Before a value: one read back from it (its size plus the ids it skips). Before a record
    // without a value: those before it, and the last records with a value when the page reaches them.
    if (before.value !== null) return { predicted: pagesFor(size + (before.idsFrom?.length ?? 0)) + count, extra: 0 };
    const nulls = before.nulls - 1;
    return { predicted: (nulls > 0 ? pagesFor(Math.min(size, nulls)) : 0) + (nulls < size ? 1 : 0) + count, extra: 0 };
  }
  const key = list.page.afterKey;
  if (!list.keyset || !key) return { predicted: connectionCalls(list.page), extra: 0 };
  if (key.value === null) return { predicted: pagesFor(size) + count, extra: 0 };
  return { predicted: pagesFor(size + (key.ids?.length ?? 0)) + count, extra: list.keyset.nullable && key.value !== null ? 1 : 0 };
}

/** The names of the variables in an argument's value. */
export function variablesIn(value: ValueNode): string[] {
  if (value.kind === Kind.VARIABLE) return [value.name.value];
  if (value.kind === Kind.LIST) return value.values.flatMap(variablesIn);
  if (value.kind === Kind.OBJECT) return value.fields.flatMap((field) => variablesIn(field.value));
  return [];
}

export function listOf(list: ListPlan): ListPlan {
  return { filter: list.filter, sort: list.sort, page: list.page, ...(list.keyset ? { keyset: list.keyset } : {}) };
}

export function connectionArgs(args: Record<string, unknown>): ConnectionArgs {
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  const string = (value: unknown) => (typeof value === 'string' ? value : null);
  return { first: number(args.first), last: number(args.last), after: string(args.after), before: string(args.before) };
}

export function orderArgument(value: unknown): { field: string; direction: 'ASC' | 'DESC' } | undefined {
  if (typeof value !== 'object' || value === null || !('field' in value) || typeof value.field !== 'string') return undefined;
  const direction = 'direction' in value && value.direction === 'DESC' ? 'DESC' : 'ASC';
  return { field: value.field, direction };
}

export const SINGLE_VALUE_ARGUMENTS = new Set(['id']);

export const NO_ARGUMENTS: ReadonlySet<string> = new Set();
