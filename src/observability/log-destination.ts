import type { Writable } from 'node:stream';
import { DEFAULTS } from '../config/defaults.js';

/** Options of a `LogDestination`. */
export interface LogDestinationOptions {
  /** Where the lines go. Default `process.stdout` (asynchronous for pipes and sockets). */
  target?: Writable;
  /**
   * Most characters waiting to be written, here and in the target's own queue. A line that would
   * pass it is dropped and counted, so a reader that stops reading costs lines, never memory or
   * a blocked event loop. Default 1 MiB.
   */
  maxBufferedBytes?: number;
  /** Turns each JSON line into what is written (pino-pretty's formatter on a terminal). */
  format?: (line: string) => string;
}


/**
 * A pino destination that never blocks: lines are batched and handed to a stream that writes
 * asynchronously, and dropped (and counted) once the bounded buffer is full. It has no
 * `flushSync`, so neither pino (`fatal`) nor an exit hook can wait on a reader that stopped
 * reading; `drained()` waits a bounded time instead.
 */
export class LogDestination {
  readonly #target: Writable;
  readonly #maxBufferedBytes: number;
  readonly #format: ((line: string) => string) | undefined;
  #pending: string[] = [];
  #pendingBytes = 0;
  #scheduled = false;
  #broken = false;
  #dropped = 0;
  #waiters = new Set<() => void>();

  constructor(options: LogDestinationOptions = {}) {
    this.#target = options.target ?? process.stdout;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? DEFAULTS.logBufferBytes;
    this.#format = options.format;
    // A closed pipe (EPIPE) ends logging, not the process.
    this.#target.on('error', () => {
      this.#broken = true;
      this.#dropped += this.#pending.length;
      this.#pending = [];
      this.#pendingBytes = 0;
    });
  }

  /** Lines dropped so far because the buffer was full or the target failed. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Called by pino with one serialized line. */
  write(line: string): void {
    if (this.#broken) {
      this.#dropped += 1;
      return;
    }
    const text = this.#format ? this.#format(line) : line;
    if (this.#pendingBytes + this.#target.writableLength + text.length > this.#maxBufferedBytes) {
      this.#dropped += 1;
      return;
    }
    this.#pending.push(text);
    this.#pendingBytes += text.length;
    if (!this.#scheduled) {
      this.#scheduled = true;
      // One write per turn of the event loop, whatever the number of lines.
      setImmediate(this.#writePending);
    }
  }

  /** pino's `logger.flush(cb)`: hands the batch over and calls back once written, or after 1 s. */
  flush(callback?: (error?: Error) => void): void {
    void this.drained(1000).then(() => callback?.());
  }

  /**
   * Hands the batch to the target and resolves true once everything is written, or false when
   * `timeoutMs` passes first (a reader that stopped reading). Never blocks.
   */
  drained(timeoutMs: number): Promise<boolean> {
    this.#writePending();
    if (this.#broken || this.#target.writableLength === 0) return Promise.resolve(!this.#broken);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.#waiters.delete(onWritten);
        resolve(result);
      };
      const onWritten = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#waiters.add(onWritten);
    });
  }

  readonly #onWritten = (): void => {
    if (this.#target.writableLength > 0 || this.#pending.length > 0) return;
    for (const waiter of this.#waiters) waiter();
  };

  readonly #writePending = (): void => {
    this.#scheduled = false;
    if (this.#pending.length === 0 || this.#broken) return;
    const batch = this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#target.write(batch, this.#onWritten);
  };
}
