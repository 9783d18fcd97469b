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

function toSaved(watermark: Watermark | undefined): SavedWatermark | null {
  return watermark ? { at: watermark.at, ids: [...watermark.ids] } : null;
}

function fromSaved(saved: SavedWatermark | null): Watermark | undefined {
  return saved ? { at: saved.at, ids: new Set(saved.ids) } : undefined;
}

/**
 * Records of one object that match one compiled filter, read by `_updated_at`. A record counts as
 * created when its `_created_at` is past the watermark the poll started from (or equal to it and
 * not read before); otherwise as updated.
 */
export class ChangeSource implements PollSource {
  private watermark: Watermark | undefined;
  private started = false;

  constructor(private readonly options: ChangeSourceOptions) {}

  async start(call: CallOptions): Promise<void> {
    if (this.started) return;
    // The baseline ignores the filter: the newest write to the object is the upstream's "now",
    // so a record entering the filter later is still told apart from one created later.
    this.watermark = await baselineWatermark(UPDATED_AT, (request) => this.read(request, [], [], call), Math.min(50, this.options.pageSize));
    this.started = true;
  }

  async poll(call: CallOptions): Promise<{ events: ChangeEvent[]; more: boolean }> {
    const from = this.watermark;
    const include = this.options.include();
    const result = await readSince(
      UPDATED_AT,
      from,
      (request) => this.read(request, this.options.filter, include, call),
      this.options.pageSize,
      this.options.maxPagesPerPoll,
    );
    this.watermark = result.watermark;
    const included = this.lastIncluded;
    this.lastIncluded = [];
    const events = result.records.map((record): ChangeEvent => ({
      kind: isCreated(record, from) ? 'CREATED' : 'UPDATED',
      object: this.options.object,
      id: record.id,
      changedAt: timestampOf(record, UPDATED_AT) ?? '',
      record,
      included,
    }));
    return { events, more: result.more };
  }

  save(): SavedWatermark | null {
    return toSaved(this.watermark);
  }

  restore(saved: SavedWatermark | null): void {
    this.watermark = fromSaved(saved);
    this.started = true;
  }

  private lastIncluded: ClarifyResource[] = [];

  private async read(request: CursorPageRequest, filter: FilterCondition[], include: string[], call: CallOptions): Promise<{ data: ClarifyResource[] }> {
    const conditions: FilterCondition[] = [...filter];
    if (request.onOrAfter !== undefined) conditions.push({ path: UPDATED_AT, operator: 'Is on or after', value: request.onOrAfter });
    const page = await this.options.client.list(
      this.options.object,
      {
        filter: conditions,
        sort: { column: UPDATED_AT, dir: request.descending ? 'DESC' : 'ASC' },
        include,
        limit: request.limit,
        offset: request.offset,
      },
      call,
    );
    if (page.included.length > 0) this.lastIncluded.push(...page.included);
    return page;
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
export class DeletionSource implements PollSource {
  private watermark: Watermark | undefined;
  private started = false;

  constructor(private readonly options: DeletionSourceOptions) {}

  async start(call: CallOptions): Promise<void> {
    if (this.started) return;
    this.watermark = await baselineWatermark(DELETED_AT, (request) => this.read(request, call), Math.min(50, this.options.pageSize));
    this.started = true;
  }

  async poll(call: CallOptions): Promise<{ events: ChangeEvent[]; more: boolean }> {
    const result = await readSince(DELETED_AT, this.watermark, (request) => this.read(request, call), this.options.pageSize, this.options.maxPagesPerPoll);
    this.watermark = result.watermark;
    const events = result.records.map((record): ChangeEvent => ({
      kind: 'DELETED',
      object: this.options.object,
      id: record.id,
      changedAt: timestampOf(record, DELETED_AT) ?? '',
      record: null,
      included: [],
    }));
    return { events, more: result.more };
  }

  save(): SavedWatermark | null {
    return toSaved(this.watermark);
  }

  restore(saved: SavedWatermark | null): void {
    this.watermark = fromSaved(saved);
    this.started = true;
  }

  private read(request: CursorPageRequest, call: CallOptions): Promise<{ data: ClarifyResource[] }> {
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
}
