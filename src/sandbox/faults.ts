import { badRequest } from './errors.js';
import { createRng, type Rng } from './prng.js';
import { ROUTE_KEYS } from './routes.js';
import { isObject } from './schema-registry.js';

/** A scripted misbehaviour for matching `/v1` requests. */
export interface Fault {
  /** `"METHOD /template"` as in stats; absent = every route. */
  route?: string;
  status?: number;
  /** Seconds for `Retry-After` with a scripted 429/503. */
  retryAfter?: number;
  delayMs?: number;
  /** Destroy the socket after the request was read (and, for writes, applied). */
  drop?: boolean;
  /** Answer with a truncated JSON body. */
  malformed?: boolean;
  /** Fire for the next N matching requests. */
  count?: number;
  /** Fire for this fraction of matching requests, deterministic from the seed. */
  rate?: number;
}

interface ActiveFault extends Fault {
  fired: number;
}

export class FaultBook {
  private faults: ActiveFault[] = [];
  private rng: Rng;

  constructor(private readonly seed: number) {
    this.rng = createRng(seed ^ 0x5eed);
  }

  reset(): void {
    this.faults = [];
    this.rng = createRng(this.seed ^ 0x5eed);
  }

  list(): Fault[] {
    return this.faults.map(({ fired: _fired, ...fault }) => fault);
  }

  /** Applies a `POST /__sandbox/faults` body. */
  script(body: unknown): void {
    if (!isObject(body)) throw badRequest('The body must be a JSON object describing a fault, or {"clear": true}');
    if (body.clear === true) {
      this.faults = [];
      return;
    }
    const fault: ActiveFault = { fired: 0 };
    const { route, status, retryAfter, delayMs, drop, malformed, count, rate } = body;
    if (route !== undefined) {
      if (typeof route !== 'string' || !ROUTE_KEYS.has(route)) {
        throw badRequest(`route must be one of: ${[...ROUTE_KEYS].join('; ')}`, { pointer: '/route' });
      }
      fault.route = route;
    }
    if (status !== undefined) {
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
        throw badRequest('status must be an HTTP status code', { pointer: '/status' });
      }
      fault.status = status;
    }
    if (retryAfter !== undefined) {
      if (typeof retryAfter !== 'number' || retryAfter < 0) throw badRequest('retryAfter must be a number of seconds', { pointer: '/retryAfter' });
      fault.retryAfter = retryAfter;
    }
    if (delayMs !== undefined) {
      if (typeof delayMs !== 'number' || delayMs < 0) throw badRequest('delayMs must be a number of milliseconds', { pointer: '/delayMs' });
      fault.delayMs = delayMs;
    }
    if (drop !== undefined) {
      if (typeof drop !== 'boolean') throw badRequest('drop must be true or false', { pointer: '/drop' });
      if (drop) fault.drop = true;
    }
    if (malformed !== undefined) {
      if (typeof malformed !== 'boolean') throw badRequest('malformed must be true or false', { pointer: '/malformed' });
      if (malformed) fault.malformed = true;
    }
    if (fault.status === undefined && fault.delayMs === undefined && !fault.drop && !fault.malformed) {
      throw badRequest('A fault needs one effect: status, delayMs, drop or malformed');
    }
    if (count !== undefined) {
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw badRequest('count must be a positive whole number', { pointer: '/count' });
      fault.count = count;
    }
    if (rate !== undefined) {
      if (typeof rate !== 'number' || rate < 0 || rate > 1) throw badRequest('rate must be between 0 and 1', { pointer: '/rate' });
      fault.rate = rate;
    }
    this.faults.push(fault);
  }

  /** The first fault that fires for this request, if any, counting it as used. */
  take(key: string): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.route !== undefined && fault.route !== key) continue;
      if (fault.count !== undefined && fault.fired >= fault.count) continue;
      if (fault.rate !== undefined && this.rng.next() >= fault.rate) continue;
      fault.fired++;
      const { fired: _fired, ...effect } = fault;
      this.faults = this.faults.filter((item) => item.count === undefined || item.fired < item.count);
      return effect;
    }
    return undefined;
  }
}
