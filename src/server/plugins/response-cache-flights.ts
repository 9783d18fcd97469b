import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { CachedAnswer, ResponseStore } from '../../shared-state/memory-response-cache.js';

/** Longest a replica holds the claim of a read, and another waits for its answer, in ms. */
const CLAIM_MS = 5000;

/** A read in flight: what it saw before going upstream, and its answer when it is storable. */
interface Flight {
  epoch: number;
  /** The versions read before going upstream; undefined when they could not be read (nothing is stored). */
  versions: Promise<string[] | undefined>;
  answer: Promise<ExecutionResult | undefined>;
}

/** A request's own read of a key, which the misses that follow it on this replica join. */
export interface OwnRead {
  /** The families' versions read before going upstream; undefined when they could not be read (nothing is stored). */
  readonly versions: Promise<string[] | undefined>;
  /**
   * Claims the key across replicas. While another replica holds the claim, its answer once it is
   * stored, and this read is settled with it and ended; undefined when this request reads upstream.
   */
  claim(deadline: number | undefined): Promise<CachedAnswer | undefined>;
  /** Hands the read's answer to the requests that joined it; undefined when it has none to share. */
  settle(answer: ExecutionResult | undefined): void;
  /** No request joins the read any more, and its claim is released: its answer is stored or given up. */
  end(): void;
}

const sameVersions = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((value, i) => value === b[i]);

/**
 * The response cache's reads in flight on this replica, and their claims across replicas.
 * Concurrent misses of one key make one upstream read: a request joins a read in flight only if
 * this replica invalidated nothing since it began and no family version moved, and a read claims
 * its key so that the other replicas wait for its stored answer instead of reading too.
 */
export class ReadFlights {
  private readonly cache: ResponseStore;
  private readonly flights = new Map<string, Flight>();
  /** Invalidations this replica made; a read in flight from before one is not joined. */
  private epoch = 0;

  constructor(cache: ResponseStore) {
    this.cache = cache;
  }

  /** This replica invalidated a write's tags: no read in flight from before it is joined. */
  invalidated(): void {
    this.epoch++;
  }

  /**
   * The answer of the read of the key in flight on this replica, if this request may join it;
   * else this request's own read, registered before any await so that the misses that follow join
   * it, unless another request registered its own while this one waited to join.
   */
  async joinOrBegin(key: string, families: readonly string[]): Promise<{ answer: ExecutionResult } | { own: OwnRead }> {
    const flight = this.flights.get(key);
    const answer = flight && flight.epoch === this.epoch ? await this.join(flight, families) : undefined;
    if (answer) return { answer };
    return { own: this.begin(key, families, flight) };
  }

  /** A flight's answer if no write moved a version since it began; undefined if one moved or it has none. */
  private async join(flight: Flight, families: readonly string[]): Promise<ExecutionResult | undefined> {
    const [then, now] = await Promise.all([flight.versions, this.versionsOf(families)]);
    const unmoved = then === undefined ? now === undefined : sameVersions(now, then);
    return unmoved ? flight.answer : undefined;
  }

  /** Registers a read of the key in place of `replaced`, the flight this request found (if still there). */
  private begin(key: string, families: readonly string[], replaced: Flight | undefined): OwnRead {
    let settle: (answer: ExecutionResult | undefined) => void = () => undefined;
    const own: Flight = { epoch: this.epoch, versions: this.versionsOf(families), answer: new Promise((resolve) => (settle = resolve)) };
    if (!this.flights.has(key) || this.flights.get(key) === replaced) this.flights.set(key, own);
    const token = randomUUID();
    let claimed = false;
    /** Joiners get the answer at once; the flight (and the claim) ends once the answer is stored. */
    const end = () => {
      if (this.flights.get(key) === own) this.flights.delete(key);
      if (claimed) void this.cache.release(key, token);
    };
    const claim = async (deadline: number | undefined): Promise<CachedAnswer | undefined> => {
      if (this.flights.get(key) !== own) return undefined;
      claimed = await this.cache.claim(key, token, CLAIM_MS);
      if (claimed) return undefined;
      // Another replica reads this key: take its answer once stored.
      const theirs = await this.answerOfClaim(key, deadline);
      if (theirs) {
        settle(theirs.result);
        end();
      }
      return theirs;
    };
    return { versions: own.versions, claim, settle: (answer) => settle(answer), end };
  }

  /** The answer of the replica holding the claim of a key, once it stored it; undefined if it let go without one. */
  private async answerOfClaim(key: string, deadline: number | undefined): Promise<CachedAnswer | undefined> {
    // Leave the request at least half of its remaining time to read for itself.
    const until = Math.min(Date.now() + CLAIM_MS, deadline === undefined ? Infinity : Date.now() + (deadline - Date.now()) / 2);
    for (let pause = 2; Date.now() < until; pause = Math.min(pause * 2, 25)) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const found = await this.cache.get(key);
      if (found) return found;
      if (!(await this.cache.claimed(key))) return this.cache.get(key);
    }
    return undefined;
  }

  /**
   * The families' versions, or undefined when they cannot be read now (nothing read meanwhile is
   * stored). The layered cache answers undefined itself; another store may throw instead.
   */
  private async versionsOf(families: readonly string[]): Promise<string[] | undefined> {
    try {
      return await this.cache.versions(families);
    } catch {
      return undefined;
    }
  }
}
