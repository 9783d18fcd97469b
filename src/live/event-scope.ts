import { CallLog } from '../client/call-log.js';
import type { ClarifyClient } from '../client/clarify-client.js';
import type { CallOptions } from '../client/types.js';
import { RecordLoader } from '../loaders/record-loader.js';
import type { ChangeEvent } from './types.js';

/**
 * The record store one change event is resolved with, shared by every subscriber of the feed
 * whose operation has the same selection: the record and its nested selection are fetched once
 * per event and selection, not once per subscriber. A fresh store per event also means nested
 * records are never older than the change.
 */
export interface EventScope {
  records: RecordLoader;
  call: CallOptions;
  calls: CallLog;
}

const scopes = new WeakMap<ChangeEvent, Map<string, EventScope>>();

/** Most time the nested reads of one event may take, in ms. */
const EVENT_DEADLINE_MS = 30_000;

export function eventScope(event: ChangeEvent, selectionKey: string, client: ClarifyClient, credential: string): EventScope {
  let bySelection = scopes.get(event);
  if (!bySelection) {
    bySelection = new Map();
    scopes.set(event, bySelection);
  }
  let scope = bySelection.get(selectionKey);
  if (!scope) {
    const calls = new CallLog();
    // No abort signal: the reads serve every subscriber of the selection, whoever leaves first.
    const call: CallOptions = { credential, recorder: calls, deadline: Date.now() + EVENT_DEADLINE_MS };
    const records = new RecordLoader(client, call);
    if (event.record) records.prime([event.record]);
    records.prime(event.included);
    scope = { records, call, calls };
    bySelection.set(selectionKey, scope);
  }
  return scope;
}
