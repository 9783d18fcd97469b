import { Mutex } from 'async-mutex';
import { ClarifyError } from '../client/errors.js';

/**
 * Serialises read-modify-write sequences on one upstream resource (a record's to-many
 * relationship). The gateway keeps one per process; a shared implementation (e.g. a Redis lock)
 * can take its place to serialise across replicas.
 */
export interface WriteLock {
  /**
   * Runs `work` while holding the lock on `key`, and releases it however `work` ends. Waits for
   * the lock at most until `deadline` (epoch ms) or until `signal` aborts, then throws a
   * `CONFLICT` `ClarifyError` without running `work`.
   */
  withLock<T>(key: string, work: () => Promise<T>, options?: { deadline?: number; signal?: AbortSignal }): Promise<T>;
}

/** The key of one record's relationship: what concurrent edits must not interleave on. */
export function relationshipLockKey(object: string, id: string, relationship: string): string {
  return JSON.stringify(['relationship', object, id, relationship]);
}

interface Entry {
  mutex: Mutex;
  /** Holders and waiters; the entry is dropped when the last one leaves. */
  users: number;
}

/** A keyed mutex inside this process (async-mutex per key, dropped when nobody uses it). */
export class InProcessWriteLock implements WriteLock {
  private readonly entries = new Map<string, Entry>();

  /** Keys currently held or waited for (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  async withLock<T>(key: string, work: () => Promise<T>, options: { deadline?: number; signal?: AbortSignal } = {}): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { mutex: new Mutex(), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users += 1;
    const held = entry;
    try {
      const release = await this.acquire(held.mutex, key, options);
      try {
        return await work();
      } finally {
        release();
      }
    } finally {
      held.users -= 1;
      if (held.users === 0 && this.entries.get(key) === held) this.entries.delete(key);
    }
  }

  private acquire(mutex: Mutex, key: string, options: { deadline?: number; signal?: AbortSignal }): Promise<() => void> {
    const acquiring = mutex.acquire();
    const { deadline, signal } = options;
    if (deadline === undefined && signal === undefined) return acquiring;
    return new Promise((resolve, reject) => {
      let settled = false;
      const giveUp = (reason: string): void => {
        if (settled) return;
        settled = true;
        cleanup();
        // The acquisition still completes later; hand the lock straight on.
        void acquiring.then((release) => release());
        reject(new ClarifyError(`Another write to ${key} is still running: ${reason}`, {
          code: 'CONFLICT',
          route: 'write lock',
          issues: [{ detail: `Another write to the same relationship is still running; ${reason}` }],
        }));
      };
      const timer = deadline === undefined ? undefined : setTimeout(() => giveUp('the request deadline passed while waiting'), Math.max(0, deadline - Date.now()));
      const onAbort = (): void => giveUp('the request was cancelled while waiting');
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      void acquiring.then((release) => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(release);
      });
    });
  }
}
