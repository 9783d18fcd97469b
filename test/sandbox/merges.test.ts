import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, attr, firstError, unique, type SingleDoc } from './target.js';

let api: Api;
const created: Array<[string, string]> = [];
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  if (REAL_API) for (const [object, id] of created) await api.delete(`/objects/${object}/records/${id}`);
  await api.close();
});

const email = (label: string): string => `${unique(label).replace(/\W+/g, '.').toLowerCase()}@example.com`;

async function create(object: string, attributes: Record<string, unknown>): Promise<string> {
  const response = await api.post(`/objects/${object}/records`, { data: { type: object, attributes } });
  expect(response.status, response.text).toBe(201);
  const id = response.json<SingleDoc>().data.id;
  created.push([object, id]);
  return id;
}

const merge = (object: string, id: string, sources: unknown): ReturnType<Api['post']> =>
  api.post(`/objects/${object}/records/${id}/merges`, { data: { type: 'merge', attributes: { sources } } });

describe('POST /objects/{o}/records/{id}/merges', () => {
  it('fills the survivor from the sources, unites collections and links, deletes the sources', async () => {
    const company = await create('company', { name: unique('Merge Co') });
    const [a, b] = [email('a'), email('b')];
    const survivor = await create('person', { name: 'Ann Merge', email_addresses: { items: [a] } });
    const source = await create('person', { name: 'Ann M', email_addresses: { items: [b] }, job_title: 'CFO', company_id: company });
    const deal = await create('deal', { name: unique('Merge deal') });
    await api.patch(`/objects/deal/records/${deal}/relationships/people`, { data: [{ type: 'person', id: source }] });

    const response = await merge('person', survivor, [source]);
    expect(response.status).toBe(200);
    const merged = response.json<SingleDoc>().data;
    expect(merged.id).toBe(survivor);
    expect(attr(merged, 'name')).toMatchObject({ full_name: 'Ann Merge' });
    expect(attr(merged, 'job_title')).toBe('CFO');
    expect(attr(merged, 'company_id')).toBe(company);
    expect(attr<{ items: string[] }>(merged, 'email_addresses').items).toEqual([a, b]);
    expect(merged.relationships.deals).toMatchObject({ data: [{ type: 'deal', id: deal }] });

    expect((await api.get(`/objects/person/records/${source}`)).status).toBe(404);
    const people = await api.list(`/objects/deal/records/${deal}/relationships/people`);
    expect(people.data.map((person) => person.id)).toEqual([survivor]);
    const deleted = await api.list('/objects/person/deleted-resources?sortOrder[column]=_deleted_at&sortOrder[dir]=DESC&page[limit]=5');
    expect(deleted.data.map((item) => item.id)).toContain(source);
  });

  it('moves the sources’ one-to-many children to the survivor (company people)', async () => {
    const keep = await create('company', { name: unique('Keep Co') });
    const drop = await create('company', { name: unique('Drop Co') });
    const person = await create('person', { name: 'Child Person', company_id: drop });
    expect((await merge('company', keep, [drop])).status).toBe(200);
    const read = await api.one(`/objects/person/records/${person}`);
    expect(attr(read.data, 'company_id')).toBe(keep);
  });

  it('rejects: no sources, itself, an unknown source (404, nothing merged), an object that cannot merge', async () => {
    const survivor = await create('deal', { name: unique('Survivor') });
    const other = await create('deal', { name: unique('Other') });
    expect(firstError(await merge('deal', survivor, [])).source?.pointer).toBe('/data/attributes/sources');
    expect(firstError(await merge('deal', survivor, [other, survivor])).source?.pointer).toBe('/data/attributes/sources/1');
    const unknown = await merge('deal', survivor, [other, '00000000-0000-4000-8000-000000000000']);
    expect(unknown.status).toBe(404);
    expect((await api.get(`/objects/deal/records/${other}`)).status).toBe(200);
    const task = await create('task', { title: unique('Task') });
    const task2 = await create('task', { title: unique('Task') });
    expect((await merge('task', task, [task2])).status).toBe(422);
  });
});
