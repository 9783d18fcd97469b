import type { CallRecord, CallRecorder } from './types.js';

/** Collects the upstream calls of one GraphQL request (or of a test). */
export class CallLog implements CallRecorder {
  readonly entries: CallRecord[] = [];

  record(entry: CallRecord): void {
    this.entries.push(entry);
  }

  /** Logical upstream calls (retries of one call count once; see `attempts`). */
  get count(): number {
    return this.entries.length;
  }

  /** Upstream requests actually sent, retries included. */
  get attempts(): number {
    return this.entries.reduce((sum, entry) => sum + entry.attempts, 0);
  }

  /** Calls per route template, e.g. `{"GET /objects/:object/resources": 3}`. */
  byRoute(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
