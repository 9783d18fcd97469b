import type { ClarifyClient } from '../client/clarify-client.js';
import type { CallOptions, ClarifyResource, FilterCondition } from '../client/types.js';
import { baselineWatermark, readSince, timestampOf, type CursorPageRequest, type Watermark } from './cursor.js';
import type { ChangeEvent } from './types.js';

/** A watermark as it is kept between polls and handed to another replica (JSON-safe). */
export interface SavedWatermark {
  at: string;
  ids: string[];
}

/** What a poller asks of the list it watches. */
export interface PollSource {
  /** Sets the starting point if there is none: changes before the first subscriber are not reported. */
  start(call: CallOptions): Promise<void>;
  /** The changes since the last poll, oldest first; `more` when a page limit cut the read short. */
  poll(call: CallOptions): Promise<{ events: ChangeEvent[]; more: boolean }>;
  save(): SavedWatermark | null;
  restore(saved: SavedWatermark | null): void;
}

export interface ChangeSourceOptions {
  client: ClarifyClient;
  object: string;
  filter: FilterCondition[];
  /** Relationship paths to include with the changed records (the subscribers' selections). */
  include: () => string[];
  pageSize: number;
  maxPagesPerPoll: number;
}

const UPDATED_AT = '_updated_at';
const CREATED_AT = '_created_at';

interface SourcePage {
  data: ClarifyResource[];
  included?: ClarifyResource[];
}

/**
 * A list read in order of one timestamp column from a watermark: the start point, the polls and
 * the watermark handed between replicas. Subclasses say how a page is read and what a record means.
 */
abstract class TimestampSource implements PollSource {
  private watermark: Watermark | undefined;
  private started = false;

  protected constructor(
    private readonly column: string,
    private readonly paging: { pageSize: number; maxPagesPerPoll: number },
  ) {}

  /** One page sorted by the column; `baseline` for the start point's read. */
  protected abstract page(request: CursorPageRequest, call: CallOptions, baseline: boolean): Promise<SourcePage>;

  /** The event for a record read past `from`, with the records included by the same poll. */
  protected abstract event(record: ClarifyResource, from: Watermark | undefined, included: ClarifyResource[]): ChangeEvent;

  async start(call: CallOptions): Promise<void> {
    if (this.started) return;
    this.watermark = await baselineWatermark(this.column, (request) => this.page(request, call, true), Math.min(50, this.paging.pageSize));
    this.started = true;
  }

  async poll(call: CallOptions): Promise<{ events: ChangeEvent[]; more: boolean }> {
    const from = this.watermark;
    // Only this poll's pages: a poll that fails part-way leaves nothing behind for the next one.
    const included: ClarifyResource[] = [];
    const result = await readSince(
      this.column,
      from,
      async (request) => {
        const page = await this.page(request, call, false);
        if (page.included && page.included.length > 0) included.push(...page.included);
        return page;
      },
      this.paging.pageSize,
      this.paging.maxPagesPerPoll,
    );
    this.watermark = result.watermark;
    return { events: result.records.map((record) => this.event(record, from, included)), more: result.more };
  }

  save(): SavedWatermark | null {
    return this.watermark ? { at: this.watermark.at, ids: [...this.watermark.ids] } : null;
  }

  restore(saved: SavedWatermark | null): void {
    this.watermark = saved ? { at: saved.at, ids: new Set(saved.ids) } : undefined;
    this.started = true;
  }
}

/**
 * Records of one object that match one compiled filter, read by `_updated_at`. A record counts as
 * created when its `_created_at` is past the watermark the poll started from (or equal to it and
 * not read before); otherwise as updated.
 */
export class ChangeSource extends TimestampSource {
  constructor(private readonly options: ChangeSourceOptions) {
    super(UPDATED_AT, options);
  }

  protected page(request: CursorPageRequest, call: CallOptions, baseline: boolean): Promise<SourcePage> {
    // The baseline ignores the filter: the newest write to the object is the upstream's "now",
    // so a record entering the filter later is still told apart from one created later.
    const conditions: FilterCondition[] = baseline ? [] : [...this.options.filter];
    if (request.onOrAfter !== undefined) conditions.push({ path: UPDATED_AT, operator: 'Is on or after', value: request.onOrAfter });
    return this.options.client.list(
      this.options.object,
      {
        filter: conditions,
        sort: { column: UPDATED_AT, dir: request.descending ? 'DESC' : 'ASC' },
        include: baseline ? [] : this.options.include(),
        limit: request.limit,
        offset: request.offset,
      },
      call,
    );
  }

  protected event(record: ClarifyResource, from: Watermark | undefined, included: ClarifyResource[]): ChangeEvent {
    return {
      kind: isCreated(record, from) ? 'CREATED' : 'UPDATED',
      object: this.options.object,
      id: record.id,
      changedAt: timestampOf(record, UPDATED_AT) ?? '',
      record,
      included,
    };
  }
}

function isCreated(record: ClarifyResource, from: Watermark | undefined): boolean {
  if (!from) return true;
  const created = timestampOf(record, CREATED_AT);
  if (created === undefined) return false;
  const order = Date.parse(created) - Date.parse(from.at);
  return order > 0 || (order === 0 && !from.ids.has(record.id));
}

export interface DeletionSourceOptions {
  client: ClarifyClient;
  object: string;
  pageSize: number;
  maxPagesPerPoll: number;
}

const DELETED_AT = '_deleted_at';

/**
 * The object's deletions, read from `/deleted-resources` by `_deleted_at` with the same
 * watermark rules as changes. A deleted record can no longer be matched against a filter, so
 * every subscriber of the object receives them.
 */
export class DeletionSource extends TimestampSource {
  constructor(private readonly options: DeletionSourceOptions) {
    super(DELETED_AT, options);
  }

  protected page(request: CursorPageRequest, call: CallOptions): Promise<SourcePage> {
    return this.options.client.listDeleted(
      this.options.object,
      {
        filter: request.onOrAfter === undefined ? [] : [{ path: DELETED_AT, operator: 'Is on or after', value: request.onOrAfter }],
        sort: { column: DELETED_AT, dir: request.descending ? 'DESC' : 'ASC' },
        limit: request.limit,
        offset: request.offset,
      },
      call,
    );
  }

  protected event(record: ClarifyResource): ChangeEvent {
    return {
      kind: 'DELETED',
      object: this.options.object,
      id: record.id,
      changedAt: timestampOf(record, DELETED_AT) ?? '',
      record: null,
      included: [],
    };
  }
}
