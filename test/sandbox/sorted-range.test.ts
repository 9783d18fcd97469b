import { describe, expect, it } from 'vitest';
import { sortedRange } from '../../src/sandbox/sorted-range.js';
import type { StoredRecord } from '../../src/sandbox/store.js';

const OPERATORS: Record<string, (value: number, bound: number) => boolean> = {
  'Greater than': (value, bound) => value > bound,
  'Greater than or equal': (value, bound) => value >= bound,
  'Less than': (value, bound) => value < bound,
  'Less than or equal': (value, bound) => value <= bound,
};

/** Records with amounts from a small range (many ties) and some without one, sorted as the sandbox sorts them. */
function table(descending: boolean, seed: number): StoredRecord[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const records = Array.from({ length: 200 }, (_, i): StoredRecord => ({ id: `r${i}`, type: 'deal', attrs: { amount: next() < 0.2 ? null : Math.floor(next() * 20) } }));
  const value = (record: StoredRecord) => record.attrs['amount'] as number | null;
  return records.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return a.id < b.id ? -1 : 1;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x - y) * (descending ? -1 : 1);
  });
}

describe('sortedRange', () => {
  it('finds the same records as testing every one, across ties and the records without a value', () => {
    for (const descending of [false, true]) {
      for (let seed = 1; seed <= 20; seed++) {
        const ordered = table(descending, seed);
        for (const [operator, test] of Object.entries(OPERATORS)) {
          const fromTheStart = descending ? operator.startsWith('Less') : operator.startsWith('Greater');
          for (const bound of [-1, 0, 7, 19, 25]) {
            const matches = (record: StoredRecord) => record.attrs['amount'] !== null && test(record.attrs['amount'] as number, bound);
            const query = { filter: { amount: { [operator]: String(bound) } } };
            const found = sortedRange(ordered, query, { field: { name: 'amount' }, descending }, matches);
            if (!fromTheStart) expect(found).toBeUndefined();
            else expect(found?.map((record) => record.id), `${operator} ${bound} ${descending ? 'DESC' : 'ASC'} seed ${seed}`).toEqual(ordered.filter(matches).map((record) => record.id));
          }
        }
      }
    }
  });

  it('leaves any other filter to a full scan', () => {
    const ordered = table(false, 3);
    const spec = { field: { name: 'amount' }, descending: false };
    const always = () => true;
    expect(sortedRange(ordered, { filter: { amount: { 'Greater than': '3' }, stage: 'Won' } }, spec, always)).toBeUndefined();
    expect(sortedRange(ordered, { filter: { amount: { 'Greater than': '3', 'Less than': '9' } } }, spec, always)).toBeUndefined();
    expect(sortedRange(ordered, { filter: { close_date: { 'Is after': '2026-01-01' } } }, spec, always)).toBeUndefined();
    expect(sortedRange(ordered, {}, spec, always)).toBeUndefined();
  });
});
