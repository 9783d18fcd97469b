import type { ErrorCode } from '../errors/codes.js';
import type { LiveDelivery } from './types.js';

/**
 * One subscriber's stream: a buffer between the feed, which pushes whenever a poll finds
 * changes, and the transport, which pulls as fast as the client reads. A subscriber that falls
 * `maxBuffered` deliveries behind is ended with an error instead of holding memory without bound.
 */
export class SubscriberQueue implements AsyncIterableIterator<LiveDelivery> {
  private readonly buffer: LiveDelivery[] = [];
  private waiting: ((result: IteratorResult<LiveDelivery>) => void) | undefined;
  /** No more pushes; the stream ends once the buffer is drained. */
  private ending = false;
  private closed = false;

  constructor(
    private readonly onClose: () => void,
    private readonly maxBuffered = 1000,
  ) {}

  push(delivery: LiveDelivery): void {
    if (this.ending || this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: delivery, done: false });
      return;
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.buffer.length = 0;
      this.fail('SUBSCRIBER_TOO_SLOW', 'The subscriber read its changes too slowly and was disconnected; subscribe again.');
      return;
    }
    this.buffer.push(delivery);
  }

  /** Delivers the error as the last item, then ends the stream. */
  fail(code: ErrorCode, message: string): void {
    if (this.ending || this.closed) return;
    this.push({ error: { code, message } });
    this.ending = true;
    this.release();
  }

  next(): Promise<IteratorResult<LiveDelivery>> {
    const value = this.buffer.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ending || this.closed) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<LiveDelivery>> {
    this.finish();
    this.buffer.length = 0;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<LiveDelivery>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private release(): void {
    // The feed forgets the subscriber as soon as it ends, not when the client has read the end.
    if (!this.closed) {
      this.closed = true;
      this.onClose();
    }
  }

  private finish(): void {
    this.ending = true;
    this.release();
  }
}
