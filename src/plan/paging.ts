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
}

/** Records per page when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 100;
/** Largest `first`/`last`. */
export const MAX_PAGE_SIZE = 5000;
/** The upstream's largest page. */
export const UPSTREAM_PAGE_LIMIT = 500;

const CURSOR_PREFIX = 'offset:';

/**
 * A cursor is the offset of a record in its list. An empty page still gives out cursors that
 * keep its position: offset −1 stands for "before the first record", so `after` it is offset 0.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, argument: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < -1) {
    throw new GraphQLError(`\`${argument}\` is not a cursor this connection gave out.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: argument },
    });
  }
  return offset;
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
  return {
    first,
    last,
    afterOffset: args.after != null ? decodeCursor(args.after, 'after') + 1 : 0,
    beforeOffset: args.before != null ? Math.max(0, decodeCursor(args.before, 'before')) : undefined,
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
