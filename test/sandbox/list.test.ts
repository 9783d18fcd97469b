import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, attr, firstError, type ListDoc, type Resource } from './target.js';

let api: Api;
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  await api.close();
});

const ids = (doc: ListDoc): string[] => doc.data.map((record) => record.id);

/** Every record of an object, following links.next (also checks the links chain). */
async function all(path: string): Promise<Resource[]> {
  const out: Resource[] = [];
  let url: string | null = `${api.base}${path}${path.includes('?') ? '&' : '?'}page[limit]=500`;
  while (url) {
    const response = await api.send('GET', url);
    expect(response.status).toBe(200);
    const doc: ListDoc = response.json<ListDoc>();
    out.push(...doc.data);
    url = doc.links.next;
  }
  return out;
}

describe('paging', () => {
  it('defaults to limit 500 offset 0 and reports total_records / total_pages', async () => {
    const doc = await api.list('/objects/person/resources');
    expect(doc.meta.limit).toBe(500);
    expect(doc.meta.offset).toBe(0);
    expect(doc.meta.total_pages).toBe(Math.ceil(doc.meta.total_records / 500));
    expect(doc.data.length).toBe(Math.min(500, doc.meta.total_records));
  });

  it('pages with page[limit] / page[offset] and absolute links that keep the other parameters', async () => {
    const first = await api.list('/objects/person/resources?filter[job_title][Is not empty]=&page[limit]=5');
    expect(first.meta).toMatchObject({ offset: 0, limit: 5, total_pages: Math.ceil(first.meta.total_records / 5) });
    expect(first.links.prev).toBeNull();
    expect(first.links.next).not.toBeNull();
    const next = new URL(first.links.next!);
    expect(next.origin).toBe(api.origin);
    expect(next.pathname).toBe(new URL(`${api.base}/objects/person/resources`).pathname);
    expect(next.searchParams.get('page[offset]')).toBe('5');
    expect(next.searchParams.get('page[limit]')).toBe('5');
    expect(next.searchParams.get('filter[job_title][Is not empty]')).toBe('');
    const second = (await api.send('GET', first.links.next!)).json<ListDoc>();
    expect(second.meta.offset).toBe(5);
    expect(new URL(second.links.prev!).searchParams.get('page[offset]')).toBe('0');
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
  });

  it('gives 200 with empty data past the end, and next null on the last page', async () => {
    const past = await api.list('/objects/company/resources?page[offset]=100000');
    expect(past.data).toEqual([]);
    expect(past.links.next).toBeNull();
    const total = past.meta.total_records;
    const last = await api.list(`/objects/company/resources?page[limit]=10&page[offset]=${Math.max(0, total - 3)}`);
    expect(last.data.length).toBe(Math.min(3, total));
    expect(last.links.next).toBeNull();
  });

  it.each(['501', '0', '-1', 'ten'])('answers 400 for page[limit]=%s', async (limit) => {
    const response = await api.get(`/objects/person/resources?page[limit]=${limit}`);
    expect(response.status).toBe(400);
    expect(firstError(response).source?.parameter).toBe('page[limit]');
  });
});

