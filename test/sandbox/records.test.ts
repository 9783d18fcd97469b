import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, REAL_API, attr, firstError, unique, type ListDoc, type SingleDoc } from './target.js';

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

async function createCompany(name = unique('Co')): Promise<string> {
  const response = await api.post('/objects/company/records', { data: { type: 'company', attributes: { name } } });
  expect(response.status).toBe(201);
  const id = response.json<SingleDoc>().data.id;
  created.push(['company', id]);
  return id;
}

describe('reading one record', () => {
  it('serves the same resource from /resources/{id} and /records/{id}, every field present', async () => {
    const page = await api.list('/objects/person/resources?page[limit]=1');
    const id = page.data[0]!.id;
    const a = await api.one(`/objects/person/resources/${id}`);
    const b = await api.one(`/objects/person/records/${id}`);
    expect(b.data).toEqual(a.data);
    expect(a.data.type).toBe('person');
    expect(a.data.attributes._id).toBe(id);
    for (const name of ['name', 'email_addresses', 'phone_numbers', 'job_title', 'company_id', 'description', '_created_at', '_updated_at', '_created_by', '_updated_by']) {
      expect(a.data.attributes).toHaveProperty(name);
    }
    expect(a.data.attributes).not.toHaveProperty('deals');
    expect(a.data.relationships.deals).toMatchObject({ meta: { count: expect.any(Number) } });
    expect(a.data.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.data.attributes._created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

describe('POST /objects/{o}/records', () => {
  it('creates (201), then upserts on the unique email (200, same record, updated)', async () => {
    const address = email('jane');
    const first = await api.post('/objects/person/records', {
      data: { type: 'record', attributes: { name: 'Jane Doe', email_addresses: { items: [address] } } },
    });
    expect(first.status).toBe(201);
    const record = first.json<SingleDoc>().data;
    created.push(['person', record.id]);
    expect(record.type).toBe('person');
    expect(attr(record, 'name')).toEqual({ first_name: 'Jane', last_name: 'Doe', full_name: 'Jane Doe' });
    expect(attr(record, 'phone_numbers')).toBeNull();

    const second = await api.post('/objects/person/records', {
      data: { type: 'person', attributes: { job_title: 'CTO', email_addresses: { items: [address] } } },
    });
    expect(second.status).toBe(200);
    const again = second.json<SingleDoc>().data;
    expect(again.id).toBe(record.id);
    expect(attr(again, 'job_title')).toBe('CTO');
    expect(attr(again, 'name')).toEqual({ first_name: 'Jane', last_name: 'Doe', full_name: 'Jane Doe' });
    const matches = await api.list(`/objects/person/resources?filter[email_addresses]=${encodeURIComponent(address)}`);
    expect(matches.meta.total_records).toBe(1);
  });

  it('honours match_on naming the unique field, and answers 400 for any other', async () => {
    const name = unique('Deal');
    const first = await api.request('POST', '/objects/deal/records', { body: { data: { type: 'deal', attributes: { name, amount: 10 } }, match_on: 'name' } });
    expect(first.status).toBe(201);
    const id = first.json<SingleDoc>().data.id;
    created.push(['deal', id]);
    const second = await api.request('POST', '/objects/deal/records', { body: { data: { type: 'deal', attributes: { name, amount: 20 } }, match_on: 'name' } });
    expect(second.status).toBe(200);
    expect(second.json<SingleDoc>().data).toMatchObject({ id, attributes: { amount: 20 } });
    const wrong = await api.request('POST', '/objects/deal/records', { body: { data: { type: 'deal', attributes: { name } }, match_on: 'amount' } });
    expect(wrong.status).toBe(400);
    expect(firstError(wrong).source?.pointer).toBe('/match_on');
  });

  it('answers 400 when the unique value matches two different records, changing neither', async () => {
    const [a, b] = [email('two-a'), email('two-b')];
    const ids: string[] = [];
    for (const address of [a, b]) {
      const response = await api.post('/objects/person/records', { data: { type: 'person', attributes: { email_addresses: { items: [address] } } } });
      expect(response.status).toBe(201);
      ids.push(response.json<SingleDoc>().data.id);
      created.push(['person', ids.at(-1)!]);
    }
    const response = await api.post('/objects/person/records', {
      data: { type: 'person', attributes: { job_title: 'Ambiguous', email_addresses: { items: [a, b] } } },
    });
    expect(response.status).toBe(400);
    for (const id of ids) expect((await api.one(`/objects/person/records/${id}`)).data.attributes.job_title).toBeNull();
  });

  it('answers 422 for a data.type that is neither the slug nor "record"', async () => {
    const name = unique('Typed');
    const response = await api.post('/objects/company/records', { data: { type: 'person', attributes: { name } } });
    expect(response.status).toBe(422);
    expect(firstError(response).source?.pointer).toBe('/data/type');
    expect((await api.list(`/objects/company/resources?filter[name]=${encodeURIComponent(name)}`)).meta.total_records).toBe(0);
  });

  it('matches on the unique value a record holds now, not one it held before', async () => {
    const [old, fresh] = [email('old'), email('new')];
    const response = await api.post('/objects/person/records', { data: { type: 'person', attributes: { email_addresses: { items: [old] } } } });
    const id = response.json<SingleDoc>().data.id;
    created.push(['person', id]);
    await api.patch(`/objects/person/records/${id}`, { data: { type: 'person', attributes: { email_addresses: { items: [fresh.toUpperCase()] } } } });
    const byNew = await api.post('/objects/person/records', { data: { type: 'person', attributes: { job_title: 'Matched', email_addresses: { items: [fresh] } } } });
    expect(byNew.status).toBe(200);
    expect(byNew.json<SingleDoc>().data.id).toBe(id);
    const byOld = await api.post('/objects/person/records', { data: { type: 'person', attributes: { email_addresses: { items: [old] } } } });
    expect(byOld.status).toBe(201);
    created.push(['person', byOld.json<SingleDoc>().data.id]);
  });

  it('always creates on objects without a unique field', async () => {
    const title = unique('Task');
    const a = await api.post('/objects/task/records', { data: { type: 'task', attributes: { title } } });
    const b = await api.post('/objects/task/records', { data: { type: 'task', attributes: { title } } });
    expect([a.status, b.status]).toEqual([201, 201]);
    created.push(['task', a.json<SingleDoc>().data.id], ['task', b.json<SingleDoc>().data.id]);
    expect(a.json<SingleDoc>().data.id).not.toBe(b.json<SingleDoc>().data.id);
  });

  it('splits a plain-string name into first, last and full name', async () => {
    const response = await api.post('/objects/person/records', {
      data: { type: 'person', attributes: { name: '  Mary   Ann Smith ', email_addresses: { items: [email('mary')] } } },
    });
    expect(response.status).toBe(201);
    const record = response.json<SingleDoc>().data;
    created.push(['person', record.id]);
    expect(attr(record, 'name')).toEqual({ first_name: 'Mary', last_name: 'Ann Smith', full_name: 'Mary Ann Smith' });
  });

  it('stores numbers as DECIMAL(16,4): rounds to 4 places, 400 beyond 12 integer digits', async () => {
    const ok = await api.post('/objects/deal/records', { data: { type: 'deal', attributes: { name: unique('Dec'), amount: 1234.567891 } } });
    expect(ok.status).toBe(201);
    created.push(['deal', ok.json<SingleDoc>().data.id]);
    expect(attr(ok.json<SingleDoc>().data, 'amount')).toBe(1234.5679);
    const big = await api.post('/objects/deal/records', { data: { type: 'deal', attributes: { name: unique('Big'), amount: 1e13 } } });
    expect(big.status).toBe(400);
    expect(firstError(big).source?.pointer).toBe('/data/attributes/amount');
  });
});

describe('write validation (422 with a pointer, nothing written)', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a select value in the wrong case', { name: 'V1', stage: 'won' }, '/data/attributes/stage'],
    ['a system "_" attribute', { name: 'V2', _created_at: '2026-01-01T00:00:00.000Z' }, '/data/attributes/_created_at'],
    ['a to-many relationship set as an attribute', { name: 'V3', people: { items: [] } }, '/data/attributes/people'],
    ['a timestamp in a date field', { name: 'V4', close_date: '2026-03-01T10:00:00.000Z' }, '/data/attributes/close_date'],
    ['a date that does not exist', { name: 'V7', close_date: '2026-02-30' }, '/data/attributes/close_date'],
    ['a string where a number belongs', { name: 'V5', amount: 'lots' }, '/data/attributes/amount'],
    ['an unknown attribute', { name: 'V6', colour: 'red' }, '/data/attributes/colour'],
  ];
  it.each(cases)('rejects %s', async (_label, attributes, pointer) => {
    const name = unique(String(attributes.name));
    const response = await api.post('/objects/deal/records', { data: { type: 'deal', attributes: { ...attributes, name } } });
    expect(response.status).toBe(422);
    const error = firstError(response);
    expect(error).toMatchObject({ status: '422', title: 'Invalid input', source: { pointer } });
    const check = await api.list(`/objects/deal/resources?filter[name]=${encodeURIComponent(name)}`);
    expect(check.meta.total_records).toBe(0);
  });

  it('rejects an id in a create body', async () => {
    const response = await api.post('/objects/company/records', {
      data: { type: 'company', id: '11111111-1111-4111-8111-111111111111', attributes: { name: unique('Id') } },
    });
    expect(response.status).toBe(422);
    expect(firstError(response).source?.pointer).toBe('/data/id');
    expect((await api.get('/objects/company/resources/11111111-1111-4111-8111-111111111111')).status).toBe(404);
  });

  it('rejects a bare array for a collection and an invalid email', async () => {
    const bare = await api.post('/objects/person/records', { data: { type: 'person', attributes: { email_addresses: ['x@example.com'] } } });
    expect(bare.status).toBe(422);
    expect(firstError(bare).source?.pointer).toBe('/data/attributes/email_addresses');
    const bad = await api.post('/objects/person/records', { data: { type: 'person', attributes: { email_addresses: { items: ['not-an-email'] } } } });
    expect(bad.status).toBe(422);
    expect(firstError(bad).source?.pointer).toMatch(/^\/data\/attributes\/email_addresses/);
  });

  it('rejects a string for rich text and a missing required field', async () => {
    const rich = await api.post('/objects/task/records', { data: { type: 'task', attributes: { title: 'x', description: 'plain' } } });
    expect(rich.status).toBe(422);
    expect(firstError(rich).source?.pointer).toBe('/data/attributes/description');
    const missing = await api.post('/objects/task/records', { data: { type: 'task', attributes: { status: 'Done' } } });
    expect(missing.status).toBe(422);
    expect(firstError(missing).source?.pointer).toBe('/data/attributes/title');
  });
});

describe('PATCH /objects/{o}/records/{id}', () => {
  it('changes only the sent fields and bumps _updated_at', async () => {
    const create = await api.post('/objects/deal/records', {
      data: { type: 'deal', attributes: { name: unique('Patch'), amount: 100, stage: 'Proposal', close_date: '2026-05-01' } },
    });
    const before = create.json<SingleDoc>().data;
    created.push(['deal', before.id]);
    await api.advanceClock();
    const response = await api.patch(`/objects/deal/records/${before.id}`, { data: { type: 'deal', id: before.id, attributes: { stage: 'Won', close_date: null } } });
    expect(response.status).toBe(200);
    const after = response.json<SingleDoc>().data;
    expect(after.attributes).toMatchObject({ name: before.attributes.name, amount: 100, stage: 'Won', close_date: null });
    expect(after.attributes._created_at).toBe(before.attributes._created_at);
    expect(String(after.attributes._updated_at) > String(before.attributes._updated_at)).toBe(true);
    expect((await api.one(`/objects/deal/records/${before.id}`)).data.attributes.stage).toBe('Won');
  });

  it('answers 404 for an unknown id and 422 for invalid values, changing nothing', async () => {
    const missing = await api.patch('/objects/deal/records/00000000-0000-4000-8000-000000000000', { data: { type: 'deal', attributes: { amount: 1 } } });
    expect(missing.status).toBe(404);
    const deal = (await api.list('/objects/deal/resources?page[limit]=1')).data[0]!;
    const bad = await api.patch(`/objects/deal/records/${deal.id}`, { data: { type: 'deal', attributes: { amount: 5, stage: 'WON' } } });
    expect(bad.status).toBe(422);
    expect((await api.one(`/objects/deal/records/${deal.id}`)).data.attributes).toEqual(deal.attributes);
  });
});

describe('polling for changes', () => {
  it('finds records updated after a timestamp with filter[_updated_at][Is after], oldest first', async () => {
    const since = (await api.list('/objects/company/resources?sortOrder[column]=_updated_at&sortOrder[dir]=DESC&page[limit]=1')).data[0]!.attributes._updated_at as string;
    await api.advanceClock();
    const a = await createCompany();
    const b = await createCompany();
    // The update must come after b's creation in millisecond timestamps too; the sandbox's clock
    // moves on by one instead of the test waiting for it.
    if (!REAL_API) await api.control('POST', '/clock', { advanceMs: 1 });
    await api.patch(`/objects/company/records/${a}`, { data: { type: 'company', attributes: { description: 'touched' } } });
    const doc = await api.list(`/objects/company/resources?filter[_updated_at][Is after]=${encodeURIComponent(since)}&sortOrder[column]=_updated_at&sortOrder[dir]=ASC`);
    // Other writers may touch a live workspace meanwhile; only the order of ours is asserted there.
    const ours = doc.data.map((r) => r.id).filter((id) => id === a || id === b);
    expect(ours).toEqual([b, a]);
    if (!REAL_API) expect(doc.data).toHaveLength(2);
  });
});

describe('DELETE /objects/{o}/records/{id}', () => {
  it('answers 204 with no body, then 404', async () => {
    const id = await createCompany();
    const response = await api.delete(`/objects/company/records/${id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect((await api.get(`/objects/company/resources/${id}`)).status).toBe(404);
    expect((await api.delete(`/objects/company/records/${id}`)).status).toBe(404);
  });

  it('clears foreign keys that pointed at the deleted record', async () => {
    const companyId = await createCompany();
    const person = await api.post('/objects/person/records', {
      data: { type: 'person', attributes: { name: 'Fk Holder', email_addresses: { items: [email('fk')] }, company_id: companyId } },
    });
    const personId = person.json<SingleDoc>().data.id;
    created.push(['person', personId]);
    expect((await api.delete(`/objects/company/records/${companyId}`)).status).toBe(204);
    const after = await api.one(`/objects/person/records/${personId}`);
    expect(after.data.attributes.company_id).toBeNull();
    expect(after.data.relationships.company_id).toEqual({ data: null });
  });
});

describe('POST /objects/{o}/records/bulk', () => {
  it('creates up to 25 in input order (200) and upserts within the batch', async () => {
    const names = Array.from({ length: 25 }, (_, i) => unique(`Bulk ${i}`));
    const response = await api.post('/objects/deal/records/bulk', { data: names.map((name) => ({ type: 'deal', attributes: { name } })) });
    expect(response.status).toBe(200);
    const data = response.json<ListDoc>().data;
    for (const item of data) created.push(['deal', item.id]);
    expect(data.map((item) => item.attributes.name)).toEqual(names);

    const again = await api.post('/objects/deal/records/bulk', {
      data: [{ type: 'deal', attributes: { name: names[3], amount: 42 } }, { type: 'deal', attributes: { name: unique('Bulk new') } }],
    });
    expect(again.status).toBe(200);
    const [matched, fresh] = again.json<ListDoc>().data;
    created.push(['deal', fresh!.id]);
    expect(matched).toMatchObject({ id: data[3]!.id, attributes: { amount: 42 } });
  });

  it('answers 400 above 25 and writes nothing', async () => {
    const tag = unique('Over');
    const response = await api.post('/objects/deal/records/bulk', {
      data: Array.from({ length: 26 }, (_, i) => ({ type: 'deal', attributes: { name: `${tag} ${i}` } })),
    });
    expect(response.status).toBe(400);
    expect((await api.list(`/objects/deal/resources?filter[name][Starts with]=${encodeURIComponent(tag)}`)).meta.total_records).toBe(0);
  });

  it('is atomic: one invalid item fails the batch with its index in the pointer', async () => {
    const tag = unique('Atomic');
    const response = await api.post('/objects/deal/records/bulk', {
      data: [
        { type: 'deal', attributes: { name: `${tag} a` } },
        { type: 'deal', attributes: { name: `${tag} b` } },
        { type: 'deal', attributes: { name: `${tag} c`, stage: 'lost' } },
      ],
    });
    expect(response.status).toBe(422);
    expect(firstError(response).source?.pointer).toBe('/data/2/attributes/stage');
    expect((await api.list(`/objects/deal/resources?filter[name][Starts with]=${encodeURIComponent(tag)}`)).meta.total_records).toBe(0);
  });
});

describe('PATCH /objects/{o}/records (bulk update)', () => {
  it('updates every listed record (200, input order)', async () => {
    const a = await createCompany();
    const b = await createCompany();
    const response = await api.patch('/objects/company/records', {
      data: [
        { type: 'company', id: b, attributes: { industry: 'Retail' } },
        { type: 'company', id: a, attributes: { employee_count: 12 } },
      ],
    });
    expect(response.status).toBe(200);
    const data = response.json<ListDoc>().data;
    expect(data.map((item) => item.id)).toEqual([b, a]);
    expect((await api.one(`/objects/company/records/${a}`)).data.attributes.employee_count).toBe(12);
    expect((await api.one(`/objects/company/records/${b}`)).data.attributes.industry).toBe('Retail');
  });

  it('answers 404 when any id is unknown and applies nothing', async () => {
    const a = await createCompany();
    const response = await api.patch('/objects/company/records', {
      data: [
        { type: 'company', id: a, attributes: { employee_count: 99 } },
        { type: 'company', id: '00000000-0000-4000-8000-000000000000', attributes: { employee_count: 1 } },
      ],
    });
    expect(response.status).toBe(404);
    expect((await api.one(`/objects/company/records/${a}`)).data.attributes.employee_count).toBeNull();
  });
});

describe('DELETE /objects/{o}/records (bulk delete)', () => {
  it('deletes every listed record (204)', async () => {
    const ids = [await createCompany(), await createCompany()];
    const response = await api.delete('/objects/company/records', { items: ids });
    expect(response.status).toBe(204);
    for (const id of ids) expect((await api.get(`/objects/company/resources/${id}`)).status).toBe(404);
  });

  it('answers 404 when any id is unknown and deletes nothing', async () => {
    const id = await createCompany();
    const response = await api.delete('/objects/company/records', { items: [id, '00000000-0000-4000-8000-000000000000'] });
    expect(response.status).toBe(404);
    expect((await api.get(`/objects/company/resources/${id}`)).status).toBe(200);
  });
});
