import type { ClarifyResource } from '../../client/types.js';
import { encodeCursor, type PageWindow } from '../../plan/paging.js';

export interface ConnectionShape {
  edges: { cursor: string; node: ClarifyResource }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * A page as a Relay connection. An empty page (`first: 0`, or past the end) still has cursors
 * that keep its position: `after: endCursor` continues where it stands, `before: startCursor`
 * goes back from there, so a cursor loop never restarts from the beginning.
 */
export function toConnection(nodes: ClarifyResource[], window: PageWindow, totalCount: number, cursors?: readonly string[]): ConnectionShape {
  const edges = nodes.map((node, index) => ({ cursor: cursors?.[index] ?? encodeCursor(window.offset + index), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: window.offset + nodes.length < totalCount,
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? encodeCursor(window.offset),
      endCursor: edges.at(-1)?.cursor ?? encodeCursor(window.offset - 1),
    },
    totalCount,
  };
}
