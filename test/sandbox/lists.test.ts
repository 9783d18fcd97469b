import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, SANDBOX_ONLY, firstError, unique, type SingleDoc } from './target.js';

interface SavedList {
  type: string;
  id: string;
  attributes: { name: string; object: string; kind: string; filter: unknown; record_count: number };
}

let api: Api;
const createdLists: Array<[string, string]> = [];
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  if (REAL_API) for (const [object, id] of createdLists) await api.delete(`/objects/${object}/lists/${id}`);
  await api.close();
});

async function createList(object: string, body: Record<string, unknown>): Promise<SavedList> {
  const response = await api.post(`/objects/${object}/lists`, body);
  expect(response.status, response.text).toBe(201);
  const list = response.json<{ data: SavedList }>().data;
  createdLists.push([object, list.id]);
  return list;
}

describe('saved lists', () => {
  it('creates a static list, adds and removes records, and reads them through /resources with include', async () => {
    const list = await createList('person', { name: unique('VIPs'), kind: 'static' });
    expect(list.attributes).toMatchObject({ object: 'person', kind: 'static', record_count: 0, filter: null });
    const people = await api.list('/objects/person/resources?page[limit]=3&filter[company_id][Is not empty]=');
    const ids = people.data.map((person) => person.id);
    const added = await api.post(`/objects/person/lists/${list.id}/resources`, { data: ids.map((id) => ({ type: 'person', id })) });
    expect(added.status).toBe(200);
    const again = await api.post(`/objects/person/lists/${list.id}/resources`, { data: [{ type: 'person', id: ids[0] }] });
    expect(again.json<{ data: unknown[] }>().data).toHaveLength(3);

    const records = await api.list(`/objects/person/lists/${list.id}/resources?include=company_id`);
    expect(records.data.map((record) => record.id).sort()).toEqual([...ids].sort());
    expect(records.meta.total_records).toBe(3);
    expect(records.included?.every((item) => item.type === 'company')).toBe(true);

    expect((await api.delete(`/objects/person/lists/${list.id}/resources`, { data: [{ type: 'person', id: ids[0] }] })).status).toBe(204);
    const one = await api.one(`/objects/person/lists/${list.id}`);
    expect((one.data as unknown as SavedList).attributes.record_count).toBe(2);
  });

  it('creates a dynamic list whose records follow its filter, and refuses manual membership on it', async () => {
    const list = await createList('deal', { name: unique('Big deals'), kind: 'dynamic', filter: { amount: { 'Greater than': '50000' } } });
    const records = await api.list(`/objects/deal/lists/${list.id}/resources?page[limit]=500`);
    expect(records.data.every((deal) => (deal.attributes.amount as number) > 50000)).toBe(true);
    const direct = await api.list('/objects/deal/resources?filter[amount][Greater than]=50000&page[limit]=1');
    expect(records.meta.total_records).toBe(direct.meta.total_records);
    const name = unique('Deal');
    const made = await api.post('/objects/deal/records', { data: { type: 'deal', attributes: { name, amount: 90000 } } });
    const dealId = made.json<SingleDoc>().data.id;
    const after = await api.list(`/objects/deal/lists/${list.id}/resources?filter[name]=${encodeURIComponent(name)}`);
    expect(after.data.map((deal) => deal.id)).toEqual([dealId]);
    const manual = await api.post(`/objects/deal/lists/${list.id}/resources`, { data: [{ type: 'deal', id: dealId }] });
    expect(manual.status).toBe(422);
    await api.delete(`/objects/deal/records/${dealId}`);
  });

  it('lists lists per object and workspace-wide, renames, and deletes', async () => {
    const list = await createList('company', { name: unique('Targets'), kind: 'static' });
    const mine = await api.list('/objects/company/lists');
    expect(mine.data.map((item) => item.id)).toContain(list.id);
    expect(mine.data.every((item) => item.attributes.object === 'company')).toBe(true);
    const all = await api.list('/lists?page[limit]=500');
    expect(all.data.map((item) => item.id)).toContain(list.id);
    const renamed = await api.patch(`/objects/company/lists/${list.id}`, { name: 'Renamed targets' });
    expect(renamed.status).toBe(200);
    expect(renamed.json<{ data: SavedList }>().data.attributes.name).toBe('Renamed targets');
    expect((await api.delete(`/objects/company/lists/${list.id}`)).status).toBe(204);
    expect((await api.get(`/objects/company/lists/${list.id}`)).status).toBe(404);
  });

  it('validates: name (422), kind (422), a dynamic filter (422), unknown record (404), unknown list (404)', async () => {
    expect(firstError(await api.post('/objects/deal/lists', { name: '', kind: 'static' })).source?.pointer).toBe('/name');
    expect(firstError(await api.post('/objects/deal/lists', { name: 'x', kind: 'smart' })).source?.pointer).toBe('/kind');
    const badFilter = await api.post('/objects/deal/lists', { name: 'x', kind: 'dynamic', filter: { nothing: { Is: '1' } } });
    expect(badFilter.status).toBe(422);
    expect(firstError(badFilter).source?.pointer).toBe('/filter');
    const list = await createList('deal', { name: unique('Static'), kind: 'static' });
    const missing = await api.post(`/objects/deal/lists/${list.id}/resources`, { data: [{ type: 'deal', id: '00000000-0000-4000-8000-000000000000' }] });
    expect(missing.status).toBe(404);
    expect((await api.get(`/objects/person/lists/${list.id}`)).status).toBe(404);
    expect((await api.get('/objects/deal/lists/00000000-0000-4000-8000-000000000000/resources')).status).toBe(404);
  });
});

describe.skipIf(SANDBOX_ONLY)('seeded lists', () => {
  it('has a static "Key accounts" company list and a dynamic "Open deals" list', async () => {
    await api.reset();
    const all = await api.list('/lists');
    const byName = new Map(all.data.map((item) => [item.attributes.name, item]));
    expect(byName.get('Key accounts')?.attributes).toMatchObject({ object: 'company', kind: 'static', record_count: 5 });
    expect(byName.get('Open deals')?.attributes).toMatchObject({ object: 'deal', kind: 'dynamic' });
    const open = await api.list(`/objects/deal/lists/${byName.get('Open deals')!.id}/resources`);
    expect(open.data.every((deal) => !['Won', 'Lost'].includes(deal.attributes.stage as string))).toBe(true);
    expect(open.data.length).toBeGreaterThan(0);
  });
});

