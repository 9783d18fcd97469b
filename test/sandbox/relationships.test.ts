import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, firstError, unique, type Identifier, type ListDoc, type Resource, type SingleDoc } from './target.js';

let api: Api;
const created: Array<[string, string]> = [];
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  if (REAL_API) for (const [object, id] of created.reverse()) await api.delete(`/objects/${object}/records/${id}`);
  await api.close();
});

async function make(object: string, attributes: Record<string, unknown>): Promise<Resource> {
  const response = await api.post(`/objects/${object}/records`, { data: { type: object, attributes } });
  expect(response.status).toBe(201);
  const record = response.json<SingleDoc>().data;
  created.push([object, record.id]);
  return record;
}

const person = (label: string, extra: Record<string, unknown> = {}): Promise<Resource> =>
  make('person', { name: label, email_addresses: { items: [`${unique(label).replace(/\W+/g, '.').toLowerCase()}@example.com`] }, ...extra });
const linked = (doc: { data: Identifier[] }): string[] => doc.data.map((item) => item.id).sort();
const path = (object: string, id: string, rel: string): string => `/objects/${object}/records/${id}/relationships/${rel}`;

describe('GET .../relationships/{rel}', () => {
  it('returns full related resources, paged, in the list envelope', async () => {
    const companies = await api.list('/objects/company/resources?sortOrder[column]=name');
    const company = [...companies.data].sort(
      (a, b) => (b.relationships.people!.meta?.count ?? 0) - (a.relationships.people!.meta?.count ?? 0),
    )[0]!;
    const count = company.relationships.people!.meta!.count;
    expect(count).toBeGreaterThan(1);
    const limit = Math.max(1, Math.floor(count / 2));
    const first = await api.list(`${path('company', company.id, 'people')}?page[limit]=${limit}`);
    expect(first.meta).toMatchObject({ total_records: count, limit, offset: 0, total_pages: Math.ceil(count / limit) });
    expect(first.data[0]!.attributes).toHaveProperty('email_addresses');
    expect(first.data.every((r) => r.type === 'person' && r.attributes.company_id === company.id)).toBe(true);
    const seen = new Set<string>();
    let url: string | null = `${api.base}${path('company', company.id, 'people')}?page[limit]=${limit}`;
    while (url) {
      const doc: ListDoc = (await api.send('GET', url)).json<ListDoc>();
      for (const record of doc.data) seen.add(record.id);
      url = doc.links.next;
    }
    const identifiers = (company.relationships.people!.data as Identifier[]).map((item) => item.id);
    expect([...seen].sort()).toEqual(identifiers.sort());
  });

  it('gives zero or one item for a to-one, and takes include relative to the related records', async () => {
    const company = await make('company', { name: unique('Rel Co') });
    const someone = await person('Rel Person', { company_id: company.id });
    const toOne = await api.list(`${path('person', someone.id, 'company_id')}?include=people`);
    expect(toOne.data.map((r) => r.id)).toEqual([company.id]);
    expect(toOne.included?.map((r) => r.id)).toEqual([someone.id]);
    const nobody = await person('Rel Nobody');
    expect((await api.list(path('person', nobody.id, 'company_id'))).data).toEqual([]);
  });

  it('answers 404 for an unknown record or relationship', async () => {
    const someone = await person('Rel 404');
    expect((await api.get(path('person', '00000000-0000-4000-8000-000000000000', 'deals'))).status).toBe(404);
    expect((await api.get(path('person', someone.id, 'friends'))).status).toBe(404);
  });
});

