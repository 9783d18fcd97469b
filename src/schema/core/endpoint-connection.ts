import type { ListPage } from '../../client/types.js';
import { fetchWindow } from '../../loaders/fetch-window.js';
import { needsTotalCount, windowFor, type PageRequest } from '../../plan/paging.js';
import { toConnection, type ConnectionShape } from './connections.js';

/**
 * A planned page over an offset-paged endpoint whose items are not records of the workspace
 * (activities, attachments, deleted records, saved lists): nothing is put in the record store.
 */
export async function endpointConnection(page: PageRequest, fetchPage: (limit: number, offset: number) => Promise<ListPage>): Promise<ConnectionShape> {
  let total: number | undefined;
  if (needsTotalCount(page)) total = (await fetchPage(1, 0)).meta.totalRecords;
  const window = windowFor(page, total);
  const result = await fetchWindow(window, fetchPage);
  return toConnection(result.records, window, result.totalCount);
}
