import type { ClarifyResource, FilterCondition, ListPage, SortOrder } from '../../client/types.js';
import { fetchWindow } from '../../loaders/fetch-window.js';
import type { GatewayContext } from '../../loaders/request-context.js';
import { encodeCursor, encodeKeyCursor, MAX_KEY_IDS, pageSize, type KeyPosition } from '../../plan/paging.js';
import type { KeysetPlan, ListPlan } from '../../plan/plan.js';
import type { ConnectionShape } from './connections.js';

/** Reads one upstream page of the list with extra conditions (the key's range), in its order or in `sort`. */
export type KeyedReader = (extra: FilterCondition[], sort?: SortOrder) => (limit: number, offset: number) => Promise<ListPage>;

type SortValue = string | number | null;

function valueOf(record: ClarifyResource, column: string): SortValue {
  const value = record.attributes[column];
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

/**
 * What lies beyond one end of a page: `value` undefined when nothing does (the list ends there),
 * else the value there with the ids of its equal-valued records on that side (`nulls`: how many
 * records without a value precede, for the start).
 */
export interface Edge {
  value: SortValue | undefined;
  ids: string[];
  nulls: number;
}

/** Nothing lies beyond this end of the page. */
export const LIST_END: Edge = { value: undefined, ids: [], nulls: 0 };

/**
 * The cursors of a page's records (in the list's order) in a keyed order. A cursor carries the
 * ids of the records with its value up to it when all of them are known (in this page, or beyond
 * its start as `start` says), and those from it on when all of those are; a record without a
 * value carries its position among those without one. A record about which neither is known (a
 * page at an offset, inside a run of equal values) gets an offset cursor.
 */
export function keyCursors(
  records: ClarifyResource[],
  keyset: KeysetPlan,
  offset: number,
  start: Edge | undefined,
  end: Edge | undefined,
  lastNullPosition?: number,
): string[] {
  const values = records.map((record) => valueOf(record, keyset.column));
  const upTo = sides(records, values, start);
  const from = sides([...records].reverse(), [...values].reverse(), end).reverse();
  // Positions among the records without a value: counted from the start, or back from the end.
  let nulls = start ? start.nulls : undefined;
  const positions = values.map((value, index) => {
    // The first record without a value after one with a value is the first of its kind.
    if (value === null && index > 0 && values[index - 1] !== null) nulls = 0;
    return value === null && nulls !== undefined ? ++nulls : undefined;
  });
  if (lastNullPosition !== undefined) {
    let position = lastNullPosition + 1;
    for (let i = values.length - 1; i >= 0 && values[i] === null; i--) positions[i] = --position;
  }
  return records.map((record, index) => {
    const value = values[index]!;
    if (value === null) {
      const position = positions[index];
      return position === undefined
        ? encodeCursor(offset + index)
        : encodeKeyCursor({ column: keyset.column, dir: keyset.dir, value, nulls: position, offset: offset + index });
    }
    const ids = upTo[index];
    const idsFrom = from[index];
    if (!ids && !idsFrom) return encodeCursor(offset + index);
    return encodeKeyCursor({ column: keyset.column, dir: keyset.dir, value, ...(ids ? { ids } : {}), ...(idsFrom ? { idsFrom } : {}), nulls: 0, offset: offset + index });
  });
}

/** For each record, the ids of the records with its value from the near end of the page up to it, when all are known. */
function sides(records: ClarifyResource[], values: SortValue[], edge: Edge | undefined): (string[] | undefined)[] {
  let known = edge !== undefined;
  let previous: SortValue | undefined = edge?.value;
  let ids = edge?.ids ?? [];
  return records.map((record, index) => {
    const value = values[index]!;
    if (!known && index > 0 && value !== previous) known = true;
    ids = value === previous ? [...ids, record.id] : [record.id];
    previous = value;
    return known && value !== null && ids.length <= MAX_KEY_IDS ? ids : undefined;
  });
}

/**
 * The page after a key cursor: the records from the cursor's value on (`Greater than or equal`
 * or `Is on or after`, in the list's direction), less those the cursor has seen at that value;
 * where the records with a value run out, those without one (sorted last) follow, read with
 * `Is empty`. Records created or deleted elsewhere in the list do not move it.
 */
export async function keyedConnection(
  ctx: GatewayContext,
  list: ListPlan & { keyset: KeysetPlan },
  key: KeyPosition,
  read: KeyedReader,
): Promise<ConnectionShape> {
  const { keyset, size, total } = prologue(list, read);
  const empty: FilterCondition = { path: keyset.column, operator: 'Is empty', value: '' };
  const records: ClarifyResource[] = [];
  let hasNextPage: boolean;
  let counted: number;
  if (key.value !== null) {
    const operator = keyset.dir === 'ASC' ? keyset.operators.atOrAfter : keyset.operators.atOrBefore;
    const keyed = await readFromValue(ctx, keyset, size, key.value, key.ids, read([{ path: keyset.column, operator, value: String(key.value) }]));
    records.push(...keyed.records);
    const remaining = keyed.totalCount - keyed.skipped - records.length;
    hasNextPage = remaining > 0;
    counted = key.offset + 1 + keyed.totalCount - keyed.skipped;
    if (remaining <= 0 && keyset.nullable) {
      // The records with a value end in this page; those without one come next.
      const wanted = size - records.length;
      const tail = await fetchWindow({ offset: 0, limit: Math.max(1, wanted) }, read([empty]));
      const taken = tail.records.slice(0, wanted);
      prime(ctx, taken, tail.included);
      records.push(...taken);
      hasNextPage = tail.totalCount > taken.length;
      counted += tail.totalCount;
    }
  } else {
    const tail = await fetchWindow({ offset: key.nulls, limit: size }, read([empty]));
    prime(ctx, tail.records, tail.included);
    records.push(...tail.records);
    hasNextPage = tail.totalCount > key.nulls + records.length;
    counted = key.offset + 1 + tail.totalCount - key.nulls;
  }
  const start: Edge = { value: key.value, ids: key.ids ?? [], nulls: key.value === null ? key.nulls : 0 };
  const cursors = keyCursors(records, keyset, key.offset + 1, start, hasNextPage ? undefined : LIST_END);
  return shape(records, cursors, encodeKeyCursor(key), { hasNextPage, hasPreviousPage: true }, total ? await total : counted);
}

/**
 * The page before a key cursor (`last`), read back from it in the reverse order: the records up
 * to its value (`Less than or equal` or `Is on or before`, reversed), less those from the cursor
 * on at that value. Before a record without a value: the records without one before it, and,
 * when the page reaches back past them, the last records with a value (`Is not empty`, reversed).
 */
export async function keyedConnectionBefore(
  ctx: GatewayContext,
  list: ListPlan & { keyset: KeysetPlan },
  key: KeyPosition,
  read: KeyedReader,
): Promise<ConnectionShape> {
  const { keyset, size, total } = prologue(list, read);
  const reverse: SortOrder = { column: keyset.column, dir: keyset.dir === 'ASC' ? 'DESC' : 'ASC' };
  let valued: ClarifyResource[] = [];
  let nulls: ClarifyResource[] = [];
  let hasPreviousPage: boolean;
  if (key.value !== null) {
    const operator = keyset.dir === 'ASC' ? keyset.operators.atOrBefore : keyset.operators.atOrAfter;
    const back = await readFromValue(ctx, keyset, size, key.value, key.idsFrom, read([{ path: keyset.column, operator, value: String(key.value) }], reverse));
    valued = back.records;
    hasPreviousPage = back.totalCount - back.skipped - valued.length > 0;
    valued.reverse();
  } else {
    const before = key.nulls - 1;
    const nullsFrom = Math.max(0, before - size);
    const [tail, head] = await Promise.all([
      before > 0 ? fetchWindow({ offset: nullsFrom, limit: Math.min(size, before) }, read([{ path: keyset.column, operator: 'Is empty', value: '' }])) : undefined,
      before < size ? fetchWindow({ offset: 0, limit: size - before }, read([{ path: keyset.column, operator: 'Is not empty', value: '' }], reverse)) : undefined,
    ]);
    if (tail) prime(ctx, tail.records, tail.included);
    if (head) prime(ctx, head.records, head.included);
    nulls = tail?.records ?? [];
    valued = (head?.records ?? []).reverse();
    hasPreviousPage = nullsFrom > 0 || !head || head.totalCount > valued.length;
  }
  const records = [...valued, ...nulls];
  const offset = Math.max(0, key.offset - records.length);
  const end: Edge = { value: key.value, ids: key.idsFrom ?? [], nulls: 0 };
  const cursors = keyCursors(records, keyset, offset, hasPreviousPage ? undefined : LIST_END, end, key.value === null ? key.nulls - 1 : undefined);
  return shape(records, cursors, encodeKeyCursor(key), { hasNextPage: true, hasPreviousPage }, total ? await total : key.offset + 1);
}

/** What both directions start from: the key, the page's size, and the total when it is selected (read alongside). */
function prologue(list: ListPlan & { keyset: KeysetPlan }, read: KeyedReader): { keyset: KeysetPlan; size: number; total: Promise<number> | undefined } {
  const { keyset } = list;
  const total = keyset.countTotal ? read([])(1, 0).then((page) => page.meta.totalRecords) : undefined;
  // Awaited once the page is read; if the page's read fails first, its failure is the request's,
  // and this one must not go unhandled (Node ends the process on an unhandled rejection).
  total?.catch(() => undefined);
  return { keyset, size: pageSize(list.page), total };
}

/**
 * Up to `size` records from a key value on (in the reader's order), less those the cursor has
 * seen at that value (`seen`); the reader's window asks for as many more as it may skip.
 */
async function readFromValue(
  ctx: GatewayContext,
  keyset: KeysetPlan,
  size: number,
  value: SortValue,
  seen: readonly string[] | undefined,
  reader: (limit: number, offset: number) => Promise<ListPage>,
): Promise<{ records: ClarifyResource[]; skipped: number; totalCount: number }> {
  const skip = new Set(seen);
  const window = await fetchWindow({ offset: 0, limit: size + skip.size }, reader);
  prime(ctx, window.records, window.included);
  const records: ClarifyResource[] = [];
  let skipped = 0;
  for (const record of window.records) {
    if (skip.has(record.id) && valueOf(record, keyset.column) === value) skipped++;
    else if (records.length < size) records.push(record);
  }
  return { records, skipped, totalCount: window.totalCount };
}

function shape(
  records: ClarifyResource[],
  cursors: string[],
  at: string,
  page: { hasNextPage: boolean; hasPreviousPage: boolean },
  totalCount: number,
): ConnectionShape {
  return {
    edges: records.map((node, index) => ({ cursor: cursors[index]!, node })),
    pageInfo: { ...page, startCursor: cursors[0] ?? at, endCursor: cursors.at(-1) ?? at },
    totalCount,
  };
}

function prime(ctx: GatewayContext, records: ClarifyResource[], included: ClarifyResource[]): void {
  ctx.records.prime(records);
  ctx.records.prime(included);
}