describe('PATCH / DELETE by relationship kind', () => {
  it('many-to-many (deal.people): PATCH replaces the set, DELETE unlinks only the listed ones', async () => {
    const deal = await make('deal', { name: unique('M2M deal') });
    const [a, b, c] = [await person('M2M A'), await person('M2M B'), await person('M2M C')];
    const first = await api.patch(path('deal', deal.id, 'people'), { data: [{ type: 'person', id: a.id }, { type: 'person', id: b.id }] });
    expect(first.status).toBe(200);
    expect(linked(first.json())).toEqual([a.id, b.id].sort());
    const replaced = await api.patch(path('deal', deal.id, 'people'), { data: [{ type: 'person', id: b.id }, { type: 'person', id: c.id }] });
    expect(linked(replaced.json())).toEqual([b.id, c.id].sort());
    const inverse = await api.one(`/objects/person/records/${a.id}`);
    expect(inverse.data.relationships.deals!.data).toEqual([]);
    expect((await api.one(`/objects/person/records/${c.id}`)).data.relationships.deals!.data).toEqual([{ type: 'deal', id: deal.id }]);

    const removed = await api.delete(path('deal', deal.id, 'people'), { data: [{ type: 'person', id: b.id }, { type: 'person', id: a.id }] });
    expect(removed.status).toBe(204);
    const after = await api.one(`/objects/deal/records/${deal.id}`);
    expect(after.data.relationships.people).toEqual({ data: [{ type: 'person', id: c.id }], meta: { count: 1 } });
  });

  it('one-to-many (company.people): PATCH adds and moves, DELETE nulls the FK of the listed ones', async () => {
    const [home, other] = [await make('company', { name: unique('Home') }), await make('company', { name: unique('Other') })];
    const stays = await person('O2M stays', { company_id: home.id });
    const moves = await person('O2M moves', { company_id: other.id });
    const added = await api.patch(path('company', home.id, 'people'), { data: [{ type: 'person', id: moves.id }] });
    expect(added.status).toBe(200);
    expect(linked(added.json())).toEqual([stays.id, moves.id].sort());
    expect((await api.one(`/objects/person/records/${moves.id}`)).data.attributes.company_id).toBe(home.id);
    expect((await api.one(`/objects/company/records/${other.id}`)).data.relationships.people).toEqual({ data: [], meta: { count: 0 } });

    const removed = await api.delete(path('company', home.id, 'people'), { data: [{ type: 'person', id: stays.id }] });
    expect(removed.status).toBe(204);
    expect((await api.one(`/objects/person/records/${stays.id}`)).data.attributes.company_id).toBeNull();
    expect((await api.one(`/objects/person/records/${moves.id}`)).data.attributes.company_id).toBe(home.id);
  });

  it('to-one (person.company_id): PATCH replaces, null clears, two items → 422, DELETE clears the current one', async () => {
    const [x, y] = [await make('company', { name: unique('X') }), await make('company', { name: unique('Y') })];
    const someone = await person('To-one', { company_id: x.id });
    const replaced = await api.patch(path('person', someone.id, 'company_id'), { data: { type: 'company', id: y.id } });
    expect(replaced.status).toBe(200);
    expect(replaced.json<{ data: Identifier[] }>().data).toEqual([{ type: 'company', id: y.id }]);
    expect((await api.one(`/objects/person/records/${someone.id}`)).data.relationships.company_id).toEqual({ data: { type: 'company', id: y.id } });
    const two = await api.patch(path('person', someone.id, 'company_id'), { data: [{ type: 'company', id: x.id }, { type: 'company', id: y.id }] });
    expect(two.status).toBe(422);
    const notCurrent = await api.delete(path('person', someone.id, 'company_id'), { data: [{ type: 'company', id: x.id }] });
    expect(notCurrent.status).toBe(204);
    expect((await api.one(`/objects/person/records/${someone.id}`)).data.attributes.company_id).toBe(y.id);
    expect((await api.delete(path('person', someone.id, 'company_id'), { data: [{ type: 'company', id: y.id }] })).status).toBe(204);
    expect((await api.one(`/objects/person/records/${someone.id}`)).data.attributes.company_id).toBeNull();
    await api.patch(path('person', someone.id, 'company_id'), { data: { type: 'company', id: x.id } });
    const cleared = await api.patch(path('person', someone.id, 'company_id'), { data: null });
    expect(cleared.status).toBe(200);
    expect((await api.one(`/objects/person/records/${someone.id}`)).data.attributes.company_id).toBeNull();
  });

  it('answers 404 for an unknown related id and 422 for a wrong type, changing nothing', async () => {
    const deal = await make('deal', { name: unique('Strict deal') });
    const a = await person('Strict A');
    await api.patch(path('deal', deal.id, 'people'), { data: [{ type: 'person', id: a.id }] });
    const missing = await api.patch(path('deal', deal.id, 'people'), { data: [{ type: 'person', id: '00000000-0000-4000-8000-000000000000' }] });
    expect(missing.status).toBe(404);
    const wrongType = await api.patch(path('deal', deal.id, 'people'), { data: [{ type: 'company', id: a.id }] });
    expect(wrongType.status).toBe(422);
    expect(firstError(wrongType).source?.pointer).toBe('/data/0/type');
    expect((await api.one(`/objects/deal/records/${deal.id}`)).data.relationships.people!.data).toEqual([{ type: 'person', id: a.id }]);
  });
});

describe.skipIf(REAL_API)('seeded relationships', () => {
  it('has a company with more than 30 people and deals with people and tasks', async () => {
    const companies = await api.list('/objects/company/resources');
    const biggest = Math.max(...companies.data.map((c) => c.relationships.people!.meta!.count));
    expect(biggest).toBeGreaterThan(30);
    const deals = await api.list('/objects/deal/resources');
    expect(deals.data.every((d) => d.relationships.people!.meta!.count >= 1)).toBe(true);
    expect(deals.data.some((d) => d.relationships.tasks!.meta!.count > 0)).toBe(true);
    const meetings = await api.list('/objects/meeting/resources');
    expect(meetings.data.some((m) => m.relationships.people!.meta!.count > 0)).toBe(true);
  });
});
