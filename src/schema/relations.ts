import { getNamedType, isObjectType, type GraphQLResolveInfo } from 'graphql';
import type { ClarifyResource, ListPage, ListParams } from '../client/types.js';
import { fetchWindow } from '../loaders/fetch-window.js';
import { includePaths, recordTypeOfConnection } from '../loaders/include-plan.js';
import type { GatewayContext } from '../loaders/request-context.js';
import { connectionNodeSelections, type WalkScope } from '../loaders/selection.js';
import { needsTotalCount, toConnection, windowFor, type ConnectionArgs, type ConnectionShape } from './connections.js';
import { filterToConditions, orderToSort } from './filters.js';
import type { FilterValue, SchemaRegistry } from './registry.js';
import { referenceId } from './values.js';

export interface ListArgs extends ConnectionArgs {
  filter?: FilterValue | null;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
}

export function walkScope(info: GraphQLResolveInfo): WalkScope {
  return { fragments: info.fragments, variables: info.variableValues };
}

/** `include` paths for the record type this field returns, from the field's own selection. */
export function recordIncludes(info: GraphQLResolveInfo): string[] {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return [];
  const sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  return includePaths(type, sets, walkScope(info));
}

/** `include` paths for the records inside the connection this field returns. */
export function connectionIncludes(info: GraphQLResolveInfo): string[] {
  const type = recordTypeOfConnection(getNamedType(info.returnType));
  if (!type) return [];
  const scope = walkScope(info);
  return includePaths(type, connectionNodeSelections(info.fieldNodes, scope), scope);
}

export async function resolveReference(
  parent: ClarifyResource,
  field: string,
  target: string,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<ClarifyResource | null> {
  const id = referenceId(parent, field);
  if (!id) return null;
  const known = ctx.records.peek(target, id);
  if (known) return known;
  return ctx.records.load(target, id, recordIncludes(info));
}

export async function resolveUser(parent: ClarifyResource, field: string, ctx: GatewayContext): Promise<ClarifyResource | null> {
  const id = referenceId(parent, field);
  return id ? ctx.records.load('user', id) : null;
}

/**
 * A to-many relationship. When the parent's `relationships` block lists every member and no
 * filter or order is asked for, the page is cut from that list and its records come from the
 * request's store (primed by `include`); otherwise the relationship endpoint answers it.
 */
export async function resolveToMany(
  registry: SchemaRegistry,
  parentObject: string,
  parent: ClarifyResource,
  field: string,
  target: string,
  args: ListArgs,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<ConnectionShape> {
  const relationship = parent.relationships[field];
  const complete = relationship?.kind === 'many' && relationship.data.length >= relationship.count;
  const fetchPage = (params: ListParams) => (limit: number, offset: number): Promise<ListPage> =>
    ctx.client.listRelationship(parentObject, parent.id, field, { ...params, limit, offset }, ctx.call);
  if (complete && !args.filter && !args.orderBy) {
    // Unordered pages always follow the order of the parent's block, whichever way the records
    // arrive, so that a cursor means the same thing on every path.
    const window = windowFor(args, relationship.count);
    const ids = relationship.data.slice(window.offset, window.offset + window.limit).map((r) => r.id);
    const missing = ids.filter((id) => !ctx.records.peek(target, id) && !ctx.records.knownMissing(target, id));
    // Usually every member was included with the parent; the include plan is only needed to fetch.
    const include = missing.length > 0 ? connectionIncludes(info) : [];
    if (missing.length > 1) {
      const key = `members ${parentObject}/${parent.id}/${field} ${include.join(',')}`;
      await ctx.records.once(key, async () => {
        const members = await fetchWindow({ offset: 0, limit: relationship.count }, fetchPage({ include }));
        ctx.records.prime(members.records);
        ctx.records.prime(members.included);
      });
    }
    const records = await ctx.records.loadMany(target, ids, include);
    return toConnection(
      records.filter((r): r is ClarifyResource => r !== null),
      window,
      relationship.count,
    );
  }
  const filter = filterToConditions(registry, target, args.filter);
  const sort = orderToSort(args.orderBy);
  const include = connectionIncludes(info);
  return fetchConnection(ctx, args, fetchPage({ filter, ...(sort ? { sort } : {}), include }), include);
}

/** Serves Relay arguments from an offset-paged upstream list and primes the store with it. */
export async function fetchConnection(
  ctx: GatewayContext,
  args: ConnectionArgs,
  fetchPage: (limit: number, offset: number) => Promise<ListPage>,
  include: readonly string[],
): Promise<ConnectionShape> {
  let total: number | undefined;
  if (needsTotalCount(args)) total = (await fetchPage(1, 0)).meta.totalRecords;
  const window = windowFor(args, total);
  const result = await fetchWindow(window, fetchPage);
  ctx.records.prime(result.records);
  ctx.records.prime(result.included);
  // A relationship endpoint may answer with identifiers only; those records are loaded.
  const records = await Promise.all(
    result.records.map((record) => (record.identifierOnly ? ctx.records.load(record.type, record.id, include) : record)),
  );
  return toConnection(
    records.filter((r): r is ClarifyResource => r !== null),
    window,
    result.totalCount,
  );
}
