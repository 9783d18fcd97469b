import type { ClarifyResource, ListPage } from '../client/types.js';
import { UPSTREAM_PAGE_LIMIT, type PageWindow } from '../plan/paging.js';

export interface WindowResult {
  records: ClarifyResource[];
  included: ClarifyResource[];
  totalCount: number;
}

/**
 * Fetches `window` from an offset-paged list in as few pages as the upstream limit allows,
 * stopping at the end of the list. A window of zero records still makes one call of one record,
 * because the total is wanted.
 */
export async function fetchWindow(
  window: PageWindow,
  fetchPage: (limit: number, offset: number) => Promise<ListPage>,
  pageLimit = UPSTREAM_PAGE_LIMIT,
): Promise<WindowResult> {
  if (window.limit === 0) {
    const probe = await fetchPage(1, window.offset);
    return { records: [], included: [], totalCount: probe.meta.totalRecords };
  }
  const records: ClarifyResource[] = [];
  const included: ClarifyResource[] = [];
  let totalCount = 0;
  while (records.length < window.limit) {
    const limit = Math.min(pageLimit, window.limit - records.length);
    const page = await fetchPage(limit, window.offset + records.length);
    records.push(...page.data.slice(0, limit));
    included.push(...page.included);
    totalCount = page.meta.totalRecords;
    if (page.data.length < limit || window.offset + records.length >= totalCount) break;
  }
  return { records, included, totalCount };
}
