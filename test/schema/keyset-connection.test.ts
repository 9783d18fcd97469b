import { describe, expect, it } from 'vitest';
import type { ListPage } from '../../src/client/types.js';
import type { GatewayContext } from '../../src/loaders/request-context.js';
import type { KeyPosition } from '../../src/plan/paging.js';
import type { KeysetPlan, ListPlan } from '../../src/plan/plan.js';
import { keyedConnection, keyedConnectionBefore, type KeyedReader } from '../../src/schema/core/keyset-connection.js';

const keyset: KeysetPlan = {
  column: 'amount',
  dir: 'ASC',
  operators: { atOrAfter: 'Greater than or equal', atOrBefore: 'Less than or equal', after: 'Greater than', before: 'Less than' },
  nullable: false,
  countTotal: true,
};
const list = { page: { first: 2 }, keyset } as unknown as ListPlan & { keyset: KeysetPlan };
const key: KeyPosition = { column: 'amount', dir: 'ASC', value: 10, ids: ['d1'], idsFrom: ['d1'], nulls: 0, offset: 0 };

/** A reader whose page read fails at once and whose count read (no extra conditions) fails a moment later. */
const failing: KeyedReader = (extra) => () =>
  extra.length === 0
    ? new Promise<ListPage>((_, reject) => setTimeout(() => reject(new Error('count read failed')), 5))
    : Promise.reject(new Error('page read failed'));

describe('a key-cursor page with totalCount', () => {
  it.each([
    ['after', keyedConnection],
    ['before', keyedConnectionBefore],
  ] as const)('fails with its page read when both reads fail, leaving no rejection unhandled (%s)', async (_, connection) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(connection({} as GatewayContext, list, key, failing)).rejects.toThrow('page read failed');
      // The count read has failed by now, and its rejection had a turn to go unhandled.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
