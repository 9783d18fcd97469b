import type { ClarifyResource } from '../client/types.js';

/**
 * A read position in a list ordered by a timestamp column (`_updated_at` for changes,
 * `_deleted_at` for deletions): the newest timestamp read so far and the ids already read at
 * exactly that timestamp. Reads ask for `column >= at` (one tick of overlap) and skip those ids,
 * so records that share a timestamp with the watermark are neither lost nor repeated, even when
 * they straddle a page boundary or two polls.
 */
export interface Watermark {
  /** ISO-8601 timestamp as Clarify wrote it. */
  at: string;
  /** Ids read with exactly this timestamp. */
  ids: Set<string>;
}

/** One page request of a cursor read. */
export interface CursorPageRequest {
  /** Read records with `column >= after` (ascending); undefined = from the start. */
  onOrAfter?: string;
  /** Newest first, for the baseline read. */
  descending: boolean;
  offset: number;
  limit: number;
}

export type CursorPageReader = (request: CursorPageRequest) => Promise<{ data: ClarifyResource[] }>;

/** Records re-read at the start of a page after the first, in case a counted one moved away meanwhile. */
const OVERLAP = 5;

export function timestampOf(record: ClarifyResource, column: string): string | undefined {
  const value = record.attributes[column];
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

function compareTimes(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

/**
 * The watermark to start from: the newest timestamp there is now, with every id at it. Reads
 * newest-first pages until one holds an older record (usually the first page). Undefined when
 * the list is empty.
 */
export async function baselineWatermark(column: string, read: CursorPageReader, limit: number): Promise<Watermark | undefined> {
  let watermark: Watermark | undefined;
  for (let offset = 0; ; offset += limit) {
    const page = await read({ descending: true, offset, limit });
    for (const record of page.data) {
      const at = timestampOf(record, column);
      if (at === undefined) continue;
      if (!watermark) watermark = { at, ids: new Set([record.id]) };
      else if (compareTimes(at, watermark.at) === 0) watermark.ids.add(record.id);
      else return watermark;
    }
    if (page.data.length < limit) return watermark;
  }
}

export interface CursorRead {
  /** Records not read before, oldest first. */
  records: ClarifyResource[];
  /** Where the next read starts. */
  watermark: Watermark | undefined;
  /** True when `maxPages` ended the read before the end of the list. */
  more: boolean;
}

/**
 * Reads every record at or after the watermark that it has not read yet, oldest first, page by
 * page. Each page after the first starts again at the newest timestamp read (keyset paging), so
 * records that change during the read shift no unread record past the offset.
 */
export async function readSince(
  column: string,
  start: Watermark | undefined,
  read: CursorPageReader,
  limit: number,
  maxPages: number,
): Promise<CursorRead> {
  let watermark: Watermark | undefined = start ? { at: start.at, ids: new Set(start.ids) } : undefined;
  const records: ClarifyResource[] = [];
  const taken = new Set<string>();
  let offset = 0;
  for (let pages = 0; pages < maxPages; pages += 1) {
    const page = await read({ ...(watermark ? { onOrAfter: watermark.at } : {}), descending: false, offset, limit });
    let progressed = false;
    for (const record of page.data) {
      const at = timestampOf(record, column);
      if (at === undefined) continue;
      if (watermark) {
        const order = compareTimes(at, watermark.at);
        if (order < 0 || (order === 0 && watermark.ids.has(record.id))) continue;
      }
      // Changed again during this read: only its newest state is reported.
      if (taken.has(record.id)) records.splice(records.findIndex((r) => r.id === record.id), 1);
      records.push(record);
      taken.add(record.id);
      progressed = true;
      if (!watermark || compareTimes(at, watermark.at) > 0) watermark = { at, ids: new Set([record.id]) };
      else watermark.ids.add(record.id);
    }
    if (page.data.length < limit) return { records, watermark, more: false };
    // The next page starts at the watermark again; the ids read at it are skipped, so skip most of
    // them by offset and re-read a few, in case one of them moved away since it was counted.
    offset = progressed ? Math.max(0, (watermark?.ids.size ?? 0) - OVERLAP) : offset + limit;
  }
  return { records, watermark, more: true };
}
