import { GraphQLError } from 'graphql';

/** A slice of an offset-paged list: which records to fetch. */
export interface PageWindow {
  offset: number;
  limit: number;
}

/** Relay arguments as GraphQL hands them over. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * Relay arguments checked and decoded once, by the planner: at most one of `first`/`last`, sizes
 * in range, cursors this gateway gave out. Resolvers turn it into a window with `windowFor`.
 */
export interface PageRequest {
  first: number | undefined;
  last: number | undefined;
  /** Offset of the first record after the `after` cursor (0 without it). */
  afterOffset: number;
  /** Offset the `before` cursor points at; the window ends before it. */
  beforeOffset: number | undefined;
  /** The `after` cursor's place in a keyed order, when it is a key cursor of the list's current order. */
  afterKey?: KeyPosition;
  /** The `before` cursor's place in a keyed order (with `last`), like `afterKey`. */
  beforeKey?: KeyPosition;
}

/**
 * A place in a list ordered by a column Clarify compares with a range operator: the sort value
 * of the record at the cursor and the ids of the records with that value up to it (for `after`)
 * and from it on (for `before`), as far as they were known when the cursor was given out (the way
 * the subscription watermark keeps equal `_updated_at`s); among the records with no value
 * (sorted last), its position among them.
 */
export interface KeyPosition {
  column: string;
  dir: 'ASC' | 'DESC';
  value: string | number | null;
  /** With a value: the ids of the records with this value up to and including the cursor's. */
  ids?: string[];
  /** With a value: the ids of the records with this value from the cursor's on. */
  idsFrom?: string[];
  /** Without a value: the records without one up to and including the cursor's. */
  nulls: number;
  /** The record's offset when the cursor was given out (old offset semantics, for other orders). */
  offset: number;
}

/** Records per page when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest `first`/`last`. */
export const MAX_PAGE_SIZE = 5000;
/** The upstream's largest page. */
export const UPSTREAM_PAGE_LIMIT = 500;

const CURSOR_PREFIX = 'offset:';
const KEY_PREFIX = 'key:';
/** Most ids of equal values a key cursor carries; a longer run of equal values gets offset cursors. */
export const MAX_KEY_IDS = 50;

/**
 * A cursor is the offset of a record in its list. An empty page still gives out cursors that
 * keep its position: offset −1 stands for "before the first record", so `after` it is offset 0.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

export function encodeKeyCursor(key: KeyPosition): string {
  const parts = [key.column, key.dir, key.value, key.value === null ? key.nulls : (key.ids ?? null), key.value === null ? null : (key.idsFrom ?? null), key.offset];
  return Buffer.from(`${KEY_PREFIX}${JSON.stringify(parts)}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, argument: string): number {
  return decodePosition(cursor, argument).offset;
}

/** A cursor's offset, and its key position when it is a key cursor. */
export function decodePosition(cursor: string, argument: string): { offset: number; key?: KeyPosition } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = text.startsWith(KEY_PREFIX) ? parseKey(text.slice(KEY_PREFIX.length)) : undefined;
  const offset = key ? key.offset : text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < -1) {
    throw new GraphQLError(`\`${argument}\` is not a cursor this connection gave out.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: argument },
    });
  }
  return key ? { offset, key } : { offset };
}

function parseKey(json: string): KeyPosition | undefined {
  let parts: unknown;
  try {
    parts = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length !== 6) return undefined;
  const [column, dir, value, seen, from, offset]: unknown[] = parts;
  if (typeof column !== 'string' || (dir !== 'ASC' && dir !== 'DESC') || typeof offset !== 'number') return undefined;
  if (value === null) return typeof seen === 'number' && Number.isSafeInteger(seen) && seen > 0 ? { column, dir, value, nulls: seen, offset } : undefined;
  const isValue = typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  const ids = idList(seen);
  const idsFrom = idList(from);
  if (!isValue || ids === false || idsFrom === false || (!ids && !idsFrom)) return undefined;
  return { column, dir, value, ...(ids ? { ids } : {}), ...(idsFrom ? { idsFrom } : {}), nulls: 0, offset };
}

/** A cursor's id list: undefined when absent, false when malformed. */
function idList(value: unknown): string[] | undefined | false {
  if (value === null) return undefined;
  const ok = Array.isArray(value) && value.length > 0 && value.length <= MAX_KEY_IDS && value.every((id): id is string => typeof id === 'string' && id !== '');
  return ok ? value : false;
}

function checkSize(value: number | null | undefined, argument: string): number | undefined {
  if (value == null) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new GraphQLError(`\`${argument}\` must be a whole number from 0 to ${MAX_PAGE_SIZE}.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: argument },
    });
  }
  return value;
}

/** Checks and decodes Relay arguments; throws a `BAD_USER_INPUT` `GraphQLError` for bad ones. */
export function pageRequest(args: ConnectionArgs): PageRequest {
  const first = checkSize(args.first, 'first');
  const last = checkSize(args.last, 'last');
  if (first !== undefined && last !== undefined) {
    throw new GraphQLError('Pass `first` or `last`, not both.', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const after = args.after != null ? decodePosition(args.after, 'after') : undefined;
  const before = args.before != null ? decodePosition(args.before, 'before') : undefined;
  return {
    first,
    last,
    afterOffset: after ? after.offset + 1 : 0,
    beforeOffset: before ? Math.max(0, before.offset) : undefined,
    ...(after?.key && (after.key.value === null || after.key.ids) && last === undefined && !before ? { afterKey: after.key } : {}),
    ...(before?.key && (before.key.value === null || before.key.idsFrom) && first === undefined && !after ? { beforeKey: before.key } : {}),
  };
}

/** Whether the window can only be computed once the list's total is known (`last` without `before`). */
export function needsTotalCount(page: PageRequest): boolean {
  return page.last !== undefined && page.beforeOffset === undefined;
}

/** Most records the window can hold, before the list's length is known. */
export function pageSize(page: PageRequest): number {
  return page.first ?? page.last ?? DEFAULT_PAGE_SIZE;
}

/** The offset window of a page request; `last` without `before` needs the list's total. */
export function windowFor(page: PageRequest, totalCount?: number): PageWindow {
  if (page.last !== undefined) {
    const end = page.beforeOffset ?? totalCount ?? 0;
    const start = Math.max(page.afterOffset, end - page.last);
    return { offset: start, limit: Math.max(0, end - start) };
  }
  const size = page.first ?? DEFAULT_PAGE_SIZE;
  const limit =
    page.beforeOffset !== undefined ? Math.max(0, Math.min(size, page.beforeOffset - page.afterOffset)) : size;
  return { offset: page.afterOffset, limit };
}

/** Number of upstream pages a window of `limit` records needs (an empty window still asks once, for the total). */
export function pagesFor(limit: number, pageLimit = UPSTREAM_PAGE_LIMIT): number {
  return Math.max(1, Math.ceil(limit / pageLimit));
}

/** Upstream calls one connection makes: its pages, and one more when the total must come first. */
export function connectionCalls(page: PageRequest): number {
  return pagesFor(pageSize(page)) + (needsTotalCount(page) ? 1 : 0);
}
