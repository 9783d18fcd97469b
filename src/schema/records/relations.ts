import type { GraphQLResolveInfo } from 'graphql';
import type { ClarifyResource, ListPage, ListParams } from '../../client/types.js';
import { fetchWindow } from '../../loaders/fetch-window.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { windowFor } from '../../plan/paging.js';
import { toConnection, type ConnectionShape } from '../core/connections.js';
import { keyedConnection, keyedConnectionBefore, type KeyedReader } from '../core/keyset-connection.js';
import { planEntry } from '../core/plan-entry.js';
import { fetchConnection, listParams } from '../core/record-reads.js';
import { referenceId } from '../core/values.js';

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
  return ctx.records.load(target, id, planEntry(ctx, info, 'reference').include);
}

export async function resolveUser(parent: ClarifyResource, field: string, ctx: GatewayContext): Promise<ClarifyResource | null> {
  const id = referenceId(parent, field);
  return id ? ctx.records.load('user', id) : null;
}

/**
 * A to-many relationship. When the plan cuts it from the parent's `relationships` block and that
 * block lists every member, the page comes from the block and its records from the request's
 * store (primed by `include`); otherwise the relationship endpoint answers it.
 */
export async function resolveToMany(
  parentObject: string,
  parent: ClarifyResource,
  field: string,
  target: string,
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
): Promise<ConnectionShape> {
  const entry = planEntry(ctx, info, 'toMany');
  const relationship = parent.relationships[field];
  const fetchPage = (params: ListParams) => (limit: number, offset: number): Promise<ListPage> =>
    ctx.client.listRelationship(parentObject, parent.id, field, { ...params, limit, offset }, ctx.call);
  if (entry.route !== 'endpoint' && relationship?.kind === 'many' && relationship.data.length >= relationship.count) {
    // Unordered pages always follow the order of the parent's block, whichever way the records
    // arrive, so that a cursor means the same thing on every path.
    const window = windowFor(entry.list.page, relationship.count);
    const ids = relationship.data.slice(window.offset, window.offset + window.limit).map((r) => r.id);
    const missing = ids.filter((id) => !ctx.records.peek(target, id) && !ctx.records.knownMissing(target, id));
    if (missing.length > 1) {
      const key = `members ${parentObject}/${parent.id}/${field} ${entry.include.join(',')}`;
      await ctx.records.once(key, async () => {
        const members = await fetchWindow({ offset: 0, limit: relationship.count }, fetchPage({ include: entry.include }));
        ctx.records.prime(members.records);
        ctx.records.prime(members.included);
      });
    }
    const records = await ctx.records.loadMany(target, ids, entry.include);
    return toConnection(
      records.filter((r): r is ClarifyResource => r !== null),
      window,
      relationship.count,
    );
  }
  const { keyset } = entry.list;
  if (keyset && (entry.list.page.afterKey || entry.list.page.beforeKey)) {
    const read: KeyedReader = (extra, sort) =>
      fetchPage({ ...listParams(entry.list, entry.include), ...(sort ? { sort } : {}), filter: [...entry.list.filter, ...extra] });
    const list = { ...entry.list, keyset };
    if (entry.list.page.afterKey) return keyedConnection(ctx, list, entry.list.page.afterKey, read);
    if (entry.list.page.beforeKey) return keyedConnectionBefore(ctx, list, entry.list.page.beforeKey, read);
  }
  return fetchConnection(ctx, entry.list.page, fetchPage(listParams(entry.list, entry.include)), entry.include, keyset);
}
