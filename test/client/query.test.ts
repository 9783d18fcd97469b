import qs from 'qs';
import { describe, expect, it } from 'vitest';
import { clampLimit, encodeQuery, includeList, listQueryPairs } from '../../src/client/query.js';

describe('list query encoding', () => {
  it('encodes filters in the explicit bracket form with %20 for spaces', () => {
    const query = encodeQuery(
      listQueryPairs(
        {
          filter: [
            { path: 'amount', operator: 'Greater than', value: '10000' },
            { path: 'amount', operator: 'Less than or equal', value: '50000' },
            { path: 'deal.company_id.name', operator: 'Is', value: 'Acme & Co' },
          ],
        },
        500,
      ),
    );
    expect(query).toBe(
      'filter%5Bamount%5D%5BGreater%20than%5D=10000' +
        '&filter%5Bamount%5D%5BLess%20than%20or%20equal%5D=50000' +
        '&filter%5Bdeal.company_id.name%5D%5BIs%5D=Acme%20%26%20Co' +
        '&page%5Blimit%5D=500&page%5Boffset%5D=0',
    );
  });

  it('round-trips through a bracket-notation parser', () => {
    const query = encodeQuery(
      listQueryPairs(
        {
          filter: [
            { path: 'stage', operator: 'One of', value: 'Won,Negotiation' },
            { path: 'name', operator: 'Is', value: 'null' },
            { path: '_updated_at', operator: 'Is after', value: '2026-09-01T00:00:00.000+02:00' },
          ],
          sort: { column: 'amount', dir: 'DESC' },
          include: ['company_id', 'people.company_id', 'company_id'],
          limit: 25,
          offset: 50,
        },
        500,
      ),
    );
    expect(qs.parse(query, { depth: 5 })).toEqual({
      filter: {
        stage: { 'One of': 'Won,Negotiation' },
        name: { Is: 'null' },
        _updated_at: { 'Is after': '2026-09-01T00:00:00.000+02:00' },
      },
      sortOrder: { column: 'amount', dir: 'DESC' },
      include: 'company_id,people.company_id',
      page: { limit: '25', offset: '50' },
    });
  });

  it('keeps repeated conditions with the same field and operator', () => {
    const query = encodeQuery(
      listQueryPairs(
        {
          filter: [
            { path: 'stage', operator: 'Is not', value: 'Won' },
            { path: 'stage', operator: 'Is not', value: 'Lost' },
          ],
        },
        500,
      ),
    );
    const keys = [...new URLSearchParams(query).entries()].filter(([key]) => key.startsWith('filter'));
    expect(keys).toEqual([
      ['filter[stage][Is not]', 'Won'],
      ['filter[stage][Is not]', 'Lost'],
    ]);
  });

  it('never asks for more than 500 or the configured page size', () => {
    expect(clampLimit(1000, 500)).toBe(500);
    expect(clampLimit(undefined, 500)).toBe(500);
    expect(clampLimit(undefined, 2000)).toBe(500);
    expect(clampLimit(300, 100)).toBe(100);
    expect(clampLimit(0, 500)).toBe(1);
    expect(clampLimit(-5, 500)).toBe(1);
    const pairs = listQueryPairs({ limit: 9999, offset: -3 }, 500);
    expect(pairs).toEqual([
      ['page[limit]', '500'],
      ['page[offset]', '0'],
    ]);
  });

  it('builds a deduplicated include list', () => {
    expect(includeList(['deals', ' company_id ', 'deals', ''])).toBe('deals,company_id');
  });
});
