import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, SANDBOX_ONLY, firstError, unique, type ListDoc, type SingleDoc } from './target.js';

let api: Api;
beforeAll(async () => {
  api = await Api.open();
});
afterAll(async () => {
  await api.close();
});

async function createDeal(name = unique('Gone deal')): Promise<string> {
  const response = await api.post('/objects/deal/records', { data: { type: 'deal', attributes: { name, amount: 5 } } });
  expect(response.status).toBe(201);
  return response.json<SingleDoc>().data.id;
}

async function deletedSince(since: string, object = 'deal'): Promise<ListDoc> {
  return api.list(`/objects/${object}/deleted-resources?filter[_deleted_at][Is on or after]=${encodeURIComponent(since)}`);
}

describe('GET /objects/{o}/deleted-resources', () => {
  it('lists a record deleted by the single delete route, with its last attributes and when it went', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const name = unique('Gone deal');
    const id = await createDeal(name);
    expect((await api.delete(`/objects/deal/records/${id}`)).status).toBe(204);
    const page = await deletedSince(before);
    const entry = page.data.find((item) => item.id === id);
    expect(entry).toBeDefined();
    expect(entry!.type).toBe('deal');
    expect(entry!.attributes).toMatchObject({ _id: id, name, amount: 5 });
    expect(entry!.attributes._deleted_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(String(entry!.attributes._deleted_at) >= before).toBe(true);
    expect(typeof entry!.attributes._deleted_by).toBe('string');
    expect(page.meta).toMatchObject({ offset: 0, limit: 500 });
    expect((await api.get(`/objects/deal/records/${id}`)).status).toBe(404);
  });

  it('lists every record a bulk delete removed', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const ids = [await createDeal(), await createDeal()];
    expect((await api.delete('/objects/deal/records', { items: ids })).status).toBe(204);
    const listed = (await deletedSince(before)).data.map((item) => item.id);
    expect(listed).toEqual(expect.arrayContaining(ids));
  });

  it('keeps objects apart: a deleted deal is not a deleted company', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const id = await createDeal();
    await api.delete(`/objects/deal/records/${id}`);
    expect((await deletedSince(before, 'company')).data.map((item) => item.id)).not.toContain(id);
  });

  it('filters on _deleted_at and orders by deletion time, newest first on request', async () => {
    const first = await createDeal();
    await api.delete(`/objects/deal/records/${first}`);
    const all = await api.list('/objects/deal/deleted-resources?sortOrder[column]=_deleted_at&sortOrder[dir]=ASC');
    const cut = all.data.find((item) => item.id === first)!.attributes._deleted_at as string;
    await api.advanceClock();
    const second = await createDeal();
    await api.delete(`/objects/deal/records/${second}`);
    const after = await api.list(`/objects/deal/deleted-resources?filter[_deleted_at][Is after]=${encodeURIComponent(cut)}`);
    const afterIds = after.data.map((item) => item.id);
    expect(afterIds).toContain(second);
    expect(afterIds).not.toContain(first);
    const newest = await api.list('/objects/deal/deleted-resources?sortOrder[column]=_deleted_at&sortOrder[dir]=DESC&page[limit]=1');
    expect(newest.data[0]!.id).toBe(second);
    const times = all.data.map((item) => item.attributes._deleted_at as string);
    expect([...times].sort()).toEqual(times);
  });

  it('pages with page[limit] and page[offset] and absolute links', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const ids = [await createDeal(), await createDeal(), await createDeal()];
    await api.delete('/objects/deal/records', { items: ids });
    const since = `filter[_deleted_at][Is on or after]=${encodeURIComponent(before)}`;
    const one = await api.list(`/objects/deal/deleted-resources?${since}&page[limit]=2`);
    expect(one.data).toHaveLength(2);
    expect(one.meta.total_records).toBeGreaterThanOrEqual(3);
    expect(one.links.next).toMatch(/page\[offset\]=2/);
    const seen = one.data.map((item) => item.id);
    let next = one.links.next;
    while (next !== null) {
      const response = await api.send('GET', next);
      expect(response.status).toBe(200);
      const page = response.json<ListDoc>();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((item) => item.id));
      next = page.links.next;
    }
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers 400 for another filter field, another operator, a bad date or another sort column', async () => {
    for (const query of [
      'filter[name]=x',
      'filter[_deleted_at][Contains]=2026',
      'filter[_deleted_at][Is after]=yesterday',
      'sortOrder[column]=name',
      'page[limit]=501',
    ]) {
      const response = await api.get(`/objects/deal/deleted-resources?${query}`);
      expect(response.status, query).toBe(400);
      expect(firstError(response).source?.parameter, query).toBeDefined();
    }
  });

  it('answers 404 for an unknown object', async () => {
    expect((await api.get('/objects/nothing/deleted-resources')).status).toBe(404);
  });
});

describe.skipIf(SANDBOX_ONLY)('deleted-resources in the sandbox', () => {
  it('drops deletions older than 30 days (the clock control moves time forward, never back)', async () => {
    await api.reset();
    const id = await createDeal();
    await api.delete(`/objects/deal/records/${id}`);
    expect((await api.list('/objects/deal/deleted-resources')).data.map((item) => item.id)).toEqual([id]);
    const moved = await api.control('POST', '/clock', { advanceMs: 29 * 24 * 3600 * 1000 });
    expect(moved.status).toBe(200);
    expect((await api.list('/objects/deal/deleted-resources')).meta.total_records).toBe(1);
    await api.control('POST', '/clock', { advanceMs: 2 * 24 * 3600 * 1000 });
    expect((await api.list('/objects/deal/deleted-resources')).meta.total_records).toBe(0);
    expect((await api.control('POST', '/clock', { advanceMs: -1 })).status).toBe(400);
    await api.reset();
  });

  it('starts empty after a reset and counts the route in stats', async () => {
    await api.reset();
    const page = await api.list('/objects/company/deleted-resources');
    expect(page).toMatchObject({ data: [], meta: { total_records: 0, total_pages: 0 }, links: { next: null, prev: null } });
    const stats = (await api.control('GET', '/stats')).json<{ byRoute: Record<string, number> }>();
    expect(stats.byRoute['GET /objects/:object/deleted-resources']).toBe(1);
  });
});
