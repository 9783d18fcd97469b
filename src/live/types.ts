import type { ClarifyResource } from '../client/types.js';
import type { ErrorCode } from '../errors/codes.js';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';

/** One change of one record, as every subscriber of a feed receives it. */
export interface ChangeEvent {
  kind: ChangeKind;
  /** Object slug (`deal`). */
  object: string;
  id: string;
  /** When Clarify recorded the change: `_updated_at`, or `_deleted_at` for a deletion. */
  changedAt: string;
  /** The record after the change; null for a deletion. */
  record: ClarifyResource | null;
  /** Related records that came with it (`include=`), for the nested selection. */
  included: ClarifyResource[];
}

/** The error that ends a feed, or one subscriber's stream. */
export interface LiveError {
  code: ErrorCode;
  message: string;
}

/** What a subscriber's stream yields: a change, or the error that ends the stream. */
export type LiveDelivery = { event: ChangeEvent } | { error: LiveError };

/** What a poller sends to every subscriber of its key, in this process or through Redis. */
export type FeedMessage = { events: ChangeEvent[] } | { error: LiveError };