describe('sorting', () => {
  it('sorts by one column ASC or DESC with nulls last in both directions', async () => {
    const asc = await all('/objects/deal/resources?sortOrder[column]=amount&sortOrder[dir]=ASC');
    const desc = await all('/objects/deal/resources?sortOrder[column]=amount&sortOrder[dir]=DESC');
    const amounts = (records: Resource[]): Array<number | null> => records.map((r) => attr<number | null>(r, 'amount'));
    const a = amounts(asc);
    const d = amounts(desc);
    const firstNullA = a.indexOf(null);
    const firstNullD = d.indexOf(null);
    if (firstNullA !== -1) expect(a.slice(firstNullA).every((v) => v === null)).toBe(true);
    if (firstNullD !== -1) expect(d.slice(firstNullD).every((v) => v === null)).toBe(true);
    const numbersA = a.filter((v): v is number => v !== null);
    const numbersD = d.filter((v): v is number => v !== null);
    expect(numbersA).toEqual([...numbersA].sort((x, y) => x - y));
    expect(numbersD).toEqual([...numbersA].reverse());
  });

  it('sorts on system fields; default order is _created_at then id', async () => {
    const sorted = await all('/objects/company/resources?sortOrder[column]=_created_at');
    const plain = await all('/objects/company/resources');
    expect(plain.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
    const stamps = plain.map((r) => String(r.attributes._created_at));
    expect(stamps).toEqual([...stamps].sort());
  });

  it('answers 400 for an unknown column or direction', async () => {
    const column = await api.get('/objects/deal/resources?sortOrder[column]=colour');
    expect(column.status).toBe(400);
    expect(firstError(column).source?.parameter).toBe('sortOrder[column]');
    const dir = await api.get('/objects/deal/resources?sortOrder[column]=amount&sortOrder[dir]=UP');
    expect(dir.status).toBe(400);
  });
});

describe('filtering', () => {
  it('text: exact Is (case-sensitive) and case-insensitive substring operators', async () => {
    const companies = await all('/objects/company/resources');
    const sample = companies[0]!;
    const name = String(sample.attributes.name);
    const is = await api.list(`/objects/company/resources?filter[name][Is]=${encodeURIComponent(name)}`);
    expect(ids(is)).toContain(sample.id);
    expect(is.data.every((r) => r.attributes.name === name)).toBe(true);
    const wrongCase = await api.list(`/objects/company/resources?filter[name][Is]=${encodeURIComponent(name.toUpperCase())}`);
    expect(wrongCase.data.every((r) => r.attributes.name === name.toUpperCase())).toBe(true);
    const fragment = name.slice(1, 4).toUpperCase();
    const contains = await api.list(`/objects/company/resources?filter[name][Contains]=${encodeURIComponent(fragment)}`);
    const expected = companies.filter((r) => String(r.attributes.name).toLowerCase().includes(fragment.toLowerCase())).map((r) => r.id);
    expect(ids(contains).sort()).toEqual(expected.sort());
    const notContains = await api.list(`/objects/company/resources?filter[name][Does not contain]=${encodeURIComponent(fragment)}`);
    expect(notContains.meta.total_records).toBe(companies.length - expected.length);
    const starts = await api.list(`/objects/company/resources?filter[name][Starts with]=${encodeURIComponent(name.slice(0, 3))}`);
    expect(starts.data.every((r) => String(r.attributes.name).toLowerCase().startsWith(name.slice(0, 3).toLowerCase()))).toBe(true);
    const ends = await api.list(`/objects/company/resources?filter[name][Ends with]=${encodeURIComponent(name.slice(-3))}`);
    expect(ids(ends)).toContain(sample.id);
  });

  it('numbers: a range repeats the field and the conditions are ANDed', async () => {
    const deals = await all('/objects/deal/resources');
    const doc = await api.list('/objects/deal/resources?filter[amount][Greater than]=10000&filter[amount][Less than or equal]=50000');
    const expected = deals.filter((r) => {
      const amount = attr<number | null>(r, 'amount');
      return amount !== null && amount > 10000 && amount <= 50000;
    });
    expect(ids(doc).sort()).toEqual(expected.map((r) => r.id).sort());
    const gte = await api.list('/objects/deal/resources?filter[amount][Greater than or equal]=50000&filter[amount][Less than]=60000');
    expect(gte.data.every((r) => attr<number>(r, 'amount') >= 50000 && attr<number>(r, 'amount') < 60000)).toBe(true);
  });

  it('selects: One of / Not one of take a comma list; empties ignore their value', async () => {
    const deals = await all('/objects/deal/resources');
    const oneOf = await api.list('/objects/deal/resources?filter[stage][One of]=Won,Negotiation');
    expect(ids(oneOf).sort()).toEqual(deals.filter((r) => ['Won', 'Negotiation'].includes(String(r.attributes.stage))).map((r) => r.id).sort());
    const notOneOf = await api.list('/objects/deal/resources?filter[stage][Not one of]=Won,Negotiation');
    expect(notOneOf.meta.total_records).toBe(deals.length - oneOf.meta.total_records);
    const empty = await api.list('/objects/deal/resources?filter[amount][Is empty]=whatever');
    expect(empty.meta.total_records).toBe(deals.filter((r) => r.attributes.amount === null).length);
    const notEmpty = await api.list('/objects/deal/resources?filter[amount][Is not empty]');
    expect(notEmpty.meta.total_records).toBe(deals.filter((r) => r.attributes.amount !== null).length);
  });

  it('dates and date-times: before / after with a bare date', async () => {
    const deals = await all('/objects/deal/resources');
    const before = await api.list('/objects/deal/resources?filter[close_date][Is before]=2026-01-01');
    expect(ids(before).sort()).toEqual(deals.filter((r) => r.attributes.close_date !== null && String(r.attributes.close_date) < '2026-01-01').map((r) => r.id).sort());
    const meetings = await all('/objects/meeting/resources');
    const after = await api.list('/objects/meeting/resources?filter%5Bstart%5D%5BIs+on+or+after%5D=2026-01-01T00:00:00.000Z');
    expect(ids(after).sort()).toEqual(meetings.filter((r) => String(r.attributes.start) >= '2026-01-01T00:00:00.000Z').map((r) => r.id).sort());
    const sample = meetings[0]!;
    const day = String(sample.attributes.start).slice(0, 10);
    const onDay = await api.list(`/objects/meeting/resources?filter[start][Is]=${day}`);
    expect(ids(onDay)).toContain(sample.id);
    expect(onDay.data.every((r) => String(r.attributes.start).startsWith(day))).toBe(true);
  });

  it('checkbox, record ids and collections', async () => {
    const meetings = await all('/objects/meeting/resources');
    const allDay = await api.list('/objects/meeting/resources?filter[all_day][Is]=true');
    expect(allDay.meta.total_records).toBe(meetings.filter((r) => r.attributes.all_day === true).length);
    const person = (await api.list('/objects/person/resources?filter[email_addresses][Is not empty]&page[limit]=1')).data[0]!;
    const byId = await api.list(`/objects/person/resources?filter[_id][Is]=${person.id}`);
    expect(ids(byId)).toEqual([person.id]);
    const address = attr<{ items: string[] }>(person, 'email_addresses').items[0]!;
    const exact = await api.list(`/objects/person/resources?filter[email_addresses]=${encodeURIComponent(address)}`);
    expect(ids(exact)).toEqual([person.id]);
    const domain = address.split('@')[1]!;
    const contains = await api.list(`/objects/person/resources?filter[email_addresses][Contains]=${encodeURIComponent(domain)}`);
    expect(ids(contains)).toContain(person.id);
    const companyId = String(person.attributes.company_id);
    const byFk = await api.list(`/objects/person/resources?filter[company_id][Is]=${companyId}`);
    expect(byFk.data.every((r) => r.attributes.company_id === companyId)).toBe(true);
  });

  it('shorthand in the plain form', async () => {
    const deals = await all('/objects/deal/resources');
    const gt = await api.list('/objects/deal/resources?filter[amount]=%3E50000');
    expect(gt.meta.total_records).toBe(deals.filter((r) => attr<number | null>(r, 'amount') !== null && attr<number>(r, 'amount') > 50000).length);
    const notLost = await api.list('/objects/deal/resources?filter[stage]=!=Lost');
    expect(notLost.meta.total_records).toBe(deals.filter((r) => r.attributes.stage !== 'Lost').length);
    const list = await api.list('/objects/deal/resources?filter[stage]=Won,Negotiation');
    expect(list.data.every((r) => ['Won', 'Negotiation'].includes(String(r.attributes.stage)))).toBe(true);
    const nulls = await api.list('/objects/deal/resources?filter[amount]=null');
    expect(nulls.meta.total_records).toBe(deals.filter((r) => r.attributes.amount === null).length);
    const contains = await api.list('/objects/deal/resources?filter[name]=*renewal*');
    expect(contains.meta.total_records).toBe(deals.filter((r) => String(r.attributes.name).toLowerCase().includes('renewal')).length);
  });

  it('relationship paths start with the slug, need no include, and match any linked record', async () => {
    const deal = (await api.list('/objects/deal/resources?filter[company_id][Is not empty]&page[limit]=1')).data[0]!;
    const company = await api.one(`/objects/company/records/${String(deal.attributes.company_id)}`);
    const name = String(company.data.attributes.name);
    const doc = await api.list(`/objects/deal/resources?filter[deal.company_id.name]=${encodeURIComponent(name)}`);
    expect(ids(doc)).toContain(deal.id);
    expect(doc.included).toBeUndefined();
    for (const record of doc.data) {
      const owner = await api.one(`/objects/company/records/${String(record.attributes.company_id)}`);
      expect(owner.data.attributes.name).toBe(name);
    }
    const person = (await api.list('/objects/person/resources?filter[person.deals._id][Is not empty]&page[limit]=1')).data[0];
    if (person) {
      const dealId = (person.relationships.deals!.data as Array<{ id: string }>)[0]!.id;
      const viaToMany = await api.list(`/objects/person/resources?filter[person.deals._id][Is]=${dealId}`);
      expect(ids(viaToMany)).toContain(person.id);
    }
  });

  it('accepts raw brackets, %5B/%5D and + or %20 for spaces alike', async () => {
    const raw = await api.list('/objects/deal/resources?filter[amount][Greater than or equal]=20000');
    const encoded = await api.list('/objects/deal/resources?filter%5Bamount%5D%5BGreater%20than%20or%20equal%5D=20000');
    const plus = await api.list('/objects/deal/resources?filter%5Bamount%5D%5BGreater+than+or+equal%5D=20000');
    expect(ids(encoded)).toEqual(ids(raw));
    expect(ids(plus)).toEqual(ids(raw));
    expect(raw.meta.total_records).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown operator', 'filter[amount][Equals]=5', 'filter[amount][Equals]'],
    ['a lowercase operator', 'filter[amount][is]=5', 'filter[amount][is]'],
    ['an operator the type does not allow', 'filter[stage][Contains]=Won', 'filter[stage][Contains]'],
    ['an unknown field', 'filter[colour]=red', 'filter[colour]'],
    ['a relationship path deeper than three', 'filter[deal.company_id.people.company_id.name]=x', 'filter[deal.company_id.people.company_id.name]'],
    ['a non-number for a number', 'filter[amount][Greater than]=lots', 'filter[amount][Greater than]'],
  ])('answers 400 with source.parameter for %s', async (_label, query, parameter) => {
    const response = await api.get(`/objects/deal/resources?${query}`);
    expect(response.status).toBe(400);
    expect(firstError(response)).toMatchObject({ status: '400', source: { parameter } });
  });
});

describe('include', () => {
  it('adds related records once each, never a primary one, each with relationships', async () => {
    const doc = await api.list('/objects/person/resources?include=company_id,deals&page[limit]=50');
    const included = doc.included ?? [];
    const keys = included.map((r) => `${r.type}:${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    const primary = new Set(doc.data.map((r) => `${r.type}:${r.id}`));
    expect(keys.some((key) => primary.has(key))).toBe(false);
    const wanted = new Set<string>();
    for (const person of doc.data) {
      if (person.attributes.company_id) wanted.add(`company:${String(person.attributes.company_id)}`);
      for (const deal of person.relationships.deals!.data as Array<{ id: string }>) wanted.add(`deal:${deal.id}`);
    }
    expect(new Set(keys)).toEqual(wanted);
    for (const record of included) expect(record.relationships).toBeTypeOf('object');
  });

  it('follows dotted paths and leaves primary records out even when reached again', async () => {
    const doc = await api.list('/objects/person/resources?include=company_id.people&page[limit]=20');
    const primary = new Set(doc.data.map((r) => r.id));
    const included = doc.included ?? [];
    expect(included.some((r) => r.type === 'company')).toBe(true);
    expect(included.some((r) => r.type === 'person')).toBe(true);
    expect(included.some((r) => r.type === 'person' && primary.has(r.id))).toBe(false);
    const three = await api.list('/objects/task/resources?include=deal_id.company_id.people&page[limit]=10');
    expect(three.included).toBeDefined();
  });

  it('works on single reads and answers 400 for an unknown name', async () => {
    const deal = (await api.list('/objects/deal/resources?filter[company_id][Is not empty]&page[limit]=1')).data[0]!;
    const one = await api.one(`/objects/deal/resources/${deal.id}?include=company_id`);
    expect(one.included?.map((r) => r.id)).toEqual([deal.attributes.company_id]);
    const records = await api.one(`/objects/deal/records/${deal.id}?include=company_id`);
    expect(records.included).toEqual(one.included);
    const unknown = await api.get('/objects/deal/resources?include=spaceships');
    expect(unknown.status).toBe(400);
    expect(firstError(unknown).source?.parameter).toBe('include');
  });
});

describe.skipIf(REAL_API)('large workspaces', () => {
  it('pages through 1,200+ records without gaps or repeats', async () => {
    const big = await Api.open({ records: 3000 });
    try {
      const seen = new Set<string>();
      let url: string | null = `${big.base}/objects/person/resources?page[limit]=500`;
      let pages = 0;
      let total = 0;
      while (url) {
        const doc: ListDoc = (await big.send('GET', url)).json<ListDoc>();
        total = doc.meta.total_records;
        for (const record of doc.data) seen.add(record.id);
        url = doc.links.next;
        pages++;
      }
      expect(total).toBeGreaterThanOrEqual(1200);
      expect(seen.size).toBe(total);
      expect(pages).toBe(Math.ceil(total / 500));
    } finally {
      await big.close();
    }
  });
});
