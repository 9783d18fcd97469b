import { credentialFingerprint } from '../client/credential-fingerprint.js';
import { TokenBuckets } from '../client/rate-limit.js';
import { sleep } from '../client/semaphore.js';

/**
 * The share of the upstream rate budget that bulk work may take, per credential: a token bucket
 * at `share` percent of the per-minute limit, in front of the shared budget every call books
 * anyway. Exports and imports of one credential draw on the same bucket, so however many run at
 * once, interactive traffic keeps the rest of each minute.
 */
export class BudgetShare {
  private readonly buckets: TokenBuckets;

  /**
   * @param perMinute Upstream calls per minute the budget allows (per credential and endpoint).
   * @param share Percentage of it bulk work may use, 1–100.
   */
  constructor(perMinute: number, share: number) {
    this.buckets = new TokenBuckets(Math.max(1, Math.floor((perMinute * share) / 100)));
  }

  /**
   * Takes `calls` tokens for `credential` and resolves once they are due; the wait is returned in
   * ms. A cancelled `signal` ends the wait early (the tokens stay taken).
   */
  async take(credential: string, calls: number, signal?: AbortSignal): Promise<number> {
    const key = credentialFingerprint(credential);
    let wait = 0;
    for (let i = 0; i < calls; i++) wait = Math.max(wait, this.buckets.take(key, Number.POSITIVE_INFINITY));
    // A cancelled job stops waiting; its caller sees the abort on its own signal.
    if (wait > 0) await sleep(wait, signal).catch(() => undefined);
    return wait;
  }
}
