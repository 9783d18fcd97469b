import type { ClarifyResource, ListPage, ListParams } from '../../client/types.js';
import { fetchWindow } from '../../loaders/fetch-window.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { needsTotalCount, windowFor, type PageRequest } from '../../plan/paging.js';
import type { KeysetPlan, ListPlan } from '../../plan/plan.js';
import { toConnection, type ConnectionShape } from './connections.js';
import { keyCursors, LIST_END } from './keyset-connection.js';
import { USER_OBJECT } from '../../workspace/model.js';


/** The parameters of a list call that a plan's list decides. */
export function listParams(list: ListPlan, include: readonly string[]): ListParams {
  return { filter: list.filter, ...(list.sort ? { sort: list.sort } : {}), include: [...include] };
}

/**
 * Serves a page request from an offset-paged upstream list and primes the store with it. With
 * `keyset`, its records get key cursors where they can (see `keyCursors`).
 */
export async function fetchConnection(
  ctx: GatewayContext,
  page: PageRequest,
  fetchPage: (limit: number, offset: number) => Promise<ListPage>,
  include: readonly string[],
  keyset?: KeysetPlan,
): Promise<ConnectionShape> {
  let total: number | undefined;
  if (needsTotalCount(page)) total = (await fetchPage(1, 0)).meta.totalRecords;
  const window = windowFor(page, total);
  const result = await fetchWindow(window, fetchPage);
  ctx.records.prime(result.records);
  ctx.records.prime(result.included);
  // A relationship endpoint may answer with identifiers only; those records are loaded.
  const records = await Promise.all(
    result.records.map((record) => (record.identifierOnly ? ctx.records.load(record.type, record.id, include) : record)),
  );
  const found = records.filter((r): r is ClarifyResource => r !== null);
  const atEnd = window.offset + result.records.length >= result.totalCount;
  const cursors = keyset ? keyCursors(found, keyset, window.offset, window.offset === 0 ? LIST_END : undefined, atEnd ? LIST_END : undefined) : undefined;
  return toConnection(found, window, result.totalCount, cursors);
}

/**
 * One record by id. Root fields that read the same record share one call, made with every
 * include they need together (the plan merged them under one share key).
 */
export async function loadSingle(slug: string, id: string, ctx: GatewayContext, entry: { include: string[]; share: string }): Promise<ClarifyResource | null> {
  if (slug === USER_OBJECT) return ctx.records.load(USER_OBJECT, id);
  const known = ctx.records.peek(slug, id);
  if (known && entry.include.length === 0) return known;
  return ctx.records.once(`single ${entry.share}`, async () => {
    const document = await ctx.client.get(slug, id, { include: entry.include }, ctx.call);
    if (!document) return null;
    ctx.records.prime([document.data]);
    ctx.records.prime(document.included);
    return document.data;
  });
}
