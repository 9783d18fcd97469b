import { GraphQLError } from 'graphql';
import type { ClarifyResource } from '../client/types.js';

/** Connection arguments as GraphQL hands them over. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface ConnectionShape {
  edges: { cursor: string; node: ClarifyResource }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** A slice of an offset-paged list: which records to fetch. */
export interface PageWindow {
  offset: number;
  limit: number;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 5000;

const CURSOR_PREFIX = 'offset:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, argument: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const offset = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new GraphQLError(`\`${argument}\` is not a cursor this connection gave out.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: argument },
    });
  }
  return offset;
}

/** Whether the window can be computed without knowing the list's total. */
export function needsTotalCount(args: ConnectionArgs): boolean {
  return args.last != null && args.before == null;
}

/**
 * Turns Relay arguments into an offset window. `last` without `before` needs the total, which
 * the caller supplies after asking the upstream for it.
 */
export function windowFor(args: ConnectionArgs, totalCount?: number): PageWindow {
  checkSize(args.first, 'first');
  checkSize(args.last, 'last');
  if (args.first != null && args.last != null) {
    throw new GraphQLError('Pass `first` or `last`, not both.', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const afterOffset = args.after != null ? decodeCursor(args.after, 'after') + 1 : 0;
  const beforeOffset = args.before != null ? decodeCursor(args.before, 'before') : undefined;
  if (args.last != null) {
    const end = beforeOffset ?? totalCount ?? 0;
    const start = Math.max(afterOffset, end - args.last);
    return { offset: start, limit: Math.max(0, end - start) };
  }
  const size = args.first ?? DEFAULT_PAGE_SIZE;
  const limit = beforeOffset !== undefined ? Math.max(0, Math.min(size, beforeOffset - afterOffset)) : size;
  return { offset: afterOffset, limit };
}

function checkSize(value: number | null | undefined, argument: string): void {
  if (value == null) return;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new GraphQLError(`\`${argument}\` must be a whole number from 0 to ${MAX_PAGE_SIZE}.`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: argument },
    });
  }
}

export function toConnection(nodes: ClarifyResource[], window: PageWindow, totalCount: number): ConnectionShape {
  const edges = nodes.map((node, index) => ({ cursor: encodeCursor(window.offset + index), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: window.offset + nodes.length < totalCount,
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
