/**
 * A small seeded pseudo-random generator (sfc32 seeded through splitmix32) so that the demo
 * workspace, ids and rate-based faults are reproducible from one seed number.
 */

const HEX_CODES = Buffer.from('0123456789abcdef', 'latin1');
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An unsigned 32-bit integer. */
  nextUint32(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** A lowercase UUID v4 string. */
  uuid(): string;
  /** A 26-character ULID-like string for the given millisecond time. */
  ulid(time: number): string;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();

  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Warm up so that close seeds diverge.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / 4294967296;
  const bytes = new Uint8Array(16);
  const chars = Buffer.alloc(36);

  return {
    next,
    nextUint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (probability) => next() < probability,
    uuid: () => {
      for (let word = 0; word < 4; word++) {
        const value = nextUint32();
        for (let byte = 0; byte < 4; byte++) bytes[word * 4 + byte] = (value >>> (24 - byte * 8)) & 0xff;
      }
      bytes[6] = (bytes[6]! & 0x0f) | 0x40;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      let at = 0;
      for (let i = 0; i < 16; i++) {
        if (i === 4 || i === 6 || i === 8 || i === 10) chars[at++] = 0x2d;
        chars[at++] = HEX_CODES[bytes[i]! >>> 4]!;
        chars[at++] = HEX_CODES[bytes[i]! & 0x0f]!;
      }
      // One flat string (not a chain of concatenations): ids are kept by the hundred thousand.
      return chars.toString('latin1', 0, 36);
    },
    ulid: (time) => {
      let out = '';
      let t = Math.max(0, Math.floor(time));
      for (let i = 0; i < 10; i++) {
        out = CROCKFORD[t % 32]! + out;
        t = Math.floor(t / 32);
      }
      for (let i = 0; i < 16; i++) out += CROCKFORD[nextUint32() % 32]!;
      return out;
    },
  };
}
