import { describe, expect, it } from 'vitest';
import {
  connectionCalls,
  decodeCursor,
  decodePosition,
  DEFAULT_PAGE_SIZE,
  encodeCursor,
  encodeKeyCursor,
  MAX_PAGE_SIZE,
  needsTotalCount,
  pagesFor,
  pageRequest,
  windowFor,
  type KeyPosition,
} from '../../src/plan/paging.js';

const codeOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: { code?: unknown } }).extensions?.code;
  }
  return 'no error';
};

describe('cursors', () => {
  it('round-trip an offset, including −1 for "before the first record"', () => {
    for (const offset of [-1, 0, 7, 4999]) expect(decodeCursor(encodeCursor(offset), 'after')).toBe(offset);
  });

  it('refuse anything this connection did not give out, naming the argument', () => {
    for (const bad of ['', 'abc', Buffer.from('offset:x').toString('base64url'), Buffer.from('offset:-2').toString('base64url'), Buffer.from('offset:1.5').toString('base64url')]) {
      expect(codeOf(() => decodeCursor(bad, 'before')), bad).toBe('BAD_USER_INPUT');
    }
  });

  it('carry a key position and its offset; a malformed key cursor is refused', () => {
    const key: KeyPosition = { column: 'amount', dir: 'DESC', value: 250, ids: ['a', 'b'], nulls: 0, offset: 12 };
    expect(decodePosition(encodeKeyCursor(key), 'after')).toEqual({ offset: 12, key });
    const nulls: KeyPosition = { column: 'close_date', dir: 'ASC', value: null, nulls: 3, offset: 40 };
    expect(decodePosition(encodeKeyCursor(nulls), 'after')).toEqual({ offset: 40, key: nulls });
    const noIds = Buffer.from(`key:${JSON.stringify(['amount', 'DESC', 250, null, null, 12])}`).toString('base64url');
    expect(codeOf(() => decodePosition(noIds, 'after'))).toBe('BAD_USER_INPUT');
  });
});

describe('page requests and windows', () => {
  it('default to the first DEFAULT_PAGE_SIZE records', () => {
    expect(windowFor(pageRequest({}))).toEqual({ offset: 0, limit: DEFAULT_PAGE_SIZE });
  });

  it('start after the `after` cursor and stop at the `before` cursor', () => {
    expect(windowFor(pageRequest({ first: 10, after: encodeCursor(4) }))).toEqual({ offset: 5, limit: 10 });
    expect(windowFor(pageRequest({ first: 10, after: encodeCursor(4), before: encodeCursor(8) }))).toEqual({ offset: 5, limit: 3 });
    expect(windowFor(pageRequest({ first: 10, after: encodeCursor(-1) }))).toEqual({ offset: 0, limit: 10 });
  });

  it('take `last` from the end: before the `before` cursor, or from the total when there is none', () => {
    const beforeTen = pageRequest({ last: 3, before: encodeCursor(10) });
    expect(needsTotalCount(beforeTen)).toBe(false);
    expect(windowFor(beforeTen)).toEqual({ offset: 7, limit: 3 });
    const fromEnd = pageRequest({ last: 3 });
    expect(needsTotalCount(fromEnd)).toBe(true);
    expect(windowFor(fromEnd, 50)).toEqual({ offset: 47, limit: 3 });
    expect(windowFor(pageRequest({ last: 30 }), 20)).toEqual({ offset: 0, limit: 20 });
    expect(windowFor(pageRequest({ last: 5, after: encodeCursor(8), before: encodeCursor(10) }))).toEqual({ offset: 9, limit: 1 });
  });

  it('refuse both `first` and `last`, and sizes out of range', () => {
    expect(codeOf(() => pageRequest({ first: 1, last: 1 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageRequest({ first: -1 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageRequest({ last: MAX_PAGE_SIZE + 1 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageRequest({ first: 2.5 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageRequest({ first: MAX_PAGE_SIZE }))).toBe('no error');
  });

  it('keep a key position only where it is the whole story (no cursor on the other side)', () => {
    const key = encodeKeyCursor({ column: 'amount', dir: 'ASC', value: 5, ids: ['a'], idsFrom: ['a'], nulls: 0, offset: 3 });
    expect(pageRequest({ first: 2, after: key })).toMatchObject({ afterOffset: 4, afterKey: { column: 'amount', value: 5 } });
    expect(pageRequest({ first: 2, after: key, before: encodeCursor(9) })).not.toHaveProperty('afterKey');
    expect(pageRequest({ last: 2, before: key })).toMatchObject({ beforeOffset: 3, beforeKey: { column: 'amount' } });
    expect(pageRequest({ last: 2, after: key })).not.toHaveProperty('afterKey');
  });
});

describe('upstream calls of a connection', () => {
  it('counts pages of UPSTREAM_PAGE_LIMIT, at least one, plus one for the total when `last` needs it', () => {
    expect([0, 1, 500, 501, 1200].map((n) => pagesFor(n))).toEqual([1, 1, 1, 2, 3]);
    expect(connectionCalls(pageRequest({ first: 1200 }))).toBe(3);
    expect(connectionCalls(pageRequest({ last: 10 }))).toBe(2);
    expect(connectionCalls(pageRequest({ last: 10, before: encodeCursor(40) }))).toBe(1);
  });
});
